/**
 * End-to-end checks of the "make your own catapult" island on the built site: the physics in the
 * browser (linear / catapult / divergent regimes in units of η_crit), URL state with clamping,
 * export, and that tfjs is fetched only after Run. The hosting page is found in dist/ (or DEMO_PAGE).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The built page that hosts the island: DEMO_PAGE, else the first page in dist/ that has it. */
function findDemoPage(dir = 'dist'): string | null {
  if (process.env.DEMO_PAGE) return process.env.DEMO_PAGE;
  if (!existsSync(dir)) return null;
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.html') ? [join(d, e.name)] : []));
  const hit = walk(dir)
    .sort()
    .find((f) => readFileSync(f, 'utf8').includes('data-catapult-demo'));
  return hit ? ('/' + relative(dir, hit).split(sep).join('/')).replace(/index\.html$/, '') : null;
}

const FOUND = findDemoPage();
const DEMO_PAGE = FOUND ?? '/';

test.beforeEach(() => {
  test.skip(FOUND === null, 'no built page contains the catapult demo: run "npm run build:site" (Chapter 1 includes it) or set DEMO_PAGE');
});

interface Run {
  etaCrit: number;
  lambda0: number;
  loss0: number;
  regime: string;
  series: { steps: number[]; loss: number[]; lambdaMax: (number | null)[]; eta: number[] };
}

const demo = (page: Page) => page.locator('[data-catapult-demo]').first();

async function runToEnd(page: Page, query: string, endStatus: RegExp = /finished|diverged/): Promise<Run> {
  await page.goto(`${DEMO_PAGE}?${query}`);
  await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-status', endStatus, { timeout: 90_000 });
  return page.evaluate(() => window.__catapultDemo!.run() as unknown as Run);
}

// Runs train for seconds on a shared 2-core machine: allow more than the default 30 s per test.
test.describe.configure({ timeout: 120_000 });

