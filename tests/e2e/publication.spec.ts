/**
 * Reuse and citation: the licence files and package.json's `license`; CITATION.cff agrees with the
 * site's address, version and licences; every page has a "Reuse" line naming both licences and a
 * canonical link to its own absolute address; every chapter carries Google Scholar's citation_*
 * tags, and its BibTeX year and Scholar date are the date of the commit the site was built from.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PAGES, CHAPTERS } from './pages';
import { buildDate } from '../../src/site/buildDate';
import { CODE_LICENSE, CONTENT_LICENSE, siteUrl } from '../../src/site/publication';

const SITE = siteUrl();

test('licence files, package.json license and CITATION.cff agree', () => {
  expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
  const content = readFileSync('LICENSE-content', 'utf8');
  expect(content).toContain('Creative Commons Attribution 4.0 International');
  expect(content).toContain('Section 8 -- Interpretation.');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  expect(pkg.license).toBe(`${CODE_LICENSE.spdx} AND ${CONTENT_LICENSE.spdx}`);
  const cff = readFileSync('CITATION.cff', 'utf8');
  expect(cff).toMatch(/^cff-version: 1\.2\.0$/m);
  expect(cff).toMatch(/^message: \S/m);
  expect(cff).toMatch(/^title: ['"]?Catapults/m);
  expect(cff).toMatch(/^authors:\n {2}- name: \S/m);
  expect(cff).toMatch(new RegExp(`^version: ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
  expect(cff).toMatch(/^license:\n {2}- MIT\n {2}- CC-BY-4\.0$/m);
  const url = cff.match(/^url: ['"]?([^'"\n]+)['"]?$/m)?.[1];
  expect(url, 'CITATION.cff url is DEFAULT_SITE (src/site/publication.ts)').toBe(new URL('/', SITE).href);
});

for (const path of PAGES) {
  test(`${path}: a footer that reads as sentences, a Reuse line naming both licences and a canonical link`, async ({
    page,
  }) => {
    await page.goto(path);
    // The footer's sentences read as sentences (a space after "ours.", none lost between text and link).
    await expect(page.locator('footer.site')).toContainText(
      "the paper's numbers are shown beside ours. How to regenerate it.",
      {
        useInnerText: true,
      },
    );
    const reuse = page.locator('footer .reuse');
    await expect(reuse).toContainText('Reuse');
    await expect(reuse.locator(`a[rel="license"][href="${CONTENT_LICENSE.url}"]`)).toHaveText(CONTENT_LICENSE.name);
    await expect(reuse.locator(`a[href="${CODE_LICENSE.url}"]`)).toContainText(CODE_LICENSE.name);
    const canonical = page.locator('link[rel="canonical"]');
    await expect(canonical).toHaveCount(1);
    expect(await canonical.getAttribute('href')).toBe(new URL(path, SITE).href);
  });
}

for (const path of CHAPTERS) {
  test(`${path}: Scholar citation_* tags, and the commit's year in the BibTeX`, async ({ page }) => {
    await page.goto(path);
    const meta = async (name: string) =>
      page.locator(`meta[name="${name}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('content')));
    const title = (await page.locator('h1').innerText()).trim();
    const date = buildDate();
    expect((await meta('citation_title'))[0]).toContain(title);
    expect(await meta('citation_author')).toEqual(['The Catapults project']);
    expect(await meta('citation_publication_date')).toEqual([date.iso.replaceAll('-', '/')]);
    expect(await meta('citation_abstract_html_url')).toEqual([new URL(path, SITE).href]);
    const cite = await page.locator('.cite-block').innerText();
    expect(cite).toContain(`year   = {${date.year}}`);
    expect(cite).toContain(`url    = {${new URL(path, SITE).href}}`);
  });
}
