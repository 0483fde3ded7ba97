/**
 * The text of every page as a reader sees it: no page scrolls sideways on a 390 px phone (wide
 * equations and tables scroll inside their own box); no rendered text shows code, `NaN`,
 * `undefined`, `Infinity` or `[object Object]`; no raw `_`/`^` notation (λ_max, η_crit, PL_5^⊥,
 * X_B) outside maths and code, and no TeX command that lost its backslash inside it; table headers stay within two lines and a value with its
 * uncertainty is never broken across lines; the report's claims become cards on a phone; the
 * landing page shows a figure and one finding per chapter with numbers from the runs; the citation
 * names no placeholder host.
 */
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PAGES } from './pages';

const PHONE = { width: 390, height: 844 };

/** Text a reader sees that should never appear: unevaluated code or a missing value. */
const CODE_LIKE =
  /\.(toFixed|toPrecision|toString|map|length)\b|=>|\{[a-zA-Z_.]+\}|\bNaN\b|\bundefined\b|\bInfinity\b|\[object Object\]/;
/** A word glued to a number, as when an expression lost the space before it ("width1024", "5paired"). */
const GLUED = /\b(?!float(?:16|32|64)\b)[A-Za-z]{3,}\d|\d[a-z]{4,}\b/;
/**
 * A TeX command that lost its backslash (a template literal eats `\e`, `\l`): KaTeX then typesets
 * the letters, e.g. "etalambda", so the formula's TeX source holds the bare command name.
 */
const LOST_BACKSLASH = /(?<![\\a-zA-Z])(eta|lambda|max|mathrm|frac|sum|bar|text|perp)(?![a-zA-Z])/;
/** TeX-like notation that should have been rendered: an underscore or caret right after a symbol. */
const RAW_NOTATION = /[\p{L}\p{N})\]]_[\p{L}\p{N}{]|[\p{L}\p{N})]\^[\p{L}\p{N}{⊥⊤−-]/u;

/**
 * Runs in the page: every visible text node outside code and scripts, with its parent's tag; with
 * `withMaths`, the glyphs KaTeX draws are included (never the TeX source kept for screen readers).
 */
async function readerText(page: Page, withMaths: boolean): Promise<{ tag: string; text: string }[]> {
  return page.evaluate((withMaths) => {
    const out: { tag: string; text: string }[] = [];
    const skip = 'script, style, code, pre, math, textarea, noscript, [hidden], template, .katex';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim() ?? '';
      if (!el || !text || el.closest(skip)) continue;
      if (el.closest('details:not([open])') && !el.closest('summary')) continue;
      out.push({ tag: el.tagName.toLowerCase(), text });
    }
    // One entry per formula: KaTeX draws each glyph in its own span.
    if (withMaths) {
      for (const k of document.querySelectorAll('.katex-html')) out.push({ tag: 'katex', text: k.textContent ?? '' });
    }
    return out;
  }, withMaths);
}

