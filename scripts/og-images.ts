/**
 * After `astro build`: draws each page's Open Graph image (the PNG its og:image names, at
 * OG_IMAGE's size) from the built HTML: the page's title over its lead figure (the first panel of
 * its first figure, the SVG the page shows), or over the site's loss-curve mark where the page has
 * no figure. sharp (installed with Astro) rasterises the SVG; nothing leaves the machine.
 *
 *   tsx scripts/og-images.ts [dist]
 */
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { OG_IMAGE } from '../src/site/publication';

const PAD = 48;
const TITLE_SIZE = 40;
const LEADING = 1.2;
const BG = '#fdfdfb';
const INK = '#1d1d1f';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unesc = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every .html file under `dir`. */
function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? htmlFiles(p) : p.endsWith('.html') ? [p] : [];
  });
}

const meta = (html: string, prop: string) =>
  new RegExp(`<meta property="${prop}" content="([^"]*)"`).exec(html)?.[1] ?? null;

/** The first panel SVG of the page's first figure (nested <svg>s counted), or null. */
export function leadPanel(html: string): string | null {
  const fig = html.indexOf('<figure class="fig"');
  if (fig < 0) return null;
  const start = html.indexOf('<svg', html.indexOf('class="panels"', fig));
  if (start < 0) return null;
  const tag = /<\/?svg\b/g;
  tag.lastIndex = start;
  let depth = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    depth += m[0] === '<svg' ? 1 : -1;
    if (depth === 0) return html.slice(start, html.indexOf('>', m.index) + 1);
  }
  return null;
}

/** Words of `text` in lines of at most `max` characters (a title is short; two lines at most are drawn). */
function lines(text: string, max: number): string[] {
  const out: string[] = [];
  for (const w of text.split(/\s+/)) {
    const last = out[out.length - 1];
    if (last !== undefined && (last + ' ' + w).length <= max) out[out.length - 1] = `${last} ${w}`;
    else out.push(w);
  }
  return out.slice(0, 2);
}

/** The card: title on top, the figure (or the site's mark) scaled into the rest. */
export function cardSvg(title: string, panel: string | null): string {
  const { width: W, height: H } = OG_IMAGE;
  // Inline style on each <text>: the panel's own <style> sets every <text> to 12 px, beating inherited or presentation values.
  const ls = lines(title, 44);
  const font = `font: 600 ${TITLE_SIZE}px DejaVu Sans, system-ui, sans-serif; fill: ${INK}`;
  const text = ls
    .map((l, i) => `<text x="${PAD}" y="${PAD + TITLE_SIZE * (0.85 + LEADING * i)}" style="${font}">${esc(l)}</text>`)
    .join('');
  const top = PAD + TITLE_SIZE * LEADING * ls.length + 16;
  const box = { x: PAD, y: top, w: W - 2 * PAD, h: H - top - PAD };
  let body: string;
  if (panel) {
    // Scale the panel's own viewBox into the box, keeping its aspect; its <style> travels with it.
    const [, , vw, vh] = (/viewBox="([^"]+)"/.exec(panel)?.[1] ?? '0 0 344 294').split(/\s+/).map(Number);
    const k = Math.min(box.w / vw, box.h / vh);
    const x = box.x + (box.w - vw * k) / 2;
    body = panel.replace(
      /^<svg\b[^>]*>/,
      `<svg xmlns="http://www.w3.org/2000/svg" x="${x}" y="${box.y}" width="${vw * k}" height="${vh * k}" viewBox="0 0 ${vw} ${vh}">`,
    );
  } else {
    const k = box.h / 32;
    body = `<g transform="translate(${(W - 32 * k) / 2} ${box.y}) scale(${k})"><path d="M5 9 C8 15 10 20 12.5 21 L16.5 5.5 L19.5 22.5 C22 25 25 25.5 27.5 26" fill="none" stroke="#0072b2" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/><circle cx="16.5" cy="5.5" r="2.4" fill="#d55e00"/></g>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="100%" height="100%" fill="${BG}"/>${text}${body}</svg>`;
}

async function main(dist: string): Promise<void> {
  let n = 0;
  for (const file of htmlFiles(dist).sort()) {
    const html = readFileSync(file, 'utf8');
    const image = meta(html, 'og:image');
    if (!image) throw new Error(`${file}: no og:image meta tag (src/layouts/Base.astro writes one on every page)`);
    // The image's path under dist: its URL's path without the site's base (the part before /og/).
    const path = new URL(image).pathname;
    const rel = path.slice(path.lastIndexOf(`/${OG_IMAGE.dir}/`) + 1);
    const out = join(dist, rel);
    mkdirSync(dirname(out), { recursive: true });
    const title = unesc(meta(html, 'og:title') ?? '');
    await sharp(Buffer.from(cardSvg(title, leadPanel(html))))
      .png()
      .toFile(out);
    n++;
  }
  console.log(`og-images: ${n} preview images of ${OG_IMAGE.width}×${OG_IMAGE.height} in ${dist}/${OG_IMAGE.dir}/`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv[2] ?? 'dist');
