/**
 * Every page of the built site: no console errors, no request leaving 127.0.0.1, KaTeX rendered on
 * chapters, no serious or critical axe violation, readable in dark mode; the uv figure has its
 * series and axes and each download button yields a file of the right type; pages without a demo
 * ship no TensorFlow.js.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PAGES, CHAPTERS, DEMO_PAGES } from './pages';
import { isHeavy, settled } from './lazyLoad';

/** Opens a page, recording console errors and every requested URL. */
async function open(page: Page, path: string) {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(path, { waitUntil: 'load' });
  // loaded, fonts ready and two frames painted: every module and font the page asks for has been requested
  await settled(page);
  return { errors, requests };
}

for (const path of PAGES) {
  test(`${path}: loads cleanly, stays on loopback, passes axe`, async ({ page }) => {
    const { errors, requests } = await open(page, path);
    expect(errors, 'console errors').toEqual([]);
    const outside = requests.filter((u) => !/^(data:|blob:|http:\/\/127\.0\.0\.1[:/])/.test(u));
    expect(outside, 'requests leaving 127.0.0.1').toEqual([]);
    const axe = await new AxeBuilder({ page }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    if (!DEMO_PAGES.has(path)) {
      expect(requests.filter(isHeavy), 'tfjs on a page without a demo').toEqual([]);
    }
  });

  test(`${path}: dark mode is dark and readable`, async ({ browser }) => {
    const ctx = await browser.newContext({ colorScheme: 'dark' });
    const page = await ctx.newPage();
    await page.goto(path);
    const [bg, fg] = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return [s.backgroundColor, s.color];
    });
    const lum = (c: string) => {
      const [r, g, b] = c
        .match(/\d+/g)!
        .map(Number)
        .map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    expect(lum(bg)).toBeLessThan(0.05);
    expect((lum(fg) + 0.05) / (lum(bg) + 0.05)).toBeGreaterThan(7);
    await ctx.close();
  });
}

for (const path of CHAPTERS) {
  test(`${path}: KaTeX rendered at build time, numbered equations`, async ({ page }) => {
    await page.goto(path);
    expect(await page.locator('.katex').count()).toBeGreaterThan(3);
    expect(await page.locator('.katex-error').count()).toBe(0);
    await expect(page.locator('.equation .eqno').first()).toHaveText('(1)');
    await expect(page.locator('ol.refs li').first()).toBeVisible();
  });
}

test('pages without a demo reference no TensorFlow.js in their HTML or scripts', () => {
  for (const path of PAGES.filter((p) => !DEMO_PAGES.has(p))) {
    const html = readFileSync(`dist${path}index.html`, 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="(\/_astro\/[^"]+\.js)"/g)].map((m) => m[1]);
    // Follow static imports one level: the bundles a page's scripts pull in.
    const seen = new Set<string>();
    const queue = [...assets];
    while (queue.length) {
      const a = queue.pop()!;
      if (seen.has(a)) continue;
      seen.add(a);
      const js = readFileSync(`dist${a}`, 'utf8');
      expect(js, `${path} → ${a}`).not.toMatch(/tensorflow|tfjs-backend|new Worker\(/);
      for (const m of js.matchAll(/from\s*"\.\/([^"]+\.js)"/g)) queue.push(`/_astro/${m[1]}`);
    }
    expect(html, path).not.toMatch(/<script[^>]+tfjs|catapultDemo\.worker/);
  }
});