for (const path of PAGES) {
  test.describe(path, () => {
    test('at 390 px the page does not scroll sideways and passes axe', async ({ browser }) => {
      const ctx = await browser.newContext({ viewport: PHONE });
      const page = await ctx.newPage();
      await page.goto(path);
      const m = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        // The widest elements that stick out, to name them in a failure.
        const wide = [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((e) => {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.right <= vw + 1) return false;
            // Inside a box that scrolls on its own: fine.
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
              const ox = getComputedStyle(a).overflowX;
              if ((ox === 'auto' || ox === 'scroll' || ox === 'hidden') && a.getBoundingClientRect().right <= vw + 1)
                return false;
            }
            return true;
          })
          .slice(0, 5)
          .map(
            (e) => `${e.tagName.toLowerCase()}.${e.className} (right ${Math.round(e.getBoundingClientRect().right)})`,
          );
        return { scrollWidth: document.documentElement.scrollWidth, vw, wide };
      });
      expect(m.scrollWidth, `page is ${m.scrollWidth} px wide; sticking out: ${m.wide.join('; ')}`).toBe(m.vw);
      // What scrolls on its own (formulas, tables, code) must be reachable by keyboard: axe at this width.
      const axe = await new AxeBuilder({ page }).analyze();
      const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
      await ctx.close();
    });

    test('no code, NaN, undefined, glued words or raw _/^ notation in the text a reader sees', async ({ page }) => {
      await page.goto(path);
      // Open every disclosure except the settings dumps (JSON, shown as code), so hidden prose is checked too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      const texts = await readerText(page, false);
      // KaTeX's glyphs count: an MDX expression inside $…$ is printed there, not evaluated.
      const withMaths = (await readerText(page, true)).map((t) => ({ ...t, text: t.text.replace(/\s+/g, '') }));
      const code = withMaths.filter((t) => CODE_LIKE.test(t.text)).map((t) => `<${t.tag}> ${t.text.slice(0, 80)}`);
      const raw = texts.filter((t) => RAW_NOTATION.test(t.text)).map((t) => `<${t.tag}> ${t.text.slice(0, 80)}`);
      const glued = texts
        .filter((t) => GLUED.test(t.text.replace(/https?:\/\/\S+/g, '')))
        .map((t) => `<${t.tag}> ${t.text.slice(0, 80)}`);
      expect.soft(code, 'code-like or missing values in the text').toEqual([]);
      expect.soft(glued, 'words glued to numbers').toEqual([]);
      expect.soft(raw, 'raw notation outside maths and code').toEqual([]);
      // the TeX source KaTeX keeps beside each formula: a command without its backslash
      const tex = await page.$$eval('annotation[encoding="application/x-tex"]', (as) =>
        as.map((a) => a.textContent ?? ''),
      );
      const lost = tex.filter((t) => LOST_BACKSLASH.test(t.replace(/\\text\{[^}]*\}|\\operatorname\{[^}]*\}/g, '')));
      expect.soft(lost, 'TeX commands that lost their backslash').toEqual([]);
    });

    test('table headers take at most two lines; a value and its ± stay on one line', async ({ browser }) => {
      for (const width of [1280, PHONE.width]) {
        const ctx = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await ctx.newPage();
        await page.goto(path);
        const bad = await page.evaluate(() => {
          const out: string[] = [];
          const lines = (el: Element) => {
            const lh = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.2;
            const r = document.createRange();
            r.selectNodeContents(el);
            const rects = [...r.getClientRects()].filter((x) => x.width > 0);
            if (!rects.length) return 0;
            const top = Math.min(...rects.map((x) => x.top));
            const bottom = Math.max(...rects.map((x) => x.bottom));
            return Math.round((bottom - top) / lh);
          };
          for (const th of document.querySelectorAll('main table:not(.cards) th')) {
            if (getComputedStyle(th).display === 'none') continue;
            const n = lines(th);
            if (n > 2) out.push(`header "${th.textContent?.trim()}" takes ${n} lines`);
          }
          for (const cell of document.querySelectorAll('main td')) {
            // a <Table>'s cell holds its value in .v (beside its header, shown only on a phone's card)
            const td = cell.querySelector(':scope > .v') ?? cell;
            const t = td.textContent ?? '';
            if (!/±/.test(t)) continue;
            // A value ± uncertainty: the number before and after ± sit on one line.
            const r = document.createRange();
            r.selectNodeContents(td);
            const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
            if (tops.size > 1 && /^\S+\s±\s\S+$/.test(t.trim())) out.push(`cell "${t.trim()}" breaks over lines`);
          }
          return out;
        });
        expect.soft(bad, `at ${width} px`).toEqual([]);
        await ctx.close();
      }
    });
  });
}

test('the report lists its claims as cards on a phone, each with its label, ours and the paper', async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto('/report/');
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('table.claims tbody tr')].map((tr) => {
      const r = tr.getBoundingClientRect();
      const cells = [...tr.querySelectorAll<HTMLElement>('td')];
      return {
        width: r.width,
        // On a card every cell takes the card's width and names its column.
        fullWidthCells: cells.filter((c) => c.getBoundingClientRect().width > r.width * 0.8).length,
        cells: cells.length,
        labelled: cells.filter((c) => (c.dataset.label ?? '').length > 0).length,
      };
    }),
  );
  expect(rows.length).toBeGreaterThan(5);
  for (const r of rows) {
    expect(r.width).toBeLessThanOrEqual(PHONE.width);
    expect(r.fullWidthCells).toBe(r.cells);
    expect(r.labelled).toBe(r.cells);
  }
  await ctx.close();
});

test('the landing page shows the story: a figure from a run and a measured finding per chapter', async ({ page }) => {
  await page.goto('/');
  const fig = page.locator('main figure.fig svg');
  await expect(fig.first()).toBeVisible();
  const box = await fig.first().boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(300);
  // A finding per chapter, each with at least one number and a link to the chapter.
  const findings = page.locator('main .findings > li');
  await expect(findings).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    const li = findings.nth(i);
    await expect(li).toContainText(/\d/);
    await expect(li.locator('a[href*="/chapters/"]')).toHaveCount(1);
  }
});

test('"Cite this page" names a real site URL, never a placeholder host', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const cite = await page.locator('.cite-block').innerText();
  expect(cite).not.toMatch(/example\.(org|com)/);
  expect(cite).toMatch(/chapters\/catapults-in-gd\//);
});
