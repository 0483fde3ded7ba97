/**
 * End-to-end checks of the "Watch SGD spike" island on the built site: a spike is detected within
 * 500 steps at a small batch size, the plotted per-batch critical rates equal a recomputation in
 * Node (from scratch at w0, and against the Node-side session for the first steps), URL state with
 * clamping, share link, download, divergence, the default's batches on both sides of η̄, earlier runs
 * as overlays, accessibility in both colour schemes, and that tfjs is fetched only after Run.
 * The hosting page is found in dist/ (or SGD_DEMO_PAGE).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectRuntimeOnlyAfterStep } from './lazyLoad';
import AxeBuilder from '@axe-core/playwright';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { rank2Task, sampleTask } from '../../src/lib/tasks';
import { createShallowNet } from '../../src/lib/models/shallow';
import { lambdaMax } from '../../src/lib/tangentKernel';
import { mergeSgdSpikeDefaults } from '../../src/demos/sgd-spikes/sgdSpikeDemoState';
import { SgdSpikeSession } from '../../src/demos/sgd-spikes/sgdSpikeSession';

/** The built page that hosts the island: SGD_DEMO_PAGE, else the first page in dist/ that has it. */
function findDemoPage(dir = 'dist'): string | null {
  if (process.env.SGD_DEMO_PAGE) return process.env.SGD_DEMO_PAGE;
  if (!existsSync(dir)) return null;
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.html') ? [join(d, e.name)] : [],
    );
  const hit = walk(dir)
    .sort()
    .find((f) => readFileSync(f, 'utf8').includes('data-sgd-spike-demo'));
  return hit ? ('/' + relative(dir, hit).split(sep).join('/')).replace(/index\.html$/, '') : null;
}

const FOUND = findDemoPage();
const DEMO_PAGE = FOUND ?? '/';

test.beforeEach(() => {
  test.skip(
    FOUND === null,
    'no built page contains the SGD demo: run "npm run build:site" (Chapter 2 includes it) or set SGD_DEMO_PAGE',
  );
});

interface Spike {
  start: number;
  peak: number;
  end: number | null;
  ratio: number;
  diverged: boolean;
}
interface Run {
  state: { n: number; d: number; m: number; b: number; seed: number; etaRatio: number; maxSteps: number };
  backend: string;
  versions: Record<string, string>;
  etaCrit: number;
  lambda0: number;
  diverged: { step: number; reason: string } | null;
  series: {
    steps: number[];
    trainLoss: number[];
    batchLoss: number[];
    batchEtaCrit: number[];
    eta: number[];
    batches: number[][];
  };
}

const demo = (page: Page) => page.locator('[data-sgd-spike-demo]').first();
const getRun = (page: Page) => page.evaluate(() => window.__sgdSpikeDemo!.run() as unknown as Run);

async function runToEnd(page: Page, query: string, endStatus: RegExp = /finished|diverged/): Promise<Run> {
  await page.goto(`${DEMO_PAGE}?${query}`);
  await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-status', endStatus, { timeout: 100_000 });
  return getRun(page);
}

/** [step, ratio] of every drawn critical-rate point, once `count` are drawn. */
async function plottedCritPoints(page: Page, count: number): Promise<[number, number][]> {
  const pts = demo(page).locator('.plot-crit circle.crit-point');
  await expect(pts).toHaveCount(count);
  return pts.evaluateAll((els) =>
    els.map((e) => [Number(e.getAttribute('data-step')), Number(e.getAttribute('data-ratio'))] as [number, number]),
  );
}

// Runs train for seconds on a shared 2-core machine: allow more than the default 30 s per test.
test.describe.configure({ timeout: 150_000 });

test('no tfjs, wasm or worker request before Run is pressed', async ({ page }) => {
  await expectRuntimeOnlyAfterStep(page, DEMO_PAGE, demo);
});

test('b = 8, η̄ = 0.9 η̄_crit, seed 0: the detector finds a spike within 500 steps, marked and counted', async ({
  page,
}) => {
  const run = await runToEnd(page, 'b=8&eta=0.9&seed=0&steps=500');
  expect(run.diverged).toBeNull();
  expect(run.series.steps).toHaveLength(500);
  const spikes = await page.evaluate(() => window.__sgdSpikeDemo!.spikes() as unknown as Spike[]);
  const done = spikes.filter((e) => !e.diverged);
  expect(done.length).toBeGreaterThanOrEqual(1);
  // The first spike: the full-train loss more than doubles over its running minimum, then falls back.
  const first = done[0];
  expect(first.start).toBeLessThan(500);
  expect(run.series.trainLoss[first.peak]).toBeGreaterThan(
    2 * Math.min(...run.series.trainLoss.slice(0, first.start + 1)),
  );
  const d = demo(page);
  await expect(d).toHaveAttribute('data-spikes', String(done.length));
  await expect(d.locator('.ro-spikes')).toHaveText(new RegExp(`^${done.length}`));
  await expect(d.locator('.plot-loss .spike-marker')).toHaveCount(done.length);
  await expect(d.locator('.plot-loss .spike-band')).toHaveCount(done.length);
  await expect(d.locator('.plot-loss')).toHaveAttribute(
    'aria-label',
    new RegExp(`${done.length} spikes? detected, the largest`),
  );
  // Points below the η̄ line are drawn as such: every batch whose critical rate is below η̄.
  const below = run.series.batchEtaCrit.filter((c, i) => c < run.series.eta[i]).length;
  await expect(d.locator('.plot-crit circle.crit-point.below')).toHaveCount(below);
  expect(below).toBeGreaterThan(0);
});

