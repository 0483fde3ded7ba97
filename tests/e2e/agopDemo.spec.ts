/**
 * End-to-end checks of the "Watch the AGOP learn" island on the built site: at the defaults a run
 * detects catapults and its alignment climbs (across a catapult too), with read-outs, plots and the
 * heatmap showing what the run recorded; the plotted numbers equal the Node-side session; one click
 * switches to GD mid-run and the run goes on; URL state round-trip and clamping with notices;
 * divergence; earlier runs as overlays and in the download; accessibility after a run in both colour
 * schemes; no sideways scrolling on a 390 px phone; tfjs only after Run. The hosting page is found
 * in dist/ (or AGOP_DEMO_PAGE).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectRuntimeOnlyAfterStep } from './lazyLoad';
import AxeBuilder from '@axe-core/playwright';
import { initBackend } from '../../src/lib/backend';
import { heatmapOpacity } from '../../src/site/figureHeatmap';
import { mergeAgopDefaults } from '../../src/demos/agop/agopDemoState';
import { AgopSession } from '../../src/demos/agop/agopSession';

/** The built page that hosts the island: AGOP_DEMO_PAGE, else the first page in dist/ that has it. */
function findDemoPage(dir = 'dist'): string | null {
  if (process.env.AGOP_DEMO_PAGE) return process.env.AGOP_DEMO_PAGE;
  if (!existsSync(dir)) return null;
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.html') ? [join(d, e.name)] : [],
    );
  const hit = walk(dir)
    .sort()
    .find((f) => readFileSync(f, 'utf8').includes('data-agop-demo'));
  return hit ? ('/' + relative(dir, hit).split(sep).join('/')).replace(/index\.html$/, '') : null;
}

const FOUND = findDemoPage();
const DEMO_PAGE = FOUND ?? '/';

test.beforeEach(() => {
  test.skip(
    FOUND === null,
    'no built page contains the AGOP demo: run "npm run build:site" (Chapter 3 includes it) or set AGOP_DEMO_PAGE',
  );
});

interface Spike {
  start: number;
  peak: number;
  end: number | null;
  diverged: boolean;
}
interface Across {
  start: number;
  end: number;
  before: number;
  after: number;
}
interface Run {
  state: {
    b: string;
    n: number;
    d: number;
    m: number;
    seed: number;
    etaRatio: number;
    agopEvery: number;
    maxSteps: number;
  };
  backend: string;
  etaCrit: number;
  k: number;
  trueAgopBlock: number[];
  diverged: { step: number; reason: string } | null;
  series: {
    steps: number[];
    trainLoss: number[];
    batchLoss: number[];
    batchSize: number[];
    eta: number[];
    agopStep: number[];
    align: number[];
    agopBlocks: number[][];
  };
}

const demo = (page: Page) => page.locator('[data-agop-demo]').first();
const getRun = (page: Page) => page.evaluate(() => window.__agopDemo!.run() as unknown as Run);
const stepsSoFar = (page: Page) => page.evaluate(() => window.__agopDemo!.run().series.steps.length);
/** The radio of one batch choice, by its visible text ("16", "GD"). */
const batchButton = (page: Page, text: string) =>
  demo(page).locator('.batch-choice').getByRole('radio', { name: text, exact: true });

async function runToEnd(page: Page, query: string, endStatus: RegExp = /finished|diverged/): Promise<Run> {
  await page.goto(`${DEMO_PAGE}?${query}`);
  await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-status', endStatus, { timeout: 100_000 });
  return getRun(page);
}

// Runs train for seconds on a shared 2-core machine: allow more than the default 30 s per test.
test.describe.configure({ timeout: 150_000 });

test('no tfjs, wasm or worker request before Run is pressed', async ({ page }) => {
  await expectRuntimeOnlyAfterStep(page, DEMO_PAGE, demo);
});

