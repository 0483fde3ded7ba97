/**
 * Previews of in-text references: a citation shows its full reference, a figure reference the
 * figure's thumbnail and caption, an equation reference the equation; each opens on hover and on
 * keyboard focus, is the link's description while open, closes on Escape, passes axe while open,
 * and at 390 px stays inside the viewport without widening the page.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

const tip = (page: Page) => page.locator('#ref-preview');

/** The text a reader sees of an element, KaTeX's MathML copy left out, whitespace collapsed. */
const seen = (l: Locator) =>
  l.evaluate((el) => {
    const c = el.cloneNode(true) as Element;
    c.querySelectorAll('.katex-mathml').forEach((m) => m.remove());
    return (c.textContent ?? '').replace(/\s+/g, ' ').trim();
  });

async function axeClean(page: Page) {
  const r = await new AxeBuilder({ page }).include('#ref-preview').analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

test('a citation previews its full reference on hover and on focus; Escape closes it', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const link = page.locator('.cite a[data-preview]').first();
  const key = (await link.getAttribute('href'))!.slice(1);
  const full = await seen(page.locator(`li#${key}`));
  expect(full.length).toBeGreaterThan(40);
  await link.hover();
  await expect(tip(page)).toBeVisible();
  await expect(tip(page)).toHaveAttribute('role', 'tooltip');
  expect((await seen(tip(page))).replace(/ link$/, '')).toBe(full.replace(/ link$/, ''));
  await expect(link).toHaveAttribute('aria-describedby', 'ref-preview');
  await axeClean(page);
  await page.keyboard.press('Escape');
  await expect(tip(page)).toBeHidden();
  await expect(link).not.toHaveAttribute('aria-describedby', /./);
  await page.mouse.move(0, 0);
  await link.focus();
  await expect(tip(page)).toBeVisible();
  expect((await seen(tip(page))).replace(/ link$/, '')).toBe(full.replace(/ link$/, ''));
  await page.keyboard.press('Escape');
  await expect(tip(page)).toBeHidden();
});

test('a figure reference previews the figure’s thumbnail and caption, on hover and on focus', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const link = page.locator('a[data-preview][href="#fig-uv"]').first();
  await link.hover();
  await expect(tip(page)).toBeVisible();
  await expect(tip(page).locator('svg.preview-thumb')).toHaveCount(1);
  await expect(tip(page).locator('svg.preview-thumb')).toHaveAttribute('aria-hidden', 'true');
  const caption = await seen(page.locator('figure#fig-uv figcaption .fignum'));
  await expect(tip(page).locator('.preview-caption')).toContainText(caption);
  await axeClean(page);
  await page.keyboard.press('Escape');
  await expect(tip(page)).toBeHidden();
  await page.mouse.move(0, 0);
  await link.focus();
  await expect(tip(page).locator('.preview-caption')).toContainText(caption);
});

test('an equation reference previews the equation, on hover and on focus', async ({ page }) => {
  await page.goto('/chapters/catapults-in-gd/');
  const link = page.locator('a[data-preview][href="#eq-uv"]').first();
  const eq = await seen(page.locator('#eq-uv .eqbody'));
  await link.focus();
  await expect(tip(page)).toBeVisible();
  expect(await seen(tip(page).locator('.eqbody'))).toBe(eq);
  await axeClean(page);
  await page.keyboard.press('Escape');
  await link.blur();
  await link.hover();
  await expect(tip(page).locator('.eqbody')).toBeVisible();
});

test('at 390 px a preview stays inside the viewport and the page does not widen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/chapters/catapults-in-gd/');
  for (const sel of ['.cite a[data-preview]', 'a[data-preview][href="#fig-uv"]', 'a[data-preview][href="#eq-uv"]']) {
    const link = page.locator(sel).first();
    await link.focus();
    await expect(tip(page)).toBeVisible();
    const box = (await tip(page).boundingBox())!;
    expect(box.x, sel).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, sel).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), sel).toBeLessThanOrEqual(390);
    await page.keyboard.press('Escape');
    await expect(tip(page)).toBeHidden();
  }
});
