/**
 * A chapter's table of contents: one entry per `## ` section, linking to the id Astro gave its h2 and
 * labelled with the heading as written in the MDX source, its `$…$` maths rendered by KaTeX (Astro's
 * own heading text runs KaTeX's MathML, TeX and glyphs together). Build time only.
 */
import { inlineMath } from './notation';

export interface TocEntry {
  /** The h2's id (Astro's heading slug). */
  slug: string;
  /** The heading as HTML: escaped text and inline KaTeX. */
  html: string;
}

/** A heading as Astro's `render()` reports it. */
export interface RenderedHeading {
  depth: number;
  slug: string;
  text: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Heading source as HTML: `$…$` as KaTeX, `` `…` `` as code, `**`/`_` emphasis markers dropped, the rest escaped. */
export function headingHtml(source: string, file: string): string {
  return source
    .split(/(\$[^$]+\$|`[^`]+`)/)
    .map((part) => {
      if (part.startsWith('$') && part.endsWith('$') && part.length > 2) {
        try {
          return inlineMath(part.slice(1, -1));
        } catch (e) {
          throw new Error(`${file}: heading "${source}": cannot render ${part}: ${(e as Error).message}`);
        }
      }
      if (part.startsWith('`') && part.endsWith('`') && part.length > 2)
        return `<code>${esc(part.slice(1, -1))}</code>`;
      return esc(part.replace(/\*\*|__/g, ''));
    })
    .join('');
}

/** The `## ` heading lines of an MDX body, outside fenced code blocks, in order. */
export function sourceSections(body: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of body.split('\n')) {
    const f = /^\s*(```|~~~)/.exec(line);
    if (f) {
      fence = fence === null ? f[1] : fence === f[1] ? null : fence;
      continue;
    }
    if (fence !== null) continue;
    const m = /^## +(.+?)\s*#*\s*$/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

/**
 * Pairs the source's `## ` lines with the rendered h2s in order. Throws naming the file when their
 * numbers differ (an h2 written as JSX, or a `## ` line Markdown did not read as a heading).
 */
export function chapterToc(body: string, headings: readonly RenderedHeading[], file: string): TocEntry[] {
  const sections = sourceSections(body);
  const h2 = headings.filter((h) => h.depth === 2);
  if (sections.length !== h2.length) {
    throw new Error(
      `${file}: ${sections.length} "## " heading lines in the source but ${h2.length} h2 headings rendered; ` +
        `the table of contents pairs them in order, so write every section heading as a "## Title" line`,
    );
  }
  return h2.map((h, i) => ({ slug: h.slug, html: headingHtml(sections[i], file) }));
}