test('no tfjs, wasm or worker request before Run is pressed', async ({ page }) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto(DEMO_PAGE);
  await expect(demo(page)).toHaveAttribute('data-status', 'idle');
  await page.waitForLoadState('networkidle');
  const heavy = (u: string) => /tfjs|\.wasm|worker/i.test(u);
  expect(urls.filter(heavy)).toEqual([]);
  await demo(page).getByRole('button', { name: 'Step', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-steps', '1', { timeout: 60_000 });
  expect(urls.filter(heavy).length).toBeGreaterThan(0);
});

test('0.5 η_crit: loss descends monotonically and λ_max stays within 5 %', async ({ page }) => {
  const run = await runToEnd(page, 'eta=0.5&steps=60');
  const { loss, lambdaMax } = run.series;
  expect(loss.length).toBe(60);
  for (let i = 1; i < loss.length; i++) expect(loss[i]).toBeLessThanOrEqual(loss[i - 1]);
  expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  const lam = lambdaMax.filter((v): v is number => v !== null);
  expect(lam.length).toBe(60);
  for (const v of lam) expect(Math.abs(v / run.lambda0 - 1)).toBeLessThan(0.05);
  await expect(demo(page).locator('.regime-badge')).toHaveText('linear');
});

test('1.5 η_crit: loss spikes ≥ 10× then falls below its start, λ_max ends lower', async ({ page }) => {
  const run = await runToEnd(page, 'eta=1.5&steps=150');
  const { loss, lambdaMax, eta } = run.series;
  const peakAt = loss.indexOf(Math.max(...loss));
  expect(loss[peakAt]).toBeGreaterThanOrEqual(10 * loss[0]);
  expect(Math.min(...loss.slice(peakAt))).toBeLessThan(loss[0]);
  expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  const lam = lambdaMax.filter((v): v is number => v !== null);
  expect(lam[lam.length - 1]).toBeLessThan(lam[0]);
  // After the catapult the kernel sits below the edge of stability 2/η.
  expect(lam[lam.length - 1]).toBeLessThan(2 / eta[eta.length - 1]);
  expect(eta[0] / run.etaCrit).toBeCloseTo(1.5, 6);
  await expect(demo(page).locator('.regime-badge')).toHaveText('catapult');
  // The plots' alt text states the finding.
  await expect(demo(page).locator('.plot-loss')).toHaveAttribute('aria-label', /peaked at \S+ \(\S+× its start\) at step \d+/);
});

test('5 η_crit: the run diverges, stops and says so; a lower η then trains', async ({ page }) => {
  const run = await runToEnd(page, 'eta=5&steps=40', /diverged/);
  expect(run.series.steps.length).toBeLessThan(40);
  const d = demo(page);
  await expect(d.getByRole('alert')).toContainText('Diverged');
  await expect(d.locator('.regime-badge')).toHaveText('diverged');
  // Lower η after the blow-up and restart: same seed, new η, a linear run to the end.
  await d.locator('input[name="etaRatio"]').fill('0.5');
  await d.locator('input[name="etaRatio"]').press('Tab');
  await d.getByRole('button', { name: 'Run again', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await expect(d.locator('.regime-badge')).toHaveText('linear');
  await expect(d.getByRole('alert')).toBeHidden();
  const after = await page.evaluate(() => window.__catapultDemo!.run() as unknown as Run);
  expect(after.series.steps.length).toBe(40);
  expect(after.series.eta[0] / after.etaCrit).toBeCloseTo(0.5, 6);
});

test('η changed mid-run takes effect at the next steps, in units of the initial η_crit', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?eta=0.5&steps=20000`);
  const d = demo(page);
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => page.evaluate(() => window.__catapultDemo!.run().series.steps.length), { timeout: 60_000 }).toBeGreaterThan(3);
  await d.locator('input[name="etaRatio"]').fill('0.8');
  await d.locator('input[name="etaRatio"]').press('Tab');
  await expect
    .poll(() => page.evaluate(() => { const r = window.__catapultDemo!.run(); return r.series.eta[r.series.eta.length - 1] / r.etaCrit!; }), { timeout: 30_000 })
    .toBeCloseTo(0.8, 6);
  await d.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'paused');
  const run = await page.evaluate(() => window.__catapultDemo!.run() as unknown as Run);
  expect(run.series.eta[0] / run.etaCrit).toBeCloseTo(0.5, 6);
  const n = run.series.steps.length;
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.__catapultDemo!.run().series.steps.length)).toBe(n);
});

test('bad URL values are clamped with a visible notice and the URL is corrected', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?eta=abc&m=1000000000`);
  const status = demo(page).getByRole('status');
  await expect(status).toContainText('eta=abc is not a number; using 1.5');
  await expect(status).toContainText('width 1000000000 is above 4096; using 4096');
  await expect(status).toBeVisible();
  await expect(demo(page).locator('input[name="m"]')).toHaveValue('4096');
  await expect(demo(page).locator('input[name="etaRatio"]')).toHaveValue('1.5');
  expect(new URL(page.url()).searchParams.get('m')).toBe('4096');
  expect(new URL(page.url()).searchParams.get('eta')).toBeNull();
});

test('the URL round-trips the state set through the controls', async ({ page }) => {
  await page.goto(DEMO_PAGE);
  const d = demo(page);
  await d.locator('select[name="task"]').selectOption('two-gaussian');
  await d.locator('input[name="n"]').fill('64');
  await d.locator('input[name="n"]').press('Tab');
  await d.locator('input[name="m"]').fill('512');
  await d.locator('input[name="m"]').press('Tab');
  await d.locator('input[name="etaRatio"]').fill('2.25');
  await d.locator('input[name="etaRatio"]').press('Tab');
  await d.locator('input[name="seed"]').fill('42');
  await d.locator('input[name="seed"]').press('Tab');
  const url = new URL(page.url());
  expect(Object.fromEntries(url.searchParams)).toMatchObject({ task: 'two-gaussian', n: '64', m: '512', eta: '2.25', seed: '42' });
  await page.goto(url.pathname + url.search);
  await expect(d.locator('select[name="task"]')).toHaveValue('two-gaussian');
  await expect(d.locator('input[name="n"]')).toHaveValue('64');
  await expect(d.locator('input[name="m"]')).toHaveValue('512');
  await expect(d.locator('input[name="etaRatio"]')).toHaveValue('2.25');
  await expect(d.locator('input[name="seed"]')).toHaveValue('42');
  await expect(d.getByRole('status')).toHaveText('');
  expect(await page.evaluate(() => window.__catapultDemo!.state())).toMatchObject({ task: 'two-gaussian', n: 64, m: 512, etaRatio: 2.25, seed: 42 });
});

test('"Download run" yields valid JSON with the state, backend and every series', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?steps=12&m=256`);
  const d = demo(page);
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), d.getByRole('button', { name: 'Download run' }).click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  const json = JSON.parse(await readFile(path, 'utf8'));
  expect(json.state).toMatchObject({ m: 256, maxSteps: 12, task: 'rank2' });
  expect(['wasm', 'webgl', 'cpu']).toContain(json.backend);
  expect(json.versions['tfjs-core']).toMatch(/^\d+\.\d+\.\d+/);
  expect(json.series.steps).toEqual([...Array(12).keys()]);
  expect(json.series.loss).toHaveLength(12);
  expect(json.series.lambdaMax).toHaveLength(12);
  expect(json.etaCrit).toBeCloseTo(2 / json.lambda0, 10);
  expect(json.conventions.loss).toContain('½ Σ');
});

test('controls are keyboard-operable: Tab reaches Run and Enter starts a run', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?steps=10&m=128`);
  const run = demo(page).getByRole('button', { name: 'Run', exact: true });
  await run.focus();
  await expect(run).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await expect(demo(page).locator('.ro-step')).toHaveText('9');
});

