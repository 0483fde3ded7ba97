/**
 * After `astro build`: the whole article (every chapter, in the site's navigation order) as one PDF,
 * dist/catapults.pdf, printed by Chromium with the site's print stylesheet. The first chapter page is
 * loaded from a small static server over dist/, the other chapters' articles are appended to it, and
 * the page is printed once, so figure and page numbers run through. Needs Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium), as the browser tests do.
 *
 *   tsx scripts/site-pdf.ts [dist]
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { PDF_FILE } from '../src/site/publication';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** The site's base path as astro.config.ts reads it (BASE_PATH), with slashes at both ends. */
const BASE = `/${(process.env.BASE_PATH ?? '').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');

/** Serves `dir` at BASE on 127.0.0.1 at a free port (paths ending in / get their index.html). */
async function serve(dir: string) {
  const server = createServer(async (req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const inBase = url.startsWith(BASE) ? `/${url.slice(BASE.length)}` : url;
    const path = normalize(inBase).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function main(dist: string): Promise<void> {
  const { server, origin } = await serve(dist);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}${BASE}`);
    // The chapters in the order the site's navigation lists them (one home for that order).
    const chapters = await page
      .locator('header.site nav a[href*="/chapters/"]')
      .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    if (!chapters.length) throw new Error('site-pdf: the navigation lists no chapters');
    await page.goto(`${origin}${chapters[0]}`);
    await page.evaluate(async (rest) => {
      const main = document.querySelector('main')!;
      for (const path of rest) {
        const doc = new DOMParser().parseFromString(await (await fetch(path)).text(), 'text/html');
        main.append(document.importNode(doc.querySelector('article.chapter')!, true));
      }
    }, chapters.slice(1));
    // The page's own print handler (src/site/revealTarget.ts) opens every lab note, as when a reader prints.
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.emulateMedia({ media: 'print' });
    // Every image and font in place before printing.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.pdf({
      path: join(dist, PDF_FILE),
      format: 'A4',
      margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font-size:8px;width:100%;text-align:center"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    });
    console.log(`site-pdf: ${chapters.length} chapters into ${dist}/${PDF_FILE}`);
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv[2] ?? 'dist');
