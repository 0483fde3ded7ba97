/**
 * Print: the print stylesheet gives a clean article (no navigation, contents, search or download
 * chrome; figures within the column; a demo replaced by a note; links to other sites print their
 * address), and dist/catapults.pdf, printed from it after the build (scripts/site-pdf.ts), holds every
 * chapter with every figure's caption and is linked from each chapter.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { CHAPTERS } from './pages';
import { PDF_FILE } from '../../src/site/publication';

/** The PDF's page count and its text, whitespace removed (line breaks fall anywhere in a caption). */
async function pdfText(): Promise<{ pages: number; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(`dist/${PDF_FILE}`)) }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++)
    text += (await (await doc.getPage(i)).getTextContent()).items.map((x) => ('str' in x ? x.str : '')).join('');
  return { pages: doc.numPages, text: text.replace(/\s+/g, '') };
}

/** Each figure's caption as the page prints it: its number and the plain text before any formula. */
const captions = (page: Page) =>
  page.locator('figure.fig figcaption').evaluateAll((caps) =>
    caps.map((c) => {
      let s = '';
      for (const n of c.childNodes) {
        if (n instanceof Element && n.matches('.nt, .katex, .alt-finding')) break;
        s += n.textContent ?? '';
      }
      return s.replace(/\s+/g, ' ').trim();
    }),
  );

test('the whole-article PDF holds every chapter’s title and every figure’s caption', async ({ page }) => {
  const { pages, text } = await pdfText();
  let figures = 0;
  for (const path of CHAPTERS) {
    await page.goto(path);
    expect(text).toContain((await page.locator('h1').innerText()).replace(/\s+/g, ''));
    for (const cap of await captions(page)) {
      expect(cap.length, cap).toBeGreaterThan(12);
      expect(text, cap).toContain(cap.replace(/\s+/g, ''));
      figures++;
    }
  }
  expect(figures).toBeGreaterThan(10);
  // At least a page per chapter and one per two figures; fewer would mean figures were dropped.
  expect(pages).toBeGreaterThanOrEqual(Math.max(CHAPTERS.length, figures / 2));
});

for (const path of CHAPTERS)
  test(`${path} links to the whole-article PDF, a PDF file`, async ({ page, request }) => {
    await page.goto(path);
    const href = await page.locator('article.chapter .pdf-link a[download]').getAttribute('href');
    expect(href).toBe(`/${PDF_FILE}`);
    const res = await request.get(href!);
    expect(res.status()).toBe(200);
    expect((await res.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

test('printed, a chapter is a clean article', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['header.site', 'footer.site', '.toc-side', '.toc-inline', '.fig-tools', '.heading-anchor'])
    for (const el of await page.locator(sel).all()) await expect(el, sel).toBeHidden();
  // The demo: its title, then a note in place of its controls and plots.
  const demo = page.locator('.demo-island').first();
  await expect(demo.locator('.demo-title')).toBeVisible();
  await expect(demo.locator('.demo-controls')).toBeHidden();
  expect(await demo.evaluate((d) => getComputedStyle(d, '::after').content)).toContain('Interactive demo');
  // A link to another site prints its address after it.
  const ext = page.locator('main a[href^="http"]').first();
  const href = (await ext.getAttribute('href'))!;
  expect(await ext.evaluate((a) => getComputedStyle(a, '::after').content)).toContain(href);
  // Figures at the column's width at most.
  const column = await page.locator('main').evaluate((m) => m.clientWidth);
  for (const svg of await page.locator('figure.fig svg.fig-panel:visible').all())
    expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(column + 1);
});
