/**
 * Each chapter's table of contents lists every h2 of the chapter, in order, with the heading's text and
 * a link to its id. On a wide screen it stands beside the text (right of the column) and stays in view
 * while scrolling (sticky); on a phone it is a closed <details> above the text that opens to the list.
 */
import { expect, test, type Page } from '@playwright/test';
import { CHAPTERS } from './pages';

/** Every h2 of the article: its id and its text without the permalink's "#". */
const h2s = (page: Page) =>
  page.locator('article h2').evaluateAll((hs) =>
    hs.map((h) => ({
      href: `#${h.id}`,
      text: (h as HTMLElement).innerText.replace(/\s*#$/, '').trim(),
    })),
  );
const links = (page: Page, nav: string) =>
  page
    .locator(`${nav} a`)
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: (a as HTMLElement).innerText.trim() })));

for (const path of CHAPTERS) {
  test(`${path}: on a wide screen the contents stand beside the text, list every h2 and stay in view`, async ({
    browser,
  }) => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(path);
    const side = page.locator('.toc-side nav');
    await expect(side).toBeVisible();
    await expect(page.locator('details.toc-inline')).toBeHidden();
    const headings = await h2s(page);
    expect(headings.length).toBeGreaterThan(3);
    expect(await links(page, '.toc-side nav')).toEqual(headings);
    const [nav, text] = await Promise.all([side.boundingBox(), page.locator('article > p.lede').boundingBox()]);
    expect(nav!.x, 'right of the text column').toBeGreaterThanOrEqual(text!.x + text!.width);
    expect(nav!.x + nav!.width, 'inside the window').toBeLessThanOrEqual(1400);
    // Scrolled far down, it is still on screen.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight * 0.6));
    await expect(async () => {
      const box = await side.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(100);
    }).toPass({ timeout: 5_000 });
    await ctx.close();
  });

  test(`${path}: on a phone the contents are a closed <details> that opens to every h2`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(path);
    const details = page.locator('details.toc-inline');
    await expect(details).toBeVisible();
    await expect(page.locator('.toc-side nav')).toBeHidden();
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    // Above the text: before the first section.
    const [d, first] = await Promise.all([details.boundingBox(), page.locator('article h2').first().boundingBox()]);
    expect(d!.y).toBeLessThan(first!.y);
    await details.locator('summary').click();
    const headings = await h2s(page);
    expect(await links(page, 'details.toc-inline')).toEqual(headings);
    const target = headings[2];
    await details.locator(`a[href="${target.href}"]`).click();
    await expect(page).toHaveURL(new RegExp(`${target.href}$`));
    await ctx.close();
  });
}
