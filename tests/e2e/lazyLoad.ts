/**
 * Browser-side checks that wait for conditions that surely come, never for network silence or a fixed
 * time: a page is settled once it has loaded, its fonts are ready and two frames have painted; a
 * request that must not happen before a click is judged by the browser's own resource timeline
 * (each entry's start time against the click's), so a slow machine cannot turn it into a false failure.
 */
import { expect, type Locator, type Page } from '@playwright/test';

/** URLs of the demo runtime: tfjs chunks, WebAssembly binaries and the demo worker. */
export const isHeavy = (url: string): boolean => /tfjs|\.wasm|worker/i.test(url);

/** Resolves once the document has loaded, its fonts are ready and two animation frames have run. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
  });
}

/**
 * Opens `path`, waits for the demo island to be idle and the page settled, presses the demo's Step
 * button, and requires that no heavy resource started before that press and that some did after it.
 */
export async function expectRuntimeOnlyAfterStep(page: Page, path: string, demo: (p: Page) => Locator): Promise<void> {
  // the timeline's default buffer (250 entries) could drop late entries on a page with many fonts
  await page.addInitScript(() => performance.setResourceTimingBufferSize(10_000));
  await page.goto(path);
  await expect(demo(page)).toHaveAttribute('data-status', 'idle');
  await settled(page);
  const clickedAt = await page.evaluate(() => performance.now());
  await demo(page).getByRole('button', { name: 'Step', exact: true }).click();
  await expect(demo(page)).toHaveAttribute('data-steps', '1', { timeout: 60_000 });
  const heavy = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => ({ name: e.name, start: e.startTime })),
  );
  const before = heavy.filter((e) => isHeavy(e.name) && e.start < clickedAt).map((e) => e.name);
  expect(before, 'tfjs, wasm or worker requested before Step was pressed').toEqual([]);
  expect(heavy.filter((e) => isHeavy(e.name)).length, 'the runtime loads once Step is pressed').toBeGreaterThan(0);
}
