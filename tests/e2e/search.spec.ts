/**
 * Search (Pagefind, indexed after the build): "AGOP alignment" finds the AGOP chapter first, with an
 * excerpt marking the match; a search linked with ?q= runs on load; the index, script and WebAssembly load
 * from the site itself under its CSP, with no console error.
 */
import { expect, test } from '@playwright/test';

test('searching "AGOP alignment" returns the AGOP chapter, from the site alone, under the CSP', async ({ page }) => {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/search/');
  await page.getByLabel('Search the chapters and the report').fill('AGOP alignment');
  await page.getByRole('button', { name: 'Search' }).click();
  const first = page.locator('#search-results li').first();
  await expect(first.locator('a')).toHaveAttribute('href', '/chapters/agop/', { timeout: 20_000 });
  await expect(first.locator('mark').first()).toBeVisible();
  await expect(page.locator('#search-status')).toContainText('match');
  await expect(page).toHaveURL(/\?q=AGOP%20alignment$/);
  expect(requests.some((u) => u.includes('/pagefind/'))).toBe(true);
  expect(requests.filter((u) => !/^(data:|blob:|http:\/\/127\.0\.0\.1[:/])/.test(u))).toEqual([]);
  expect(errors, 'console errors (a CSP violation is one)').toEqual([]);
});

test('a linked search runs on load', async ({ page }) => {
  await page.goto('/search/?q=catapult');
  await expect(page.getByLabel('Search the chapters and the report')).toHaveValue('catapult');
  await expect(page.locator('#search-results li a').first()).toHaveAttribute('href', /^\/chapters\//, {
    timeout: 20_000,
  });
});

test('a claim id finds the report, where that claim’s row shows the id', async ({ page }) => {
  const id = 'ch3-catapult-removal-alignment';
  await page.goto(`/search/?q=${id}`);
  const first = page.locator('#search-results li').first();
  await expect(first.locator('a')).toHaveAttribute('href', /^\/report\//, { timeout: 20_000 });
  await page.goto('/report/');
  await expect(page.locator(`tr#${id} a.claim-id`)).toHaveText(id);
  await expect(page.locator(`tr#${id} a.claim-id`)).toHaveAttribute('href', `#${id}`);
});
