/**
 * No number on the chapters or the landing page is typed in by hand: every number in their reader
 * text comes from a readout (a trace or a setting), or is a structural one listed with its reason in
 * ./typedNumbersAllowed.ts. The extractor is ./typedNumbers.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { typedNumbers } from './typedNumbers';
import { ALLOWED_TYPED_NUMBERS } from './typedNumbersAllowed';

const ROOT = join(import.meta.dirname, '../../..');
const ts = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts') && f !== 'claims.ts' && f !== 'index.ts')
    .map((f) => `${dir}/${f}`);
const astro = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.astro'))
    .map((f) => `${dir}/${f}`);

/** The sources of the reader text of the chapters and the landing page (the report's rows, claims.ts, are not in it). */
const SOURCES = [
  'content/chapters/catapults-in-gd.mdx',
  'content/chapters/sgd-spikes.mdx',
  ...ts('src/site/chapters/catapults-in-gd'),
  ...ts('src/site/chapters/sgd-spikes'),
  ...astro('src/components/catapults-in-gd'),
  ...astro('src/components/sgd-spikes'),
  'content/chapters/agop.mdx',
  ...ts('src/site/chapters/agop'),
  ...astro('src/components/agop'),
  // the exhibits write chapter 3's causal test: figure, tables and sentences
  ...ts('src/exhibits'),
  'src/site/landing.ts',
  'src/site/landingSymbols.ts',
  'src/pages/index.astro',
  // the hero's sentence and page text (heroPlot.ts draws, like the figure engine)
  'src/components/hero/heroModel.ts',
  'src/components/hero/CatapultHero.astro',
];

const found = (file: string, src: string) => typedNumbers(file, src, ALLOWED_TYPED_NUMBERS).map((t) => t.number);

test('the chapters and the landing page carry no hand-typed number, and every allowed phrase is still used', () => {
  const used = new Set<string>();
  const typed = SOURCES.flatMap((f) =>
    typedNumbers(f, readFileSync(join(ROOT, f), 'utf8'), ALLOWED_TYPED_NUMBERS, used),
  );
  assert.deepEqual(
    typed.map((t) => `${t.file}:${t.line}: "${t.number}" in "${t.context}"`),
    [],
    'compute these from a readout (src/site/chapters/<slug>/readouts.ts), or, if structural, list the phrase in tests/unit/site/typedNumbersAllowed.ts with its reason',
  );
  const unused = ALLOWED_TYPED_NUMBERS.filter((a) => !used.has(a.phrase)).map((a) => a.phrase);
  assert.deepEqual(unused, [], 'allowed phrases no source uses any more: remove them');
});

test('the hand-typed numbers the chapters used to carry are found', () => {
  // Chapter 1's regimes figure: the divergence point typed in.
  assert.deepEqual(
    found(
      'figures.ts',
      'const alt = `at ${cat.summary.etaRatio} η_crit the loss rises ${sig(r)}× and the loss then converges; past about 2.2 η_crit the run diverges.`;',
    ),
    ['2.2'],
  );
  // Chapter 1's phase diagram: the grid's edges typed in.
  assert.deepEqual(
    found(
      'figures.ts',
      'const alt = `Up to 0.95 η_crit nothing happens (peak ratio 1, λ_max unchanged). From 1.05 η_crit on every run catapults up to ${lowestAt} η_crit.`;',
    ),
    ['0.95', '1', '1.05'],
  );
  // Chapter 2's ladder: a count in words, and a settings' number in maths and in text.
  assert.deepEqual(
    found(
      'x.mdx',
      'drops again. We raise $\\eta$ four times, each time to a fixed multiple of the current critical rate, for a 5-layer\nnet.',
    ),
    ['four', '5'],
  );
  assert.deepEqual(found('x.mdx', 'our precomputed run at $1.5\\,\\eta_\\text{crit}$; each'), ['1.5']);
  assert.deepEqual(
    found('x.mdx', 'has stopped learning, with its kernel shrunk by an\norder of magnitude (right-hand plots).'),
    ['order of magnitude'],
  );
  assert.deepEqual(
    found('x.astro', '---\nconst d = 1;\n---\n<p>\n  within {gap} of the paper’s, over 300 steps\n</p>\n'),
    ['300'],
  );
});

test('numbers from readouts, maths, notation, attributes, imports and error messages are not typed numbers', () => {
  const mdx = [
    '---',
    'title: Catapults in gradient descent',
    'description: Why a learning rate above 2/λ_max does not blow up.',
    '---',
    "import Figure from '../../src/components/Figure.astro';",
    'export const x = proseNumbers();',
    '',
    'At {x.etaRatio} $\\eta_{\\text{crit}}$ the run spikes {x.spikes} times ({(100 * x.share).toFixed(1)} %), as in',
    '<Cite key="zhu2024catapults" />; see <Ref label="fig-2" /> and $\\mathrm{PL}_5$, $$\\eta < 2/\\lambda_1(0)$$.',
    '<Figure label="fig-uv" {...uvFigure(3)} />',
    '{x.ok ? <>then λ<sub>max</sub> falls to {x.l.toPrecision(3)}</> : null}',
  ].join('\n');
  assert.deepEqual(found('x.mdx', mdx), []);
  const code = [
    "import { sig } from '../common';",
    "const k = getTrace('shallow-gd-regimes', 'traj-m1024-eta1p5-s0');",
    'if (!r) throw new Error(`no run of width 1024 in ${id}`);',
    "const label = { 'b32-r1p25': 1 };",
    'const caption = `η·λ_max/2 = ${sig(v)} at step ${s}, (1/2n)Σ(f−y)², λ_1(0)`;',
  ].join('\n');
  assert.deepEqual(found('x.ts', code), []);
});
