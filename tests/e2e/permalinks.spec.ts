/**
 * Section permalinks: every h2 and h3 of every chapter has an id (unique on the page) and holds a
 * link with an accessible name whose href is `#<that id>`; following it scrolls the heading to the
 * top of the window.
 */
import { expect, test } from '@playwright/test';
import { CHAPTERS } from './pages';

for (const path of CHAPTERS) {
  test(`${path}: every h2/h3 has a labelled permalink to its own id`, async ({ page }) => {
    await page.goto(path);
    const headings = await page.evaluate(() =>
      [...document.querySelectorAll('article h2, article h3')].map((h) => {
        const a = h.querySelector('a[href^="#"]');
        return {
          text: (h.textContent ?? '').trim().slice(0, 60),
          id: h.id,
          href: a?.getAttribute('href') ?? null,
          label: a?.getAttribute('aria-label') ?? a?.getAttribute('title') ?? null,
        };
      }),
    );
    expect(headings.length, 'headings on the chapter').toBeGreaterThan(3);
    const ids = headings.map((h) => h.id);
    expect(new Set(ids).size, 'heading ids are unique').toBe(ids.length);
    const bad = headings.filter((h) => !h.id || h.href !== `#${h.id}` || !h.label?.trim());
    expect(bad, 'headings without a labelled permalink to their id').toEqual([]);
  });
}

test('a permalink scrolls its heading into view', async ({ page }) => {
  await page.goto(CHAPTERS[0]);
  const anchors = page.locator('article h2 a[href^="#"]');
  await expect(anchors.first()).toBeAttached({ timeout: 5_000 });
  // The third section's: far enough down that the page can scroll it to the top.
  const link = anchors.nth(2);
  const href = (await link.getAttribute('href'))!;
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  const top = await page.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, href.slice(1));
  expect(Math.abs(top)).toBeLessThan(80);
});
