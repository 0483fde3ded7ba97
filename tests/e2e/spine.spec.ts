/**
 * Each chapter reads as a short spine with its lab notes behind it, measured as a reader gets it: the
 * prose outside lab notes, figures, tables and demos is at most SPINE_MAX_WORDS words, no spine
 * sentence is over 40 words, the first figure starts within the first 900 px of a 1280 px window,
 * the takeaway's statuses are the report's, every table that scrolls shows a cue that it does, no
 * display equation needs sideways scrolling on a 390 px phone, and every figure's caption opens with
 * its finding and says it, with what is drawn, in at most CAPTION_MAX_WORDS words.
 */
import { expect, test, type Page } from '@playwright/test';
import { CHAPTERS } from './pages';

const SPINE_MAX_WORDS = 1300;
const SENTENCE_MAX_WORDS = 40;
const FIRST_FIGURE_MAX_TOP = 900;
const CAPTION_MAX_WORDS = 50;

/** Runs in the page: the spine's prose blocks as text, each formula counted as one word. */
async function spineBlocks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const article = document.querySelector('article.chapter');
    if (!article) return [];
    const clone = article.cloneNode(true) as HTMLElement;
    // Behind the main path, or not prose: lab notes, figures, tables, demos, the contents, the back matter.
    const behind = 'details, figure, table, .demo, .toc, nav, pre, .refs, .cite-block, .lede, script, style, [hidden]';
    for (const k of clone.querySelectorAll('.katex')) k.replaceWith(document.createTextNode('x'));
    const refs = clone.querySelector('#references');
    // Everything from the references heading on is back matter.
    if (refs) for (let n: ChildNode | null = refs; n;) ((m) => ((n = m.nextSibling), m.remove()))(n);
    return [...clone.querySelectorAll('p, li, .callout')]
      .filter((el) => !el.parentElement?.closest(behind) && !el.matches(behind))
      .filter((el) => !el.querySelector('p, li'))
      .map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim())
      .filter((t) => t.length > 0);
  });
}