test('the plotted batch critical rates equal 2b/λ_max(K(w; X_B)) recomputed in Node, and the Node session', async ({
  page,
}) => {
  const q = { n: 256, d: 100, m: 512, b: 8, seed: 4, etaRatio: 0.9, maxSteps: 20 };
  const run = await runToEnd(page, `seed=${q.seed}&eta=${q.etaRatio}&steps=${q.maxSteps}`);
  expect(run.state).toEqual(q);
  const plotted = await plottedCritPoints(page, 20);
  // The download carries the batches the plot is about.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    demo(page).getByRole('button', { name: 'Download run' }).click(),
  ]);
  const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as Run & {
    spikes: Spike[];
    conventions: Record<string, string>;
  };
  expect(json.series.batches).toHaveLength(20);
  expect(json.series.batches.every((b) => b.length === 8)).toBe(true);
  expect(json.conventions.batchEtaCrit).toContain('2b/λ_max(K(w_t; X_B))');

  await initBackend(['wasm', 'cpu']);
  // Step 0 from scratch: data and w0 from the seed's streams, the batch from the download.
  const prng = new Prng(q.seed);
  const data = sampleTask(rank2Task(q.d), q.n, prng.fork(1));
  const net = createShallowNet({ d: q.d, m: q.m, prng: prng.fork(2) });
  const X = tf.tensor2d(data.X, [q.n, q.d]);
  const Xb = tf.gather(X, json.series.batches[0]) as tf.Tensor2D;
  const unit = (2 * q.n) / lambdaMax(net, X);
  const expected0 = (2 * q.b) / lambdaMax(net, Xb) / unit;
  [X, Xb].forEach((t) => t.dispose());
  net.dispose();
  expect(plotted[0][0]).toBe(0);
  expect(Math.abs(plotted[0][1] / expected0 - 1)).toBeLessThan(1e-6);
  expect(Math.abs(json.etaCrit / unit - 1)).toBeLessThan(1e-9);

  // Every step against the Node-side session with the same settings: same batches, same rates.
  const s = SgdSpikeSession.create(mergeSgdSpikeDefaults(q));
  try {
    for (let t = 0; t < 20; t++) {
      const r = s.step();
      expect(json.series.batches[t]).toEqual(r.batch);
      expect(plotted[t][0]).toBe(t);
      expect(Math.abs(plotted[t][1] / (r.batchEtaCrit / s.etaCrit) - 1), `step ${t}`).toBeLessThan(1e-3);
      expect(Math.abs(json.series.trainLoss[t] / r.trainLoss - 1), `step ${t}`).toBeLessThan(1e-3);
    }
  } finally {
    s.dispose();
  }
});

test('out-of-range and non-numeric URL values are clamped with a visible notice and the URL is corrected', async ({
  page,
}) => {
  await page.goto(`${DEMO_PAGE}?b=0&eta=abc&n=64&m=1000000000`);
  const d = demo(page);
  const status = d.getByRole('status');
  await expect(status).toBeVisible();
  await expect(status).toContainText('batch size 0 is below 1; using 1');
  await expect(status).toContainText('eta=abc is not a number; using 0.6');
  await expect(status).toContainText('width 1000000000 is above 4096; using 4096');
  await expect(d.locator('input[name="b"]')).toHaveValue('1');
  await expect(d.locator('input[name="etaRatio"]')).toHaveValue('0.6');
  await expect(d.locator('input[name="m"]')).toHaveValue('4096');
  const url = new URL(page.url());
  expect(url.searchParams.get('b')).toBe('1');
  expect(url.searchParams.get('eta')).toBeNull();
  expect(url.searchParams.get('m')).toBe('4096');
  // A batch larger than n, typed into the control, becomes n with a notice.
  await d.locator('input[name="b"]').fill('100');
  await d.locator('input[name="b"]').press('Tab');
  await expect(status).toHaveText('batch size 100 is above n = 64; using 64');
  await expect(d.locator('input[name="b"]')).toHaveValue('64');
  expect(new URL(page.url()).searchParams.get('b')).toBe('64');
});

