/**
 * The landing page: the hero's slider reruns the uv model and its sentence and loss peak follow the
 * regimes across 2/λ₀ and 4/λ₀ (worded exactly as heroSentence words the same run); the page never asks
 * for tfjs, WebAssembly or a worker; the hero is keyboard-operable, axe-clean after interaction in both
 * themes, fits 390 px and drops its transition under prefers-reduced-motion. The story's statuses are
 * the report's, and every symbol the figure caption uses is defined on the page. The schematic
 * pictures are checked on their scratch page.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { isHeavy, settled } from './lazyLoad';
import { CHAPTERS } from './pages';
import { heroRun, heroSentence } from '../../src/components/hero/heroModel';
import { heroInit } from '../../src/site/hero';
import { SCHEMATIC_CAPTION_WORDS } from '../../src/components/schematic/schematic';

const init = heroInit();

/** Text of each matched element as a reader reads it: KaTeX's MathML copy and zero-width spaces dropped. */
const readTexts = (loc: Locator) =>
  loc.evaluateAll((els) =>
    els.map((el) => {
      const c = el.cloneNode(true) as HTMLElement;
      c.querySelectorAll('.katex-mathml').forEach((m) => m.remove());
      return (c.textContent ?? '').replace(/[\u200b\s]+/g, ' ').trim();
    }),
  );
const hero = (page: Page) => page.locator('[data-hero]');
const slider = (page: Page) => page.getByLabel('Step size η, in units of 1/λ₀');

/** Opens the landing page with the hero's script run, recording every request. */
async function openLanding(page: Page): Promise<string[]> {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/');
  await expect(hero(page)).toHaveAttribute('data-ready', 'true');
  return requests;
}

/** Sets the slider (as a drag would: an input event) and returns the sentence and the peak marker's height. */
async function setEta(page: Page, v: number) {
  await slider(page).fill(String(v));
  const text = heroSentence(heroRun(init, v), init);
  await expect(page.locator('#hero-what')).toHaveText(text);
  const cy = Number(await page.locator('.hero-peak').getAttribute('cy'));
  return { text, cy, regime: await hero(page).getAttribute('data-regime') };
}

test('dragging η·λ₀ across 2 and 4 changes the sentence and the loss peak, with no tfjs, wasm or worker', async ({
  page,
}) => {
  await page.addInitScript(() => performance.setResourceTimingBufferSize(10_000));
  const requests = await openLanding(page);
  await expect(page.locator('#hero-eta-value')).toHaveText(`η·λ₀ = ${init.etaLambda0}`);
  const lazy = await setEta(page, 1.9);
  const catapult = await setEta(page, 2.5);
  const diverged = await setEta(page, 4.5);
  expect([lazy.regime, catapult.regime, diverged.regime]).toEqual(['linear', 'catapult', 'diverged']);
  expect(lazy.text).toMatch(/^Linear:/);
  expect(catapult.text).toMatch(/^Catapult:.*rises/);
  expect(diverged.text).toMatch(/^Diverged:/);
  // SVG y grows downwards: the catapult's peak sits above the lazy run's start, the blow-up at the top
  expect(catapult.cy).toBeLessThan(lazy.cy);
  expect(diverged.cy).toBeLessThan(catapult.cy);
  await expect(page.locator('#hero-eta-value')).toHaveText('η·λ₀ = 4.5');
  await settled(page);
  const timeline = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect([...requests, ...timeline].filter(isHeavy), 'tfjs, wasm or worker on the landing page').toEqual([]);
});