test.describe('uv figure', () => {
  test('has three series, axes and the 2/η reference lines, with JavaScript off too', async ({ browser }) => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto('/chapters/catapults-in-gd/');
    const fig = page.locator('figure#fig-uv');
    await expect(fig.locator('figcaption .fignum')).toHaveText('Figure 1.');
    const loss = fig.locator('svg.fig-panel').nth(0);
    await expect(loss.locator('path.series')).toHaveCount(3);
    // The lazy run leaves the loss axis (floor 10⁻⁶) after a step or two; the other two are drawn in full.
    const lengths = await Promise.all(
      (await loss.locator('path.series').all()).map(async (p) => (await p.getAttribute('d'))!.length),
    );
    expect(lengths.filter((n) => n > 50)).toHaveLength(2);
    expect(Math.min(...lengths)).toBeGreaterThan(5);
    await expect(loss.locator('text.xlabel')).toHaveText('step');
    await expect(loss.locator('path.ax')).toHaveCount(1);
    const lam = fig.locator('svg.fig-panel').nth(1);
    await expect(lam.locator('path.series')).toHaveCount(3);
    expect(await lam.locator('g.refline').count()).toBeGreaterThanOrEqual(2);
    await expect(fig.locator('svg.fig-panel').nth(2).locator('g.refline')).toHaveCount(2);
    await ctx.close();
  });

  test('hover and keyboard give a read-out', async ({ page }) => {
    await page.goto('/chapters/catapults-in-gd/');
    const panel = page.locator('figure#fig-uv svg.fig-panel').first();
    await panel.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('figure#fig-uv .readout-text')).toContainText('step = 1');
  });

  for (const [kind, check] of [
    ['svg', (b: Buffer) => expect(b.toString('utf8')).toMatch(/^<svg[\s\S]*path/)],
    ['png', (b: Buffer) => expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['json', (b: Buffer) => expect(JSON.parse(b.toString('utf8')).spec.panels.length).toBe(3)],
    ['csv', (b: Buffer) => expect(b.toString('utf8').split('\n')[0]).toBe('panel,series,x,y,yLow,yHigh')],
  ] as const) {
    test(`download ${kind} is a non-empty ${kind} file`, async ({ page }) => {
      await page.goto('/chapters/catapults-in-gd/');
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`figure#fig-uv button[data-download="${kind}"]`).click(),
      ]);
      expect(dl.suggestedFilename()).toBe(`fig-uv.${kind}`);
      const chunks: Buffer[] = [];
      for await (const c of (await dl.createReadStream())!) chunks.push(c as Buffer);
      const buf = Buffer.concat(chunks);
      expect(buf.length).toBeGreaterThan(100);
      check(buf);
    });
  }
});

test('every chapter-1 figure has its series', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const expected: Record<string, number> = {
    'fig-uv': 3,
    'fig-nqm': 6,
    'fig-regimes': 2,
    'fig-phase': 2,
    'fig-eta-max': 1,
    'fig-pl': 1,
  };
  for (const [id, panels] of Object.entries(expected)) {
    const fig = page.locator(`figure#${id}`);
    await expect(fig.locator('svg.fig-panel')).toHaveCount(panels);
    for (const svg of await fig.locator('svg.fig-panel').all())
      expect(await svg.locator('.series').count()).toBeGreaterThan(0);
  }
  await expect(page.locator('figure#fig-pl svg.fig-panel path.series')).toHaveCount(3);
});

