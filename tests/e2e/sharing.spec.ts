/**
 * What a crawler, a browser tab and a link preview see: a sitemap listing every page at its absolute
 * address (and not the 404 page), a robots.txt naming it, an SVG favicon that loads under the CSP, a
 * 404 page in the site's shell served with status 404, and Open Graph and Twitter card tags on every
 * page that agree with its title, description and canonical address, with a preview image (og:image)
 * that is a PNG in dist of the size the tags state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PAGES } from './pages';
import { siteUrl } from '../../src/site/publication';

const SITE = siteUrl();
const abs = (path: string) => new URL(path, SITE).href;

test('the sitemap lists every page at its absolute address, robots.txt names it', async ({ request }) => {
  const index = await request.get('/sitemap-index.xml');
  expect(index.status()).toBe(200);
  const indexXml = await index.text();
  expect(indexXml).toContain('<sitemapindex');
  const maps = [...indexXml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  expect(maps.length).toBeGreaterThan(0);
  const urls: string[] = [];
  for (const map of maps) {
    expect(map.startsWith(SITE)).toBe(true);
    const res = await request.get(new URL(map).pathname);
    expect(res.status(), map).toBe(200);
    urls.push(...[...(await res.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]));
  }
  expect([...urls].sort()).toEqual(PAGES.map(abs).sort());

  const robots = await request.get('/robots.txt');
  expect(robots.status()).toBe(200);
  expect(robots.headers()['content-type']).toMatch(/^text\/plain/);
  const text = await robots.text();
  expect(text).toMatch(/^User-agent: \*$/m);
  expect(text).toMatch(new RegExp(`^Sitemap: ${abs('/sitemap-index.xml').replace(/[.?]/g, '\\$&')}$`, 'm'));
});

test('the favicon is an SVG that loads under the CSP', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('/');
  const icon = page.locator('link[rel="icon"]');
  await expect(icon).toHaveAttribute('type', 'image/svg+xml');
  const href = (await icon.getAttribute('href'))!;
  const res = await request.get(href);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^image\/svg\+xml/);
  expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 32 32">/);
  // Drawn by the browser as an image of this page: it decodes and has a size.
  const size = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, href);
  expect(size[0]).toBeGreaterThan(0);
  expect(size[1]).toBeGreaterThan(0);
  expect(errors, 'console errors (a CSP violation is one)').toEqual([]);
});

test('an unknown address gets the 404 page in the site shell, with status 404', async ({ page }) => {
  expect(existsSync('dist/404.html'), 'dist/404.html (what static hosts serve)').toBe(true);
  const res = await page.goto('/no-such-page/');
  expect(res?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
  await expect(page).toHaveTitle('Page not found · Catapults');
  await expect(page.locator('header.site nav a.brand')).toBeVisible();
  await expect(page.locator('footer .reuse')).toBeVisible();
  // The site's stylesheet applies: the same body font and background as the landing page.
  const style = () =>
    page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return [s.fontFamily, s.backgroundColor, getComputedStyle(document.querySelector('main')!).maxWidth];
    });
  const notFound = await style();
  await page.goto('/');
  expect(notFound).toEqual(await style());
  await page.goto('/no-such-page/');
  for (const href of await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
    expect((await page.request.get(href)).status(), href).toBe(200);
  }
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex');
  await expect(page.locator('link[rel="canonical"]')).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  // The sitemap never lists it.
  const sitemaps = readFileSync('dist/sitemap-0.xml', 'utf8');
  expect(sitemaps).not.toContain('404');
});

for (const path of PAGES) {
  test(`${path}: Open Graph and Twitter card tags`, async ({ page }) => {
    await page.goto(path);
    const meta = (attr: 'property' | 'name', key: string) =>
      page.locator(`meta[${attr}="${key}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('content')));
    const title = await page.title();
    const description = (await meta('name', 'description'))[0]!;
    expect(description.length).toBeGreaterThan(20);
    expect(await meta('property', 'og:site_name')).toEqual(['Catapults']);
    expect(await meta('property', 'og:type')).toEqual([path.startsWith('/chapters/') ? 'article' : 'website']);
    const ogTitle = (await meta('property', 'og:title'))[0]!;
    expect(ogTitle.length).toBeGreaterThan(3);
    expect(title.startsWith(ogTitle)).toBe(true);
    expect(await meta('property', 'og:description')).toEqual([description]);
    expect(await meta('property', 'og:url')).toEqual([abs(path)]);
    expect(await meta('name', 'twitter:card')).toEqual(['summary_large_image']);
    // The preview image: a PNG in dist at the size the tags state, drawn after the build (scripts/og-images.ts).
    const image = (await meta('property', 'og:image'))[0]!;
    expect(image.startsWith(new URL('/og/', abs('/')).href)).toBe(true);
    const width = Number((await meta('property', 'og:image:width'))[0]);
    const height = Number((await meta('property', 'og:image:height'))[0]);
    expect([width, height]).toEqual([1200, 630]);
    const png = readFileSync(join('dist', 'og', new URL(image).pathname.split('/og/')[1]));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
    // It decodes in full (sharp, the library that wrote it, reads every row).
    const { info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([width, height]);
    expect((await meta('property', 'og:image:alt'))[0]).toContain(ogTitle);
    expect(await meta('name', 'twitter:title')).toEqual([title]);
    expect(await meta('name', 'twitter:description')).toEqual([description]);
  });
}