test('Run on the defaults: catapults are detected and marked, and the alignment rises, across a catapult too', async ({
  page,
}) => {
  await page.goto(DEMO_PAGE);
  const d = demo(page);
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  // 300 steps: 6 s at the demo's pace of 50 steps/s; the alignment has done most of its climb by then.
  await expect.poll(() => stepsSoFar(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(300);
  await d.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'paused');
  const run = await getRun(page);
  expect(run.diverged).toBeNull();
  expect(run.state).toEqual({ b: '16', n: 512, d: 50, m: 512, seed: 0, etaRatio: 0.9, agopEvery: 5, maxSteps: 1000 });

  // At least one catapult, counted in the read-out and marked on the loss plot.
  const spikes = await page.evaluate(() => window.__agopDemo!.spikes() as unknown as Spike[]);
  const done = spikes.filter((e) => !e.diverged);
  expect(done.length).toBeGreaterThanOrEqual(1);
  await expect(d).toHaveAttribute('data-spikes', String(done.length));
  await expect(d.locator('.ro-spikes')).toHaveText(new RegExp(`^${done.length}`));
  await expect(d.locator('.plot-loss .spike-marker')).toHaveCount(done.length);
  await expect(d.locator('.plot-align .spike-band')).toHaveCount(done.length);

  // The alignment rose: the series, the read-out and the plot's alt text say so.
  const a = run.series.align;
  expect(run.series.agopStep.slice(0, 3)).toEqual([0, 5, 10]);
  expect(a[0]).toBeLessThan(0.2);
  expect(a[a.length - 1]).toBeGreaterThan(0.5);
  expect(a[a.length - 1] - a[0]).toBeGreaterThan(0.3);
  await expect(d.locator('.ro-align')).toHaveText(a[a.length - 1].toFixed(3));
  await expect(d.locator('.plot-align')).toHaveAttribute(
    'aria-label',
    new RegExp(
      `^AGOP alignment cos\\(G, G\\*\\) against step: ${a[0].toFixed(2)} at step 0, ${a[a.length - 1].toFixed(2)}`,
    ),
  );
  await expect(d.locator('.plot-align path.series')).toHaveAttribute('d', /^M/);
  // …and it rose across at least one catapult by 0.1 or more (seed 0 in Node: 0.06 → 0.22 across steps 52–56).
  const across = await page.evaluate(() => window.__agopDemo!.alignmentAcross() as unknown as Across[]);
  expect(across.filter((x) => x.after - x.before >= 0.1).length).toBeGreaterThanOrEqual(1);

  // The heatmap shows the last block recorded, scaled by its largest entry.
  const j = run.series.agopBlocks.length - 1;
  const model = d.locator('svg[data-panel="model"]');
  await expect(model).toHaveAttribute('data-step', String(run.series.agopStep[j]));
  const block = run.series.agopBlocks[j];
  const mx = Math.max(...block.map(Math.abs));
  const cells = model.locator('g.cells rect');
  await expect(cells).toHaveCount(100);
  for (const i of [0, 11, 37]) {
    await expect(cells.nth(i)).toHaveAttribute('fill-opacity', heatmapOpacity(Math.abs(block[i]) / mx).toFixed(3));
  }
  // The true AGOP's block: about diag(1, 1, 0, …), drawn darkest on the first two diagonal cells.
  const truth = d.locator('svg[data-panel="true"] g.cells rect');
  expect(Number(await truth.nth(0).getAttribute('data-value'))).toBeGreaterThan(0.8);
  expect(Number(await truth.nth(22).getAttribute('data-value'))).toBe(0);
  // Redrawn as it learns: draws are throttled to 20 a second, so two refreshes may share one frame.
  expect(await page.evaluate(() => window.__agopDemo!.heatmapDraws())).toBeGreaterThan(j / 2);
});

test('the plotted loss and alignment equal the Node-side session with the same settings', async ({ page }) => {
  const q = { b: '8' as const, n: 64, d: 12, m: 128, seed: 4, etaRatio: 0.9, agopEvery: 2, maxSteps: 20 };
  const run = await runToEnd(page, `b=8&n=64&d=12&m=128&seed=4&aevery=2&steps=20`);
  expect(run.state).toEqual(q);
  expect(run.k).toBe(10);
  await initBackend(['wasm', 'cpu']);
  const s = AgopSession.create(mergeAgopDefaults(q));
  try {
    expect(Math.abs(run.etaCrit / s.etaCrit - 1)).toBeLessThan(1e-9);
    expect(run.trueAgopBlock).toEqual(s.trueAgopBlock);
    for (let t = 0; t < 20; t++) {
      const r = s.step();
      expect(Math.abs(run.series.trainLoss[t] / r.trainLoss - 1), `loss, step ${t}`).toBeLessThan(1e-3);
      if (r.align !== null) {
        const i = run.series.agopStep.indexOf(t);
        expect(i, `step ${t} has an AGOP`).toBeGreaterThanOrEqual(0);
        expect(Math.abs(run.series.align[i] - r.align), `alignment, step ${t}`).toBeLessThan(1e-3);
      }
    }
  } finally {
    s.dispose();
  }
});

test('one click switches to GD mid-run and the run goes on; another click switches back', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?n=128&d=20&m=256&steps=20000`);
  const d = demo(page);
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => stepsSoFar(page), { timeout: 60_000 }).toBeGreaterThan(20);
  await batchButton(page, 'GD').click();
  await expect.poll(async () => (await getRun(page)).series.batchSize.at(-1), { timeout: 30_000 }).toBe(128);
  await expect(d).toHaveAttribute('data-status', 'running');
  await expect(d.locator('.ro-batch')).toHaveText('GD (all 128)');
  expect(new URL(page.url()).searchParams.get('b')).toBe('gd');
  await expect
    .poll(async () => (await getRun(page)).series.batchSize.filter((b) => b === 128).length)
    .toBeGreaterThan(5);
  await batchButton(page, '16').click();
  await expect.poll(async () => (await getRun(page)).series.batchSize.at(-1), { timeout: 30_000 }).toBe(16);
  await d.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'paused');
  const run = await getRun(page);
  // One run throughout: steps 0, 1, 2, … without a restart, the batch size 16 → GD → 16.
  expect(run.series.steps).toEqual([...run.series.steps.keys()]);
  const changes = run.series.batchSize.flatMap((b, i) => (i > 0 && b !== run.series.batchSize[i - 1] ? [i] : []));
  expect(changes).toHaveLength(2);
  expect(run.series.batchSize[changes[0]]).toBe(128);
  await expect(d.locator('.plot-loss line.batch-change')).toHaveCount(2);
  await expect(d.locator('.plot-loss line.batch-change').first()).toHaveAttribute('data-step', String(changes[0]));
  await expect(d.locator('.demo-legend li').first()).toContainText('this run: b 16 → GD → b 16 · η̄ 0.9 η̄crit');
  // Reset rebuilds with the batch size now chosen.
  await d.getByRole('button', { name: 'Reset', exact: true }).click();
  await d.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(d).toHaveAttribute('data-steps', '1', { timeout: 30_000 });
  expect((await getRun(page)).series.batchSize).toEqual([16]);
});

test('URL state round-trip: the state set through the controls comes back from the shared link', async ({ page }) => {
  await page.goto(DEMO_PAGE);
  const d = demo(page);
  for (const [name, value] of [
    ['n', '256'],
    ['d', '30'],
    ['etaRatio', '0.55'],
    ['seed', '42'],
    ['agopEvery', '3'],
    ['maxSteps', '300'],
  ]) {
    await d.locator(`input[name="${name}"]`).fill(value);
    await d.locator(`input[name="${name}"]`).press('Tab');
  }
  await batchButton(page, '32').click();
  await d.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(d.getByRole('status')).toContainText(/Link copied|Copy the link/);
  const link = (await d.locator('.share-field').inputValue()) || page.url();
  const url = new URL(link);
  expect(Object.fromEntries(url.searchParams)).toEqual({
    b: '32',
    n: '256',
    d: '30',
    seed: '42',
    eta: '0.55',
    aevery: '3',
    steps: '300',
  });
  await page.goto('about:blank');
  await page.goto(url.pathname + url.search);
  await expect(d.locator('input[name="n"]')).toHaveValue('256');
  await expect(d.locator('input[name="etaRatio"]')).toHaveValue('0.55');
  await expect(batchButton(page, '32')).toBeChecked();
  await expect(d.getByRole('status')).toHaveText('');
  expect(await page.evaluate(() => window.__agopDemo!.state())).toEqual({
    b: '32',
    n: 256,
    d: 30,
    m: 512,
    seed: 42,
    etaRatio: 0.55,
    agopEvery: 3,
    maxSteps: 300,
  });
});

test('bad URL parameters give a clear notice naming each, and the URL is corrected', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?b=12&eta=abc&d=1&m=1000000000&aevery=1.5`);
  const d = demo(page);
  const status = d.getByRole('status');
  await expect(status).toBeVisible();
  await expect(status).toContainText('b=12 is not one of 8, 16, 32, 64, 128, gd; using 16');
  await expect(status).toContainText('eta=abc is not a number; using 0.9');
  await expect(status).toContainText('d (input dimension) 1 is below 2; using 2');
  await expect(status).toContainText('width 1000000000 is above 4096; using 4096');
  await expect(status).toContainText('AGOP every 1.5 is not a whole number; using 2');
  await expect(batchButton(page, '16')).toBeChecked();
  await expect(d.locator('input[name="etaRatio"]')).toHaveValue('0.9');
  await expect(d.locator('input[name="m"]')).toHaveValue('4096');
  const url = new URL(page.url());
  expect(url.searchParams.get('b')).toBeNull();
  expect(url.searchParams.get('eta')).toBeNull();
  expect(url.searchParams.get('m')).toBe('4096');
  expect(url.searchParams.get('d')).toBe('2');
  // A batch of n points or more is GD: a notice, GD chosen, the too-large choices disabled.
  await page.goto(`${DEMO_PAGE}?n=64&b=64`);
  await expect(status).toHaveText('batch size 64 is not below n = 64; using GD (the full batch)');
  await expect(batchButton(page, 'GD')).toBeChecked();
  await expect(batchButton(page, '64')).toBeDisabled();
  await expect(batchButton(page, '32')).toBeEnabled();
  expect(new URL(page.url()).searchParams.get('b')).toBe('gd');
});

