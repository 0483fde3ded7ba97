/**
 * Tables (<Table>, src/site/table.ts): every chapter table is numbered "Table N." in page order with
 * a tab- id; a <Ref> to a table links to it and previews its caption; each table's CSV download is
 * the rendered table, row for row and cell for cell (and the CSV of its JSON download); our values
 * come right after the row labels, then the paper's, then the settings; on a 390 px phone every row
 * is a card that neither scrolls nor clips; axe passes with a table's settings open.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { richPlain } from '../../src/site/richText';
import { specOfJson, tableCsv, type TableJson, type TableValue } from '../../src/site/table';
import { CHAPTERS } from './pages';

const PHONE = { width: 390, height: 844 };

/** Opens every disclosure (lab notes hold tables; their buttons must be clickable). */
const openAll = (page: Page) =>
  page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));

/**
 * Downloads one of a table's files as a keyboard user would (focus the button, press Enter): a
 * pointer click on a long page whose lab notes were just opened can land while the layout still
 * moves, and then no click reaches the button.
 */
async function download(page: Page, table: Locator, kind: 'csv' | 'json'): Promise<string> {
  const button = table.locator(`button[data-download="${kind}"]`);
  await button.focus();
  const [dl]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  return readFileSync((await dl.path())!, 'utf8');
}

/** The numbers a cell shows, in order ("−0.93", "74,368", "< 0.0002", "1.5e-3"), with the half unit of their last digit. */
function shownNumbers(text: string): { v: number; tol: number; below: boolean }[] {
  const out: { v: number; tol: number; below: boolean }[] = [];
  for (const m of text.matchAll(/(<\s*)?([−-]?)(\d+(?:,\d{3})*(?:\.(\d+))?)(?:e([−-]?\d+))?/g)) {
    const [, lt, sign, digits, frac, exp] = m;
    const e = exp ? Number(exp.replace('−', '-')) : 0;
    const v = Number(`${sign ? '-' : ''}${digits.replace(/,/g, '')}`) * 10 ** e;
    out.push({ v, tol: 0.5 * 10 ** (e - (frac?.length ?? 0)) * 1.000001, below: !!lt });
  }
  return out;
}

/** Whether a cell's text shows its raw value: a text itself; numbers, each to the digits shown, in order. */
function shows(text: string, raw: TableValue): string | null {
  if (raw === null) return /\d/.test(text) ? `"${text}" shows a number for a missing value` : null;
  if (typeof raw === 'string') return text === raw ? null : `"${text}" is not the value "${raw}"`;
  const want = (typeof raw === 'number' ? [raw] : Object.values(raw)).filter((x): x is number => x !== null);
  const got = shownNumbers(text);
  let i = 0;
  for (const w of want) {
    let j = i;
    while (j < got.length && !(got[j].below ? w < got[j].v : Math.abs(got[j].v - w) <= got[j].tol)) j++;
    // a part that is zero may go unsaid ("5" seeds, none capped)
    if (j === got.length && w === 0 && typeof raw === 'object') continue;
    if (j === got.length) return `"${text}" does not show ${w} (raw ${JSON.stringify(raw)})`;
    i = j + 1;
  }
  return null;
}

/** The text a reader sees in each cell of each body row, as the table is drawn (header keys of cards left out). */
const renderedRows = (table: Locator) =>
  table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) =>
      [...tr.children].map((c) => {
        const v = (c.querySelector(':scope > .v') ?? c).cloneNode(true) as Element;
        v.querySelectorAll('.katex-mathml').forEach((m) => m.remove());
        // KaTeX's zero-width spaces out: the text as richPlain writes the notation (λ_1 → λ1)
        const text = (v.textContent ?? '')
          .replace(/\u200b/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        return { key: (c as HTMLElement).dataset.key ?? '', text };
      }),
    ),
  );

