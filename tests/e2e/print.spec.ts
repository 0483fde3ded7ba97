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

/**
 * Each figure's caption as the page prints it: its number, and the longest run of plain text between
 * formulas (a PDF's text layer holds no maths we could compare).
 */
const captions = (page: Page) =>
  page.locator('figure.fig figcaption').evaluateAll((caps) =>
    caps.map((c) => {
      const runs: string[] = [''];
      const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (el?.closest('.nt, .katex')) {
          if (runs[runs.length - 1] !== '') runs.push('');
          continue;
        }
        if (el?.closest('.fignum')) continue;
        runs[runs.length - 1] += n.textContent ?? '';
      }
      const longest = runs.map((r) => r.replace(/\s+/g, ' ').trim()).sort((a, b) => b.length - a.length)[0];
      return { num: (c.querySelector('.fignum')?.textContent ?? '').trim(), text: longest };
    }),
  );

test('the whole-article PDF holds every chapter’s title and every figure’s caption', async ({ page }) => {
  const { pages, text } = await pdfText();
  let figures = 0;
  for (const path of CHAPTERS) {
    await page.goto(path);
    expect(text).toContain((await page.locator('h1').innerText()).replace(/\s+/g, ''));
    for (const cap of await captions(page)) {
      expect(cap.text.length, `${cap.num} ${cap.text}`).toBeGreaterThan(12);
      expect(text, cap.num).toContain(cap.num.replace(/\s+/g, ''));
      // A page break can put a page number or a formula's glyphs inside a caption's text: require most of
      // its 20-character pieces, not all, so that a caption split over two pages still counts.
      const flat = cap.text.replace(/\s+/g, '');
      const pieces = Array.from({ length: Math.floor(flat.length / 20) }, (_, i) => flat.slice(20 * i, 20 * i + 20));
      const found = pieces.filter((p) => text.includes(p)).length;
      expect(found / Math.max(1, pieces.length), `${cap.num} ${cap.text}`).toBeGreaterThanOrEqual(0.8);
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

test('printing a chapter opens its lab notes, so the printed chapter is whole', async ({ page }) => {
  await page.goto('/chapters/agop/');
  const notes = page.locator('details.lab-notes');
  expect(await notes.count()).toBeGreaterThan(0);
  expect(await notes.evaluateAll((ds) => ds.filter((d) => (d as HTMLDetailsElement).open).length)).toBe(0);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  expect(await notes.evaluateAll((ds) => ds.every((d) => (d as HTMLDetailsElement).open))).toBe(true);
});
