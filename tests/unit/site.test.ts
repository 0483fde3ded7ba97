/**
 * Pure helpers of the site: figure rendering and CSV, label/citation numbering, bibliography
 * parsing, and the chapter-1 aggregations against the committed traces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { figureCsv, panelGeometry, renderPanel, type FigureSpec } from '../../src/site/figure';
import { articleContext, citationOrder, numberLabels } from '../../src/site/numbering';
import { parseBibliography, resolveCitations } from '../../src/site/bib';
import { etaMaxTable, phaseDiagram } from '../../src/site/chapter1';
import { getTraces } from '../../src/site/traces';
import { chapter1Claims } from '../../src/site/claims/chapter1';
import { committedTracesStale } from './committedTraces';

const spec: FigureSpec = {
  panels: [
    {
      title: 'loss',
      xLabel: 'step',
      yLabel: 'loss',
      yScale: 'log',
      series: [
        { name: 'a, "quoted"', x: [0, 1, 2], y: [100, 10, 1] },
        { name: 'b', x: [0, 1, 2], y: [50, null, 0] },
      ],
      hlines: [{ value: 10, label: '2/η' }],
    },
  ],
};

test('renderPanel draws one path per series and maps data through the scales', () => {
  const svg = renderPanel(spec.panels[0], 'fig-t-p0', 400, 300);
  assert.equal((svg.match(/class="series /g) ?? []).length, 2);
  assert.match(svg, /data-label="2\/η"/);
  const g = panelGeometry(spec.panels[0], 400, 300);
  // log scale: y = 10 lies halfway between 1 and 100 in pixels.
  const mid = (g.yRange[0] + g.yRange[1]) / 2;
  const m = /<line class="ref" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"/.exec(svg);
  assert.ok(m);
  assert.ok(Math.abs(Number(m![1]) - mid) < 0.01, `2/η line at ${m![1]}, expected ${mid}`);
  // series b has a gap (null) and a non-positive value on a log axis: its path has one point only.
  const b = /data-series="b" d="([^"]*)"/.exec(svg)![1];
  assert.equal((b.match(/[ML]/g) ?? []).length, 1);
});

test('renderPanel is deterministic and refuses a panel without data', () => {
  assert.equal(renderPanel(spec.panels[0], 'x'), renderPanel(spec.panels[0], 'x'));
  assert.throws(() => renderPanel({ ...spec.panels[0], series: [{ name: 'e', x: [0], y: [NaN] }], hlines: [] }, 'x'), /no finite data/);
});

test('figureCsv writes every point with quoting and empty cells for gaps', () => {
  const csv = figureCsv(spec).trim().split('\n');
  assert.equal(csv[0], 'panel,series,x,y,yLow,yHigh');
  assert.equal(csv.length, 1 + 6);
  assert.equal(csv[1], 'loss,"a, ""quoted""",0,100,,');
  assert.equal(csv[5], 'loss,b,1,,,');
});

test('numbering counts definitions in source order, not references', () => {
  const src = `<Figure label="fig-a" /> see <Ref label="fig-b" /> <Equation label="eq-x">x</Equation> <UvFigure label="fig-b" /> <Ref label="eq-x" />`;
  const n = numberLabels(src);
  assert.equal(n.get('fig-a')!.display, 'Figure 1');
  assert.equal(n.get('fig-b')!.display, 'Figure 2');
  assert.equal(n.get('eq-x')!.display, 'Eq. (1)');
  assert.throws(() => numberLabels('<Figure label="fig-a"/><Figure label="fig-a"/>'), /used twice/);
  assert.deepEqual(citationOrder('<Cite key="b, a" /> <Cite key="a" /> <Cite key="c"/>'), ['b', 'a', 'c']);
  assert.equal(articleContext('').numbers.size, 0);
});

test('the bibliography parses, and an unknown key names the file to fix', () => {
  const refs = parseBibliography(readFileSync('content/references.bib', 'utf8'));
  for (const k of ['zhu2024catapults', 'zhu2024quadratic', 'lewkowycz2020catapult', 'jacot2018ntk', 'lee2019wide', 'goodfellow2016deep', 'keskar2017largebatch', 'goyal2017imagenet', 'trivedi2014consistent', 'xia2002adaptive', 'radhakrishnan2024mechanism']) {
    assert.ok(refs.has(k), k);
  }
  assert.match(refs.get('zhu2024catapults')!.short, /^Zhu et al\., 2024$/);
  assert.throws(() => resolveCitations(['nope'], refs), /content\/references\.bib/);
});

test('chapter-1 aggregations agree with the raw traces', { skip: committedTracesStale(['shallow-eta-max', 'shallow-gd-regimes', 'uv-catapult', 'nqm-vs-network']) }, () => {
  const raw = getTraces('shallow-eta-max');
  const table = etaMaxTable();
  assert.equal(table.reduce((s, r) => s + r.seeds, 0), raw.length);
  const m1024 = raw.filter((t) => t.summary.m === 1024).map((t) => t.summary.etaMaxRatio as number);
  const row = table.find((r) => r.m === 1024)!;
  assert.ok(Math.abs(row.mean - m1024.reduce((a, b) => a + b, 0) / m1024.length) < 1e-12);
  for (const r of phaseDiagram()) {
    assert.equal(r.regimes.linear + r.regimes.catapult + r.regimes.diverged, r.seeds);
    if (r.lambdaRatio) assert.ok(r.lambdaRatio.min <= r.lambdaRatio.mean && r.lambdaRatio.mean <= r.lambdaRatio.max);
  }
  const claims = chapter1Claims();
  assert.ok(claims.length >= 5);
  for (const c of claims) assert.ok(c.ours.length > 0 && c.experiment, c.id);
});