for (const path of CHAPTERS) {
  test.describe(path, () => {
    test('every table is numbered "Table N." in page order, with its tab- label as id', async ({ page }) => {
      await page.goto(path);
      // Every table of results (table.numbers; a Markdown table of definitions is prose and is not numbered).
      const tables = await page.locator('main table.numbers').evaluateAll((ts) =>
        ts.map((t) => {
          const fig = t.closest('figure');
          return {
            id: fig?.id ?? '',
            num: fig?.querySelector(':scope > figcaption > .tabnum')?.textContent?.trim() ?? '',
          };
        }),
      );
      expect(tables.length, 'tables on the page').toBeGreaterThan(0);
      expect(tables.map((t) => t.num)).toEqual(tables.map((_, i) => `Table ${i + 1}.`));
      for (const t of tables) expect(t.id).toMatch(/^tab-[A-Za-z0-9_-]+$/);
      expect(new Set(tables.map((t) => t.id)).size).toBe(tables.length);
    });

    test('after the row labels come our values, then the paper’s, then settings', async ({ page }) => {
      await page.goto(path);
      const orders = await page.locator('figure.table-fig').evaluateAll((figs) =>
        figs.map((f) => ({
          id: f.id,
          roles: [...f.querySelectorAll<HTMLElement>('thead th')].map((th) => th.dataset.role ?? ''),
        })),
      );
      expect(orders.length).toBeGreaterThan(0);
      const rank: Record<string, number> = { label: 0, ours: 1, paper: 2, setting: 3, other: 3 };
      for (const { id, roles } of orders) {
        expect(
          roles.every((r) => r in rank),
          `${id}: ${roles.join(', ')}`,
        ).toBe(true);
        const first = roles.findIndex((r) => r !== 'label');
        expect(first, `${id}: a row label first`).toBeGreaterThan(0);
        expect(roles[first], `${id}: the first column after the labels`).toBe('ours');
        const ranks = roles.map((r) => rank[r]);
        expect(ranks, `${id}: ${roles.join(', ')}`).toEqual([...ranks].sort((a, b) => a - b));
      }
    });

    test('each table’s CSV download is the rendered table, row for row and cell for cell', async ({
      page: first,
      context,
    }) => {
      await first.goto(path);
      const ids = await first.locator('figure.table-fig').evaluateAll((fs) => fs.map((f) => f.id));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        // a new tab per table: Chromium may hold back the eleventh download from one tab, whatever the page does
        const page = await context.newPage();
        await page.goto(`${path}#${id}`);
        await openAll(page);
        const table = page.locator(`figure.table-fig#${id}`);
        expect(id).toMatch(/^tab-/);
        const csv = await download(page, table, 'csv');
        const json = JSON.parse(await download(page, table, 'json')) as TableJson;
        expect(json.label).toBe(id);
        expect(json.table).toBe((await table.locator('figcaption .tabnum').textContent())!.replace(/\.$/, ''));
        // the CSV is written from the JSON's raw values: one line per row after the header
        expect(csv).toBe(tableCsv(specOfJson(json)));
        const lines = csv.trimEnd().split('\n');
        const rows = await renderedRows(table);
        expect(lines.length - 1, `${id}: CSV rows`).toBe(rows.length);
        expect(json.rows.length).toBe(rows.length);
        const problems: string[] = [];
        rows.forEach((cells, i) => {
          expect(
            cells.map((c) => c.key),
            `${id} row ${i + 1}: columns`,
          ).toEqual(json.columns.map((c) => c.key));
          for (const c of cells) {
            const shown = richPlain(json.shown[i][c.key]).replace(/\s+/g, ' ').trim();
            if (c.text !== shown) problems.push(`${id} row ${i + 1} ${c.key}: page "${c.text}"`);
            const raw = json.rows[i][c.key] as TableValue;
            const bad = shows(c.text, typeof raw === 'string' ? richPlain(raw) : raw);
            if (bad) problems.push(`${id} row ${i + 1} ${c.key}: ${bad}`);
          }
        });
        expect(problems).toEqual([]);
        await page.close();
      }
    });

    test('at 390 px every table row is a card: no sideways scrolling, nothing clipped', async ({ browser }) => {
      const ctx = await browser.newContext({ viewport: PHONE });
      const page = await ctx.newPage();
      await page.goto(path);
      await openAll(page);
      const m = await page.evaluate(() => {
        const bad: string[] = [];
        let cards = 0;
        for (const fig of document.querySelectorAll<HTMLElement>('figure.table-fig')) {
          const box = fig.querySelector<HTMLElement>('.table-box')!;
          if (box.scrollWidth > box.clientWidth + 1) bad.push(`${fig.id}: its box scrolls (${box.scrollWidth} px)`);
          // the column headers stay for screen readers, out of sight (each card line names its column)
          const head = fig.querySelector('thead')!.getBoundingClientRect();
          if (head.width > 1 || head.height > 1) bad.push(`${fig.id}: the header row is shown`);
          for (const tr of fig.querySelectorAll<HTMLElement>('tbody tr')) {
            cards++;
            const r = tr.getBoundingClientRect();
            if (getComputedStyle(tr).display !== 'block') bad.push(`${fig.id}: a row is not a card`);
            if (r.left < -1 || r.right > document.documentElement.clientWidth + 1)
              bad.push(`${fig.id}: a card spans ${Math.round(r.left)}–${Math.round(r.right)} px`);
            for (const c of tr.querySelectorAll<HTMLElement>('th, td')) {
              const cr = c.getBoundingClientRect();
              if (cr.right > r.right + 1 || cr.left < r.left - 1 || c.scrollWidth > c.clientWidth + 1)
                bad.push(`${fig.id}: cell "${c.textContent?.trim().slice(0, 40)}" sticks out of its card`);
              const key = c.querySelector<HTMLElement>(':scope > .k');
              if (c.tagName === 'TD' && !c.classList.contains('row-label')) {
                // a "header: value" line: the key shown beside the value, named as its column
                const col = [...fig.querySelectorAll<HTMLElement>('thead th')].find(
                  (h) => h.dataset.key === c.dataset.key,
                );
                const plain = (e: Element | null | undefined) => {
                  const x = e?.cloneNode(true) as Element | undefined;
                  x?.querySelectorAll('.katex-mathml').forEach((k) => k.remove());
                  return (x?.textContent ?? '').replace(/\s+/g, '');
                };
                if (!key || key.getBoundingClientRect().width === 0) bad.push(`${fig.id}: a cell without its header`);
                else if (plain(key) !== plain(col)) bad.push(`${fig.id}: key "${key.textContent}" is not its column's`);
              }
            }
            // the card's heading: its row label, first and on its own line
            const head = tr.querySelector<HTMLElement>('.row-label');
            const firstValue = tr.querySelector<HTMLElement>('td:not(.row-label)');
            if (
              !head ||
              (firstValue && head.getBoundingClientRect().bottom > firstValue.getBoundingClientRect().top + 1)
            )
              bad.push(`${fig.id}: a card without its label as heading`);
          }
        }
        return {
          bad: bad.slice(0, 12),
          cards,
          scrollWidth: document.documentElement.scrollWidth,
          vw: document.documentElement.clientWidth,
        };
      });
      expect(m.cards).toBeGreaterThan(0);
      expect(m.bad).toEqual([]);
      expect(m.scrollWidth, 'the page does not scroll sideways').toBe(m.vw);
      const axe = await new AxeBuilder({ page }).include('figure.table-fig').analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
      await ctx.close();
    });
  });
}

