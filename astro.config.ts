import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { unified, rehypeHeadingIds } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeAutolinkHeadings, { type Options as HeadingLinkOptions } from 'rehype-autolink-headings';
import { createHash } from 'node:crypto';
import { FIGURE_SVG_STYLE } from './src/site/figureStyle';
import rehypeScrollableMath from './src/site/rehypeScrollableMath';
import { siteUrl } from './src/site/publication';

/** CSP source for one inline <style> element: its SHA-256, base64. */
const styleHash = (css: string) => `sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}` as const;

// Appends a visible, labelled permalink to each heading. Astro's MDX pipeline assigns heading ids only after
// the user's rehype plugins, so `rehypeHeadingIds` runs first (below): without ids this plugin skips every heading.
const headingLinks: [typeof rehypeAutolinkHeadings, HeadingLinkOptions] = [
  rehypeAutolinkHeadings,
  {
    behavior: 'append',
    test: ['h2', 'h3'],
    properties: { className: ['heading-anchor'], ariaLabel: 'Permalink to this section' },
    content: { type: 'text', value: '#' },
  },
];

export default defineConfig({
  // The published address: SITE_URL (the Pages workflow sets it and BASE_PATH), else DEFAULT_SITE in
  // src/site/publication.ts, which whoever deploys elsewhere changes. Citations, canonical URLs, the sitemap and
  // Open Graph use it.
  site: siteUrl(),
  base: process.env.BASE_PATH || '/',
  output: 'static',
  // Component styles as files, not inline <style> elements, so the CSP needs no hash for them.
  build: { inlineStylesheets: 'never' },
  trailingSlash: 'always',
  // sitemap-index.xml and sitemap-0.xml under `site`, every page but the 404 page and the unlisted scratch page of
  // schematic pictures (robots.txt names the index).
  integrations: [mdx(), sitemap()],
  markdown: {
    // Math is rendered at build time by the one katex this project installs (see package.json overrides).
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [
        [rehypeKatex, { output: 'htmlAndMathml', strict: 'error' }],
        rehypeScrollableMath,
        // Ids from the rendered heading text, exactly as Astro would assign them after these plugins.
        rehypeHeadingIds,
        headingLinks,
      ],
    }),
  },
  security: {
    // Astro hashes its own scripts and styles into script-src/style-src; the rest is what the site needs:
    // same-origin everything, Web Workers from our own bundles, and WebAssembly compilation for tfjs-wasm.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      // KaTeX positions glyphs with style attributes (they cannot run code); the figures' SVG <style> by hash.
      styleDirective: {
        resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }],
        hashes: [styleHash(FIGURE_SVG_STYLE.replace(/^<style>|<\/style>$/g, ''))],
      },
    },
  },
  vite: {
    // The demo worker imports tfjs; keep it as an ES module worker.
    worker: { format: 'es' },
  },
});
