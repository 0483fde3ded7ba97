/**
 * How the site is published: its default address, its name and author, and its two licences (code
 * under MIT, text and figures under CC BY 4.0). One place for the layout, CITATION.cff's test, the
 * Scholar meta tags and astro.config.ts.
 */

/**
 * The address a build publishes under when SITE_URL is not set. Whoever deploys the site elsewhere
 * changes it here (or sets SITE_URL, as the Pages workflow does): canonical links, the sitemap,
 * Open Graph URLs and "Cite this page" all use it.
 */
export const DEFAULT_SITE = 'https://catapults.github.io';

/** The site's address: SITE_URL if set (checked), else DEFAULT_SITE. */
export function siteUrl(env: Record<string, string | undefined> = process.env): string {
  const value = env.SITE_URL;
  if (value === undefined || value === '') return DEFAULT_SITE;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `SITE_URL="${value}" is not an absolute URL; set it to the published origin, e.g. https://user.github.io, or unset it to use ${DEFAULT_SITE}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`SITE_URL="${value}" must start with https:// (or http://); e.g. https://user.github.io`);
  }
  return value;
}

export const SITE_NAME = 'Catapults';
export const SITE_TITLE = 'Catapults: an explainer that reruns its own science';
/** The author of every page, as cited (BibTeX, CITATION.cff, Scholar). */
export const AUTHOR = 'The Catapults project';

export const CONTENT_LICENSE = {
  spdx: 'CC-BY-4.0',
  name: 'CC BY 4.0',
  url: 'https://creativecommons.org/licenses/by/4.0/',
} as const;
export const CODE_LICENSE = {
  spdx: 'MIT',
  name: 'MIT',
  url: 'https://opensource.org/license/mit',
} as const;

/** The Open Graph preview image every page names: its size (the common 1.91:1 card) and where it goes. */
export const OG_IMAGE = { width: 1200, height: 630, dir: 'og' } as const;

/**
 * The preview image's path under the site's base for a page's path (base stripped): '/' → 'og/index.png',
 * '/chapters/agop/' → 'og/chapters-agop.png', '/404.html' → 'og/404.png'. scripts/og-images.ts writes it.
 */
export function ogImagePath(pagePath: string): string {
  const slug =
    pagePath
      .replace(/\.html$/, '')
      .replace(/^\/+|\/+$/g, '')
      .replace(/\//g, '-') || 'index';
  return `${OG_IMAGE.dir}/${slug}.png`;
}

/** The whole article (every chapter) as one PDF, under the site's base; scripts/site-pdf.ts prints it. */
export const PDF_FILE = 'catapults.pdf';