test('report rows come from traces and link to their experiments', async ({ page }) => {
  await page.goto('/report/');
  const rows = page.locator('#chapter-1 ~ table tbody tr, section:has(#chapter-1) tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(5);
  await expect(page.locator('tr#ch1-eta-max')).toContainText('±');
  const link = page.locator('tr#ch1-eta-max a', { hasText: 'shallow-eta-max' });
  await expect(link).toHaveAttribute('href', '/regenerate/#exp-shallow-eta-max');
});

test('trace downloads are the committed files', async ({ request }) => {
  const res = await request.get('/traces/shallow-eta-max/m1024-s0.json');
  expect(res.status()).toBe(200);
  expect(await res.text()).toBe(readFileSync('content/traces/shallow-eta-max/m1024-s0.json', 'utf8'));
});

test('chapter 3 shows the sweep: both tables, the paper column, scatter, curves and AGOP pictures', async ({
  page,
}) => {
  await page.goto('/chapters/agop/');
  const tables = page.locator('table');
  expect(await tables.count()).toBeGreaterThanOrEqual(2);
  await expect(tables.first()).toContainText('0.95');
  // One group of markers per batch size, GD included, in each task's panel.
  expect(
    await page.locator('figure#fig-agop-scatter svg.fig-panel').first().locator('g.series[data-series]').count(),
  ).toBeGreaterThanOrEqual(4);
  await expect(page.locator('figure#fig-agop-curves svg.fig-panel')).toHaveCount(2);
  // The true AGOP, GD's, the small batch's, and where the last two differ.
  await expect(page.locator('figure#fig-agop-pictures svg.heatmap')).toHaveCount(4);
  // A 10×10 block of cells, beside a colour bar.
  await expect(page.locator('figure#fig-agop-pictures svg.heatmap').first().locator('g.cells rect')).toHaveCount(100);
  await expect(page.locator('figure#fig-agop-pictures svg.heatmap g.colorbar').first()).toBeAttached();
});

test('chapter 2 shows its four figures and the kernel-drop table, with report rows', async ({ page }) => {
  await page.goto('/chapters/sgd-spikes/');
  const expected: Record<string, number> = {
    'fig-sgd-anatomy': 3,
    'fig-deep-fcn': 3,
    'fig-ladder': 6,
    'fig-ladder-factors': 4,
    'fig-kernel-drops': 12,
  };
  for (const [id, panels] of Object.entries(expected)) {
    const fig = page.locator(`figure#${id}`);
    await expect(fig.locator('svg.fig-panel')).toHaveCount(panels);
    for (const svg of await fig.locator('svg.fig-panel').all())
      expect(await svg.locator('.series').count()).toBeGreaterThan(0);
  }
  // one point per SGD step for the batch critical rates of seed 0
  expect(
    await page.locator('figure#fig-sgd-anatomy svg.fig-panel').nth(1).locator('circle').count(),
  ).toBeGreaterThanOrEqual(400);
  // One column per architecture after the measure names.
  await expect(page.locator('#tab-kernel-drops thead th')).toHaveCount(7);
  await expect(page.locator('#tab-kernel-drops')).toContainText('ViT');
  // the ladder sweep: one marker per later raise reached (at least one per run that completed its first stage)
  const raiseMarks = await page
    .locator('figure#fig-ladder-factors svg.fig-panel')
    .nth(2)
    .evaluate((svg) =>
      [...svg.querySelectorAll('g.series')].reduce((n, g) => {
        const d = g.querySelector('path')?.getAttribute('d') ?? '';
        const moves = (d.match(/M/g) ?? []).length;
        return n + g.querySelectorAll('circle').length + (g.classList.contains('mkx') ? moves / 2 : moves);
      }, 0),
    );
  expect(raiseMarks).toBeGreaterThanOrEqual(19);
  // two readouts × four factors, each row saying how every seed's run ended
  const ladderRows = page.locator('#tab-ladder-factors tbody tr');
  await expect(ladderRows).toHaveCount(8);
  // (the row's values: each cell's header, shown only on a phone's card, left out)
  for (const row of await ladderRows.all())
    expect(
      await row.evaluate((tr) =>
        [...tr.children].map((c) => (c.querySelector(':scope > .v') ?? c).textContent?.trim()).join(' '),
      ),
    ).toMatch(/^(pooled|dense)\s*[\d.]+\s*((diverged at|dead at) \d+|all stages)/);
  await page.goto('/report/');
  await expect(page.locator('tr#ch2-ladder-cnn-factors a', { hasText: 'cnn-ladder-factors' })).toHaveAttribute(
    'href',
    '/regenerate/#exp-cnn-ladder-factors',
  );
  await expect(page.locator('tr#ch2-spike-start')).toContainText('spikes');
  await expect(page.locator('tr#ch2-kernel-drop-vit a', { hasText: 'kernel-drops' })).toHaveAttribute(
    'href',
    '/regenerate/#exp-kernel-drops',
  );
});