test('η̄ far above every critical rate at b = 8: the run diverges, stops and says so', async ({ page }) => {
  const run = await runToEnd(page, 'b=8&eta=10&steps=300', /diverged/);
  expect(run.series.steps.length).toBeLessThan(300);
  expect(run.diverged).not.toBeNull();
  const d = demo(page);
  await expect(d.getByRole('alert')).toContainText(
    /^Diverged at step \d+: the loss (exceeded 1e\+6 × its initial value|became NaN or infinite)/,
  );
  await expect(d.getByRole('button', { name: 'Run again', exact: true })).toBeEnabled();
});

test('an earlier run stays drawn faintly on both plots, in the legend and in the download', async ({ page }) => {
  await runToEnd(page, 'steps=20', /finished/);
  const d = demo(page);
  await d.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'ready');
  await batchButton(page, 'GD').click();
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await expect(d.locator('.plot-loss .overlays path.overlay')).toHaveCount(1);
  await expect(d.locator('.plot-align .overlays path.overlay')).toHaveCount(1);
  const legend = d.locator('.demo-legend li');
  await expect(
    legend.filter({ hasText: /^earlier run: b 16 · η̄ 0\.9 η̄crit .* 20 steps, \d+ spikes?, alignment 0\.\d\d$/ }),
  ).toHaveCount(1);
  await expect(legend.filter({ hasText: /^this run: GD · η̄ 0\.9 η̄crit/ })).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    d.getByRole('button', { name: 'Download run' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('agop-run-n512-d50-m512-bgd-eta0.9-seed0.json');
  const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as Run & {
    spikes: Spike[];
    alignmentAcrossCatapults: Across[];
    conventions: Record<string, string>;
    overlaidRuns: (Run & { spikes: Spike[] })[];
  };
  expect(json.series.batchSize).toEqual(new Array(20).fill(512));
  expect(json.series.agopBlocks).toHaveLength(4);
  expect(json.series.agopBlocks.every((b) => b.length === 100)).toBe(true);
  expect(Array.isArray(json.alignmentAcrossCatapults)).toBe(true);
  expect(json.conventions.align).toContain('cos(G, G*)');
  expect(json.overlaidRuns.map((r) => r.state.b)).toEqual(['16']);
  expect(json.overlaidRuns[0].series.trainLoss).toHaveLength(20);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`${colorScheme} scheme: the island has no axe violations, on load and after a run and a batch change`, async ({
    browser,
  }) => {
    const ctx = await browser.newContext({ colorScheme });
    const page = await ctx.newPage();
    await page.goto(`${DEMO_PAGE}?steps=30`);
    const scan = () => new AxeBuilder({ page }).include('[data-agop-demo]').analyze();
    expect((await scan()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
    // A batch change on a finished run continues it; scan once that is done too.
    await batchButton(page, '8').click();
    await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
    await expect(demo(page).locator('.plot-loss line.batch-change')).toHaveCount(1);
    expect((await scan()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await ctx.close();
  });
}

test('on a 390 px phone after a run: no sideways scrolling, tick labels at 11 px or more, heatmaps within the column', async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${DEMO_PAGE}?steps=30`);
  await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  const m = await page.evaluate(() => {
    const island = document.querySelector<HTMLElement>('[data-agop-demo]')!;
    const right = island.getBoundingClientRect().right;
    const sticking = [...island.querySelectorAll<HTMLElement>('*')]
      .filter((e) => e.getBoundingClientRect().right > right + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''}`);
    return { scrollWidth: document.documentElement.scrollWidth, vw: document.documentElement.clientWidth, sticking };
  });
  expect(m.scrollWidth, `page is ${m.scrollWidth} px wide`).toBe(m.vw);
  expect(m.sticking, 'elements wider than the island').toEqual([]);
  const sizes = await demo(page)
    .locator('.plot-loss .tick text, .plot-align .tick text')
    .evaluateAll((els) =>
      els.map((e) => parseFloat(getComputedStyle(e).fontSize) * ((e as SVGGraphicsElement).getScreenCTM()?.a ?? 0)),
    );
  expect(sizes.length).toBeGreaterThan(6);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
  await ctx.close();
});

test('only batch sizes that train at the default η̄ are offered: none below 8', async ({ page }) => {
  await page.goto(DEMO_PAGE);
  const offered = await demo(page)
    .locator('input[name="b"]')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(offered).toEqual(['8', '16', '32', '64', '128', 'gd']);
});

test('presets: "SGD, batch 8" then "GD, same start" set what they name, and the line under the plots compares them', async ({
  page,
}) => {
  await page.goto(`${DEMO_PAGE}?steps=40`);
  const d = demo(page);
  await d.locator('button[data-preset="batch-8"]').click();
  // The preset's whole state over the island's defaults: the control, the URL, and a run that plays.
  await expect(batchButton(page, '8')).toBeChecked();
  await expect(d.locator('input[name="etaRatio"]')).toHaveValue('0.9');
  expect(new URL(page.url()).searchParams.get('b')).toBe('8');
  expect(new URL(page.url()).searchParams.get('steps')).toBeNull();
  await expect.poll(() => stepsSoFar(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
  await expect(d.locator('.demo-summary')).toContainText(/^batch 8: \d+ spikes? of the full-train loss/);
  const sgd = await getRun(page);
  expect(sgd.diverged).toBeNull();
  await d.locator('button[data-preset="gd"]').click();
  await expect(batchButton(page, 'GD')).toBeChecked();
  expect(new URL(page.url()).searchParams.get('b')).toBe('gd');
  await expect.poll(() => stepsSoFar(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(30);
  // GD stays below its critical rate: no spike; the batch-8 run is the overlay it is compared with.
  await expect(d.locator('.demo-summary')).toContainText(
    /^GD: 0 spikes of the full-train loss; alignment 0\.\d+ at step \d+\. (The earlier run \(batch 8\) had 0\.\d+ at the same step|At step \d+, where the earlier run \(batch 8\) stopped)/,
  );
  expect(await page.evaluate(() => window.__agopDemo!.overlays().length)).toBe(1);
});