const words = (t: string) => t.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
/** Sentences: a full stop, question or exclamation mark followed by a space and a capital or a bracket. */
const sentences = (t: string) => t.split(/(?<=[.!?])\s+(?=[A-Z(“"])/).filter((s) => words(s) > 0);

for (const path of CHAPTERS) {
  test.describe(path, () => {
    test(`the spine is at most ${SPINE_MAX_WORDS} words, no sentence over ${SENTENCE_MAX_WORDS}`, async ({ page }) => {
      await page.goto(path);
      const blocks = await spineBlocks(page);
      const total = blocks.reduce((s, b) => s + words(b), 0);
      const all = blocks.flatMap(sentences);
      const long = all.filter((s) => words(s) > SENTENCE_MAX_WORDS).map((s) => `(${words(s)}) ${s.slice(0, 90)}…`);
      const lengths = all.map(words).sort((a, b) => a - b);
      const median = lengths[Math.floor(lengths.length / 2)];
      console.log(`${path}: spine ${total} words, ${all.length} sentences, median ${median} words`);
      expect(total, `spine prose of ${path}`).toBeLessThanOrEqual(SPINE_MAX_WORDS);
      expect(long, 'spine sentences over the limit').toEqual([]);
    });

    test(`the first figure starts within ${FIRST_FIGURE_MAX_TOP} px at 1280 px`, async ({ browser }) => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(path);
      const top = await page.evaluate(() => {
        const f = document.querySelector('article.chapter figure');
        return f ? f.getBoundingClientRect().top + window.scrollY : Infinity;
      });
      expect(top).toBeLessThanOrEqual(FIRST_FIGURE_MAX_TOP);
      await ctx.close();
    });

    test("the takeaway's statuses are the report's", async ({ page }) => {
      await page.goto('/report/');
      const report = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('tr[id]')].map((tr) => [
            tr.id,
            tr.querySelector('td[data-label="status"] .status')?.textContent?.trim() ?? '',
          ]),
        ),
      );
      await page.goto(path);
      const items = await page.evaluate(() =>
        [...document.querySelectorAll('#takeaway ~ .takeaway [data-claim]')].map((el) => ({
          claim: el.getAttribute('data-claim') ?? '',
          status: el.querySelector('.status')?.textContent?.trim() ?? '',
        })),
      );
      expect(items.length, 'a takeaway with at least one claim').toBeGreaterThan(0);
      for (const it of items) expect(it.status, `takeaway status of ${it.claim}`).toBe(report[it.claim]);
      // Every status the chapter's takeaway names that did not reproduce is said in words too.
      const said = await page.locator('.takeaway').innerText();
      if (items.some((i) => i.status === 'not reproduced')) expect(said).toMatch(/not reproduced/);
    });

    test('every table that scrolls sideways shows a scroll cue, at 1280 and 390 px', async ({ browser }) => {
      for (const width of [1280, 390]) {
        const ctx = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await ctx.newPage();
        await page.goto(path);
        // Open the lab notes: their tables are read too.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        const missing = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.table-box')]
            .filter((b) => b.scrollWidth > b.clientWidth + 1)
            .filter((b) => {
              const s = getComputedStyle(b);
              return !(s.backgroundImage.includes('gradient') && s.backgroundAttachment.includes('local'));
            })
            .map((b) => b.getAttribute('aria-label')?.slice(0, 60) ?? b.className),
        );
        expect(missing, `scrolling tables without a cue at ${width} px`).toEqual([]);
        await ctx.close();
      }
    });

    test('every figure from a run opens its caption with its finding', async ({ page }) => {
      await page.goto(path);
      const late = await page.evaluate(() =>
        [...document.querySelectorAll('figure.fig figcaption')]
          .filter((c) => c.querySelector('.alt-finding'))
          .filter((c) => c.querySelector('.fignum')?.nextElementSibling?.classList.contains('alt-finding') !== true)
          .map((c) => c.closest('figure')?.id ?? '?'),
      );
      expect(late, 'figures whose caption describes before it finds').toEqual([]);
    });

    test(`every figure's and table's caption, finding and what is shown, is at most ${CAPTION_MAX_WORDS} words`, async ({
      page,
    }) => {
      await page.goto(path);
      const long = await page.evaluate((max) => {
        const count = (el: Element) => {
          const c = el.cloneNode(true) as Element;
          for (const k of c.querySelectorAll('.katex')) k.replaceWith(document.createTextNode('x'));
          c.querySelector('.fignum, .tabnum')?.remove();
          return (c.textContent ?? '').split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
        };
        return [...document.querySelectorAll('main figure > figcaption')]
          .map((c) => ({ id: c.closest('figure')?.id || c.closest('figure')?.className || '?', words: count(c) }))
          .filter((c) => c.words > max)
          .map((c) => `${c.id}: ${c.words} words`);
      }, CAPTION_MAX_WORDS);
      expect(long, 'captions over the limit').toEqual([]);
      // What a short caption leaves out waits in the figure's disclosure: the full finding where it was shortened.
      const missing = await page.evaluate(() =>
        [...document.querySelectorAll('figure.fig')]
          .filter((f) => {
            const full =
              f
                .querySelector('.panels')
                ?.getAttribute('aria-label')
                ?.replace(/^Figure \d+: /, '') ?? '';
            const shown = (f.querySelector('.alt-finding')?.textContent ?? '').replace(/\s+/g, ' ').trim();
            const kept = f.querySelector('details .fig-full');
            return !f.querySelector('.heatmaps') && kept === null && shown.length + 40 < full.length;
          })
          .map((f) => f.id),
      );
      expect(missing, 'figures whose shortened finding has no full version').toEqual([]);
    });

    test('no display equation needs sideways scrolling at 390 px', async ({ browser }) => {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await ctx.newPage();
      await page.goto(path);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      const clipped = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.katex-display')]
          .filter((d) => d.scrollWidth > d.clientWidth + 1)
          .map((d) => `${d.closest('[id]')?.id ?? '?'}: ${d.scrollWidth} > ${d.clientWidth}`),
      );
      expect(clipped).toEqual([]);
      await ctx.close();
    });
  });
}