test('a <Ref> to a table links to it, says its number and previews its caption', async ({ page }) => {
  await page.goto('/chapters/sgd-spikes/');
  await openAll(page);
  const link = page.locator('a[data-preview][href="#tab-kernel-drops"]').first();
  await expect(page.locator('figure#tab-kernel-drops figcaption .tabnum')).toHaveCount(1);
  const num = (await page.locator('figure#tab-kernel-drops figcaption .tabnum').textContent())!.replace(/\.$/, '');
  expect(num).toMatch(/^Table \d+$/);
  await expect(link).toHaveText(num);
  await link.hover();
  const tip = page.locator('#ref-preview');
  await expect(tip).toBeVisible();
  await expect(tip).toHaveAttribute('data-kind', 'table');
  await expect(tip.locator('.preview-caption')).toContainText(`${num}.`);
  await expect(link).toHaveAttribute('aria-describedby', 'ref-preview');
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  await link.click();
  await expect(page).toHaveURL(/#tab-kernel-drops$/);
  await expect(page.locator('figure#tab-kernel-drops')).toBeInViewport();
  // the table's old id still leads to it
  await page.goto('/chapters/sgd-spikes/#kernel-drop-table');
  await expect(page.locator('figure#tab-kernel-drops')).toBeInViewport();
});

test('axe passes on a table with its settings disclosure open', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const table = page.locator('figure#tab-eta-max');
  const settings = table.locator('details');
  await expect(settings.locator('summary')).toHaveText('Settings that produced this table');
  await settings.locator('summary').click();
  await expect(settings).toHaveAttribute('open', '');
  await expect(settings.locator('pre')).toContainText('shallow-eta-max (as its traces record)');
  await expect(table.locator('a.button', { hasText: 'shallow-eta-max' })).toHaveAttribute(
    'href',
    '/regenerate/#exp-shallow-eta-max',
  );
  const axe = await new AxeBuilder({ page }).include('figure#tab-eta-max').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
});
