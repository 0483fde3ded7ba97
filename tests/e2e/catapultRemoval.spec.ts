/**
 * The catapult-removal test as a reader meets it: chapter 3 draws one panel per task and batch size,
 * its lead finding quotes the share of SGD's alignment gain the capped runs keep, recomputed here
 * from the committed JSON files alone; the takeaway, the report row and the landing page's chapter-3
 * lead say the same thing; the rule and the per-cell numbers sit in collapsed lab notes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

type Json = { runKey: string; seed: number; config: Record<string, unknown>; summary: Record<string, unknown> };
const read = (exp: string): Json[] =>
  readdirSync(join('content/traces', exp))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.model.json'))
    .map((f) => JSON.parse(readFileSync(join('content/traces', exp, f), 'utf8')) as Json);

const removal = read('catapult-removal');
const sweep = read('agop-batch-sweep');
const cells = [...new Set(removal.map((t) => `${t.config.task}-b${t.config.b}`))];

/** The capped arm's kept share of the alignment gain in one cell, from the raw files (seeds where every arm converged). */
function keptCapped(task: string, b: number): number {
  const rows = removal
    .filter((t) => t.config.task === task && t.config.b === b)
    .map((t) => {
      const pick = (batch: number) =>
        sweep.find(
          (s) => s.summary.task === task && s.summary.batchSize === batch && !s.summary.control && s.seed === t.seed,
        )!;
      return { t, gd: pick(t.config.n as number), u: pick(b) };
    })
    .filter(
      ({ t, gd, u }) =>
        t.summary.cappedStop === 'converged' &&
        (t.summary.matchedStop ?? 'converged') === 'converged' &&
        gd.summary.stopReason === 'converged' &&
        u.summary.stopReason === 'converged',
    );
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  const gain = mean(rows.map((r) => (r.u.summary.alignTrain as number) - (r.gd.summary.alignTrain as number)));
  const kept = mean(rows.map((r) => (r.t.summary.cappedAlign as number) - (r.gd.summary.alignTrain as number)));
  return kept / gain;
}

test('chapter 3 draws the test: one panel per task and batch size, the capped share recomputed from the files', async ({
  page,
}) => {
  await page.goto('/chapters/agop/');
  const fig = page.locator('figure#fig-catapult-removal');
  await expect(fig.locator('svg.fig-panel')).toHaveCount(cells.length);
  const alt = (await fig.locator('.panels').getAttribute('aria-label')) ?? '';
  for (const cell of cells) {
    const [task, b] = [cell.split('-b')[0], Number(cell.split('-b')[1])];
    const pct = `${Math.round(100 * keptCapped(task, b))}\u00a0%`;
    const name = `${task === 'rank2' ? 'Rank-2' : 'Rank-4'}, batch ${b}: capping keeps ${pct}`;
    expect(alt, `alt text for ${cell}`).toContain(name);
  }
});

test('takeaway, report row and landing lead agree on what removing the catapults did', async ({ page }) => {
  await page.goto('/report/');
  const status = (await page.locator('tr#ch3-catapult-removal-alignment .status').textContent())?.trim();
  expect(['reproduced', 'partly reproduced', 'not reproduced']).toContain(status);
  const takeaway =
    { reproduced: 'In our runs they do:', 'not reproduced': 'In our runs they do not:' }[status as string] ??
    'In our runs only in part:';
  const lead =
    { reproduced: 'and the catapults do it', 'not reproduced': 'but not through catapults' }[status as string] ??
    'removes part of that gain';
  await page.goto('/chapters/agop/');
  await expect(page.locator('article, main').first()).toContainText(takeaway);
  await page.goto('/');
  await expect(page.locator('ol.findings > li').nth(2)).toContainText(lead);
});

test('the rule and the per-cell tables sit in lab notes, collapsed until opened', async ({ page }) => {
  await page.goto('/chapters/agop/');
  const notes = page.locator('details#catapult-removal-notes');
  await expect(notes).not.toHaveAttribute('open', '');
  await expect(notes.locator('table').first()).toBeHidden();
  // its own summary (each table in it has a settings disclosure of its own)
  await notes.locator(':scope > summary').click();
  await expect(notes).toContainText('written before the runs');
  await expect(notes.locator('table')).toHaveCount(3);
  await expect(notes.locator('table').first().locator('tbody tr')).toHaveCount(cells.length);
});