test('share link round-trip: the state set through the controls comes back from the link', async ({ page }) => {
  await page.goto(DEMO_PAGE);
  const d = demo(page);
  for (const [name, value] of [
    ['n', '128'],
    ['b', '16'],
    ['etaRatio', '0.55'],
    ['seed', '42'],
    ['maxSteps', '400'],
  ]) {
    await d.locator(`input[name="${name}"]`).fill(value);
    await d.locator(`input[name="${name}"]`).press('Tab');
  }
  await d.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(d.getByRole('status')).toContainText(/Link copied|Copy the link/);
  const field = d.locator('.share-field');
  const link = (await field.inputValue()) || page.url();
  const url = new URL(link);
  expect(Object.fromEntries(url.searchParams)).toMatchObject({
    n: '128',
    b: '16',
    eta: '0.55',
    seed: '42',
    steps: '400',
  });
  await page.goto('about:blank');
  await page.goto(url.pathname + url.search);
  await expect(d.locator('input[name="n"]')).toHaveValue('128');
  await expect(d.locator('input[name="b"]')).toHaveValue('16');
  await expect(d.locator('input[name="etaRatio"]')).toHaveValue('0.55');
  await expect(d.locator('input[name="seed"]')).toHaveValue('42');
  await expect(d.getByRole('status')).toHaveText('');
  expect(await page.evaluate(() => window.__sgdSpikeDemo!.state())).toEqual({
    n: 128,
    d: 100,
    m: 512,
    b: 16,
    seed: 42,
    etaRatio: 0.55,
    maxSteps: 400,
  });
});

test('η̄ far above every critical rate: the run diverges, stops and says so', async ({ page }) => {
  const run = await runToEnd(page, 'eta=10&steps=200', /diverged/);
  expect(run.series.steps.length).toBeLessThan(200);
  expect(run.diverged).not.toBeNull();
  const d = demo(page);
  await expect(d.getByRole('alert')).toContainText(
    /^Diverged at step \d+: the loss (exceeded 1e\+6 × its initial value|became NaN or infinite)/,
  );
  await expect(d.getByRole('button', { name: 'Run again', exact: true })).toBeEnabled();
});

test('η̄ changed mid-run applies from the next steps; Reset restarts from the same seed', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?eta=0.3&steps=20000`);
  const d = demo(page);
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect
    .poll(() => page.evaluate(() => window.__sgdSpikeDemo!.run().series.steps.length), { timeout: 60_000 })
    .toBeGreaterThan(3);
  await d.locator('input[name="etaRatio"]').fill('0.6');
  await d.locator('input[name="etaRatio"]').press('Tab');
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const r = window.__sgdSpikeDemo!.run();
          return r.series.eta[r.series.eta.length - 1] / r.etaCrit!;
        }),
      { timeout: 30_000 },
    )
    .toBeCloseTo(0.6, 9);
  await d.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'paused');
  const before = await getRun(page);
  expect(before.series.eta[0] / before.etaCrit).toBeCloseTo(0.3, 9);
  await d.getByRole('button', { name: 'Reset', exact: true }).click();
  await d.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(d).toHaveAttribute('data-steps', '1', { timeout: 30_000 });
  const after = await getRun(page);
  expect(after.series.batches[0]).toEqual(before.series.batches[0]);
  expect(after.series.trainLoss[0]).toBe(before.series.trainLoss[0]);
  expect(after.series.eta[0] / after.etaCrit).toBeCloseTo(0.6, 9);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`${colorScheme} scheme: the island has no axe violations, on load and after a run`, async ({ browser }) => {
    const ctx = await browser.newContext({ colorScheme });
    const page = await ctx.newPage();
    await page.goto(`${DEMO_PAGE}?steps=30`);
    const scan = () => new AxeBuilder({ page }).include('[data-sgd-spike-demo]').analyze();
    expect((await scan()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
    expect((await scan()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await ctx.close();
  });
}

test('at the default settings the batches lie on both sides of η̄, and the plot draws both kinds', async ({ page }) => {
  await page.goto(DEMO_PAGE);
  const d = demo(page);
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect
    .poll(() => page.evaluate(() => window.__sgdSpikeDemo!.run().series.steps.length), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(100);
  await d.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'paused');
  const run = await getRun(page);
  expect(run.state.etaRatio).toBe(await page.evaluate(() => window.__sgdSpikeDemo!.state().etaRatio));
  const first = run.series.batchEtaCrit.slice(0, 100).map((c, i) => c < run.series.eta[i]);
  const below = first.filter(Boolean).length;
  // Both stable and unstable batches among the first 100 steps, each at least a tenth of them.
  expect(below).toBeGreaterThanOrEqual(10);
  expect(100 - below).toBeGreaterThanOrEqual(10);
  await expect(d.locator('.plot-crit circle.crit-point.below').first()).toBeAttached();
  await expect(d.locator('.plot-crit circle.crit-point:not(.below)').first()).toBeAttached();
  // The run is long enough to change η̄ in: the default budget is not used up after 100 steps and a Pause.
  expect(run.series.steps.length).toBeLessThan(run.state.maxSteps);
});

test('two earlier runs: two faint loss lines with legend entries, both in the download', async ({ page }) => {
  await runToEnd(page, 'steps=20', /finished/);
  const d = demo(page);
  await d.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'ready');
  await d.locator('input[name="etaRatio"]').fill('0.9');
  await d.locator('input[name="etaRatio"]').press('Tab');
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await d.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'ready');
  await expect(d.locator('.plot-loss .overlays path.overlay')).toHaveCount(2);
  const legend = d.locator('.demo-legend li');
  await expect(legend.filter({ hasText: /^earlier run: b 8 · η̄ 0\.6 η̄crit .* 20 steps, \d+ spikes?$/ })).toHaveCount(1);
  await expect(legend.filter({ hasText: /^earlier run: b 8 · η̄ 0\.9 η̄crit .* 20 steps, \d+ spikes?$/ })).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    d.getByRole('button', { name: 'Download run' }).click(),
  ]);
  const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as Run & {
    overlaidRuns: (Run & { spikes: Spike[] })[];
  };
  expect(json.overlaidRuns.map((r) => r.state.etaRatio)).toEqual([0.6, 0.9]);
  expect(json.overlaidRuns.every((r) => r.series.trainLoss.length === 20 && Array.isArray(r.spikes))).toBe(true);
});

test('tick labels of the plots render at 11 px or more on a 390 px screen', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${DEMO_PAGE}?steps=10`);
  await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  const sizes = await demo(page)
    .locator('.demo-plots svg .tick text')
    .evaluateAll((els) =>
      els.map((e) => parseFloat(getComputedStyle(e).fontSize) * ((e as SVGGraphicsElement).getScreenCTM()?.a ?? 0)),
    );
  expect(sizes.length).toBeGreaterThan(6);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
  await ctx.close();
});