test('the slider works from the keyboard and says its value', async ({ page }) => {
  await openLanding(page);
  await slider(page).focus();
  await page.keyboard.press('ArrowLeft');
  const v = +(init.etaLambda0 - 0.1).toFixed(10);
  await expect(page.locator('#hero-eta-value')).toHaveText(`η·λ₀ = ${v}`);
  await expect(slider(page)).toHaveAttribute('aria-valuetext', new RegExp(`^η·λ₀ = ${v}, `));
  await page.keyboard.press('End');
  await expect(hero(page)).toHaveAttribute('data-regime', 'diverged');
  await page.keyboard.press('Home');
  await expect(hero(page)).toHaveAttribute('data-regime', 'linear');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`${colorScheme} scheme, 390 px: the hero passes axe after interaction and nothing overflows`, async ({
    browser,
  }) => {
    const ctx = await browser.newContext({ colorScheme, viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await openLanding(page);
    for (const v of [1.5, 3.5, 4.5]) await setEta(page, v);
    const axe = await new AxeBuilder({ page }).include('[data-hero]').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    const box = await hero(page).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await ctx.close();
  });
}

test('under prefers-reduced-motion the hero has no transition', async ({ browser }) => {
  const duration = async (reducedMotion: 'reduce' | 'no-preference') => {
    const ctx = await browser.newContext({ reducedMotion });
    const page = await ctx.newPage();
    await openLanding(page);
    const d = await page.locator('#hero-what').evaluate((el) => getComputedStyle(el).transitionDuration);
    await ctx.close();
    return d;
  };
  expect(await duration('reduce')).toBe('0s');
  expect(await duration('no-preference')).not.toBe('0s');
});

test('the story’s three steps carry the report’s statuses, claim by claim', async ({ page }) => {
  await page.goto('/');
  const steps = page.locator('ol.story > li');
  await expect(steps).toHaveCount(3);
  const shown = await page
    .locator('ol.story li[data-claim]')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-claim')!, e.querySelector('.status')!.textContent!.trim()]),
    );
  expect(shown.length).toBeGreaterThanOrEqual(3);
  await page.goto('/report/');
  for (const [id, status] of shown) {
    await expect(page.locator(`tr#${id} .status`), id).toHaveText(status);
  }
  // what did not reproduce is on the landing page too
  expect(shown.some(([, s]) => s === 'not reproduced')).toBe(true);
});

test('every symbol the landing captions use is defined on the page', async ({ page }) => {
  await page.goto('/');
  // The caption and what waits behind it (the figure's set-up paragraph).
  const captions = (await readTexts(page.locator('main figcaption, main figure .fig-setup'))).join(' ');
  const defined = (await readTexts(page.locator('main dl.symbols dt'))).join(' | ');
  const SYMBOLS: [string, RegExp, RegExp][] = [
    ['n', /\bn = /, /\bn\b/],
    ['d', /\bd = /, /\bd\b/],
    ['m', /\bm = /, /(^|\W)m($|\W)/],
    ['K(w₀)', /K\s?\(w\s?0\s?\)/, /K\s?\(w\s?0\s?\)/],
    ['rank-2', /rank-2/, /rank-2/],
  ];
  const used = SYMBOLS.filter(([, inCaption]) => inCaption.test(captions));
  expect(used.length, 'the landing figure’s caption uses these symbols').toBeGreaterThan(0);
  for (const [name, , inList] of used) expect(defined, `${name} is used in a caption`).toMatch(inList);
});

test('the schematic pictures: one per chapter, labelled, short captions, no numbers, axe-clean and fitting 390 px', async ({
  browser,
}) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const ctx = await browser.newContext({ colorScheme, viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    for (const path of CHAPTERS) {
      await page.goto(path);
      const fig = page.locator('figure.schematic');
      await expect(fig, path).toHaveCount(1);
      const svg = fig.locator('svg[role="img"]');
      expect((await svg.getAttribute('aria-label'))!.length).toBeGreaterThan(40);
      const [caption] = await readTexts(fig.locator('figcaption'));
      expect(caption.split(/\s+/).length).toBeLessThanOrEqual(SCHEMATIC_CAPTION_WORDS);
      // drawn for the idea: no digit in the picture but the 2 of the formulas 2/η and 2b/λ
      const text = (await svg.locator('text').allTextContents()).join(' ');
      expect(text.replace(/\b2b?\//g, '')).not.toMatch(/\d/);
      const box = await svg.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      const axe = await new AxeBuilder({ page }).include('figure.schematic').analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    }
    await ctx.close();
  }
});
