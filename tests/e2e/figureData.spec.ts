/**
 * Figure data: each figure's page holds its data once (no CSV copy, no second copy of a series), and
 * the CSV and JSON downloads built from it in the browser are the committed trace, row for row, and
 * the spec the CSV is written from.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { figureCsv } from '../../src/site/figureCsv';
import type { FigureSpec } from '../../src/site/figure';

interface UvTrace {
  seed: number;
  summary: { etaLambda0: number; observedOutcome: string };
  series: { step: number[]; loss: number[]; lambda: number[] };
}
const DIR = 'content/traces/uv-catapult';
/** Figure 1's runs: the uv model's trajectories of seed 0 (as uvTrajectories() picks them). */
const uvRuns = (): UvTrace[] =>
  readdirSync(DIR)
    .filter((f) => /^traj-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(`${DIR}/${f}`, 'utf8')) as UvTrace)
    .filter((t) => t.seed === 0);

async function downloadText(page: Page, figure: string, kind: string): Promise<string> {
  const [dl]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`figure#${figure} button[data-download="${kind}"]`).click(),
  ]);
  return readFileSync((await dl.path())!, 'utf8');
}

test('the CSV download of Figure 1 is its traces, row for row, and the CSV of the JSON download’s spec', async ({
  page,
}) => {
  await page.goto('/chapters/catapults-in-gd/');
  const csv = await downloadText(page, 'fig-uv', 'csv');
  const json = JSON.parse(await downloadText(page, 'fig-uv', 'json')) as { label: string; spec: FigureSpec };
  expect(json.label).toBe('fig-uv');
  expect(csv).toBe(figureCsv(json.spec));
  const lines = csv.split('\n');
  const runs = uvRuns();
  expect(runs.length).toBeGreaterThanOrEqual(3);
  for (const [panel, key] of [
    ['Loss ½f²', 'loss'],
    ['Tangent kernel λ', 'lambda'],
  ] as const)
    for (const t of runs) {
      const name = `η·λ_0 = ${t.summary.etaLambda0} (${t.summary.observedOutcome})`;
      const want = t.series.step.map((s, i) => `${panel},${name},${s},${t.series[key][i]},,`);
      expect(lines.filter((l) => l.startsWith(`${panel},${name},`))).toEqual(want);
    }
});

test('each figure embeds its data once: no CSV in the page, no series written twice', async ({ request }) => {
  const html = await (await request.get('/chapters/catapults-in-gd/')).text();
  const figures = html.match(/<figure class="fig"/g)?.length ?? 0;
  expect(figures).toBeGreaterThan(0);
  expect(html.match(/class="fig-data"/g)?.length).toBe(figures);
  expect(html).not.toContain('panel,series,x,y');
  // A run of one trace's values, as JSON writes them: in the page at most once.
  const loss = uvRuns()[0].series.loss.slice(0, 6).join(',');
  expect(html.split(loss).length - 1).toBeLessThanOrEqual(1);
});

test('the read-out works from the embedded data on hover', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const panel = page.locator('figure#fig-uv svg.fig-panel:visible').first();
  await panel.scrollIntoViewIfNeeded();
  const box = (await panel.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator('figure#fig-uv .readout-text')).toContainText('step =');
});