test('presets: each sets the state it names (controls and URL) and, run, shows what it names', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?m=256`);
  const d = demo(page);
  const cases = [
    { id: 'big-spikes', b: '8', eta: '0.9', line: /^\d+ spikes so far, [1-9]\d* of them catapults/ },
    { id: 'small-batch', b: '2', eta: '0.3', line: /^\d+ spikes? so far, [1-9]\d* of them (a catapult|catapults)/ },
    {
      id: 'below-every-batch',
      b: '8',
      eta: '0.3',
      line: /^No spike of the full-train loss yet\. 0 of the last 100 steps were above/,
    },
  ];
  for (const c of cases) {
    await d.locator(`button[data-preset="${c.id}"]`).click();
    await expect(d.locator('input[name="b"]')).toHaveValue(c.b);
    await expect(d.locator('input[name="etaRatio"]')).toHaveValue(c.eta);
    const url = new URL(page.url());
    expect(url.searchParams.get('eta')).toBe(c.eta);
    expect(url.searchParams.get('b')).toBe(c.b === '8' ? null : c.b);
    expect(url.searchParams.get('m')).toBeNull();
    // The rebuilt run (the one before may have ended already): its state is the preset's.
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const st = window.__sgdSpikeDemo!.run().state;
            return [st.b, st.etaRatio];
          }),
        { timeout: 60_000 },
      )
      .toEqual([Number(c.b), Number(c.eta)]);
    await expect(d).toHaveAttribute('data-status', 'finished', { timeout: 100_000 });
    const run = await getRun(page);
    expect(run.state).toMatchObject({ b: Number(c.b), etaRatio: Number(c.eta), m: 512, maxSteps: 300 });
    await expect(d.locator('.demo-summary')).toHaveText(c.line);
  }
});

test('step-axis tick labels never overlap, on a phone and on a wide screen, for a long run', async ({ browser }) => {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${DEMO_PAGE}?steps=1500&m=64&n=16&d=2`);
    await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
    // At the end the step axis spans the whole budget, 0 … 1,499: eight four-digit labels at the old spacing.
    await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 100_000 });
    for (const plot of ['.plot-loss', '.plot-crit']) {
      const ticks = demo(page).locator(`${plot} .x-axis .tick text`);
      await expect(ticks.last()).toHaveText(/^1,\d00$/);
      const boxes = await ticks.evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, right: r.right, text: e.textContent };
        }),
      );
      for (let i = 1; i < boxes.length; i++)
        expect(boxes[i].left, `${plot} at ${width} px: "${boxes[i - 1].text}" and "${boxes[i].text}"`).toBeGreaterThan(
          boxes[i - 1].right + 2,
        );
    }
    await page.close();
  }
});
