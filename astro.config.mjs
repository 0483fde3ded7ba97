// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';

// Astro assigns heading ids itself; this appends a visible, labelled permalink to each heading.
/** @type {[typeof rehypeAutolinkHeadings, import('rehype-autolink-headings').Options]} */
const headingLinks = [
  rehypeAutolinkHeadings,
  {
    behavior: /** @type {const} */ ('append'),
    test: ['h2', 'h3'],
    properties: { className: ['heading-anchor'], ariaLabel: 'Permalink to this section' },
    content: { type: 'text', value: '#' },
  },
];

export default defineConfig({
  site: 'https://catapults.example.org',
  output: 'static',
  trailingSlash: 'always',
  integrations: [mdx()],
  markdown: {
    remarkPlugins: [remarkMath],
    rehypePlugins: [[rehypeKatex, { output: 'htmlAndMathml', strict: 'error' }], headingLinks],
  },
  vite: {
    // The demo worker imports tfjs; keep it as an ES module worker.
    worker: { format: 'es' },
  },
});
