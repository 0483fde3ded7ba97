/**
 * Updates and corrections: the report lists the status changes committed to the statuses ledger and
 * says where that history starts (the ledger's first commit, read here from git), or why it cannot
 * be read; every chapter links to it from its end.
 */
import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { CHAPTERS } from './pages';

const git = (...a: string[]) => execFileSync('git', a, { encoding: 'utf8' }).trim();

test('the report’s updates and corrections say where the recorded history starts', async ({ page }) => {
  await page.goto('/report/');
  const section = page.locator('section.updates');
  await expect(section.locator('h2#updates')).toHaveText('Updates and corrections');
  const first = git('log', '--reverse', '--format=%H %cI', '--', 'content/report-statuses.json').split('\n')[0];
  if (git('rev-parse', '--is-shallow-repository') === 'false' && first) {
    const [hash, date] = first.split(' ');
    await expect(section).toContainText(
      `The recorded history starts with its first commit, ${hash.slice(0, 7)}, ${date.slice(0, 10)}`,
    );
    // Each listed update names a commit and a date.
    for (const li of await section.locator('li').all())
      await expect(li).toContainText(/^[0-9a-f]{7}, \d{4}-\d{2}-\d{2}: /);
  } else await expect(section).toContainText('The history of the statuses cannot be shown');
});

for (const path of CHAPTERS)
  test(`${path} links to the report’s updates and corrections from its end`, async ({ page }) => {
    await page.goto(path);
    const link = page.locator('article.chapter .updates-link a');
    await expect(link).toHaveAttribute('href', '/report/#updates');
    await link.click();
    await expect(page.locator('h2#updates')).toBeInViewport();
  });