test('Share puts the current link in the clipboard or in a visible text field', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?m=512`);
  const d = demo(page);
  await d.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(d.getByRole('status')).toContainText(/Link copied|Copy the link/);
  const field = d.locator('.share-field');
  if (await field.isVisible()) await expect(field).toHaveValue(/[?&]m=512/);
});

test('at the default settings the live run reproduces the precomputed reference', async ({ page }) => {
  await page.goto(DEMO_PAGE);
  const hasRef = await demo(page).getAttribute('data-reference');
  test.skip(!hasRef, 'this page passes no reference trace');
  await expect(demo(page).locator('.plot-loss .reference')).toHaveAttribute('d', /^M/);
  const ref = JSON.parse(hasRef!) as { steps: number[]; loss: number[]; lambdaMax?: number[] };
  await page.goto(`${DEMO_PAGE}?steps=60`);
  await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  const run = await page.evaluate(() => window.__catapultDemo!.run() as unknown as Run);
  // Same seed, data, init and backend as the precompute: the loss agrees to the trace's rounding
  // through the whole catapult; λ_max to the float32 Lanczos accuracy (the trace uses float64).
  for (let i = 0; i < 60; i++) {
    expect(run.series.steps[i]).toBe(ref.steps[i]);
    expect(Math.abs(run.series.loss[i] / ref.loss[i] - 1)).toBeLessThan(1e-4);
    if (ref.lambdaMax) expect(Math.abs((run.series.lambdaMax[i] as number) / ref.lambdaMax[i] - 1)).toBeLessThan(1e-3);
  }
});

test('the island has no axe violations, before and after a run', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?steps=10&m=128`);
  const scan = () => new AxeBuilder({ page }).include('[data-catapult-demo]').analyze();
  expect((await scan()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await demo(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  expect((await scan()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('scrolling the island off screen pauses the run, scrolling back resumes it', async ({ page }) => {
  await page.goto(`${DEMO_PAGE}?steps=20000&m=256`);
  const d = demo(page);
  await d.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(d).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  // Push the island out of the viewport with a tall spacer after it.
  await page.evaluate(() => {
    const spacer = Object.assign(document.createElement('div'), { id: 'spacer' });
    spacer.style.height = '5000px';
    document.body.append(spacer);
    spacer.scrollIntoView({ block: 'end' });
  });
  await expect(d.getByRole('status')).toHaveText('Paused while the demo is off screen.');
  await expect(d).toHaveAttribute('data-status', 'paused');
  await d.scrollIntoViewIfNeeded();
  await expect(d).toHaveAttribute('data-status', 'running');
  await d.getByRole('button', { name: 'Pause', exact: true }).click();
});
