/**
 * Bibliography at build time: parses BibTeX with citation-js and formats entries (APA-like CSL),
 * so the site needs no runtime citation code. Pure: the caller supplies the BibTeX text.
 */
// @ts-expect-error @citation-js/core ships no type declarations
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-csl';

/** One formatted reference: the BibTeX key, a plain-text APA citation, and a link if the entry has a DOI or URL. */
export interface Reference {
  key: string;
  text: string;
  href: string | null;
  /** Short in-text label, e.g. "Zhu et al., 2024". */
  short: string;
}

interface CslName {
  family?: string;
  literal?: string;
}
interface CslItem {
  id: string;
  author?: CslName[];
  issued?: { 'date-parts'?: number[][] };
  DOI?: string;
  URL?: string;
}

/** Parses BibTeX text into references keyed by BibTeX key; throws naming the key when an entry lacks author or year. */
export function parseBibliography(bibtex: string): Map<string, Reference> {
  const cite = new Cite(bibtex, { forceType: '@bibtex/text' });
  const items = cite.data as CslItem[];
  const refs = new Map<string, Reference>();
  for (const item of items) {
    const authors = item.author ?? [];
    const year = item.issued?.['date-parts']?.[0]?.[0];
    if (authors.length === 0 || year === undefined) {
      throw new Error(`references.bib: entry "${item.id}" needs both author and year fields; add them`);
    }
    const text = String(
      new Cite(item).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }),
    ).trim();
    const first = authors[0].family ?? authors[0].literal ?? '?';
    const short = `${authors.length === 1 ? first : authors.length === 2 ? `${first} & ${authors[1].family ?? ''}` : `${first} et al.`}, ${year}`;
    const href = item.DOI ? `https://doi.org/${item.DOI}` : (item.URL ?? null);
    refs.set(item.id, { key: item.id, text, href, short });
  }
  return refs;
}

/** Looks up cited keys in order; throws naming the unknown key and the file to add it to. */
export function resolveCitations(keys: readonly string[], refs: Map<string, Reference>): Reference[] {
  return keys.map((k) => {
    const r = refs.get(k);
    if (!r)
      throw new Error(
        `<Cite key="${k}">: no such entry; add it to content/references.bib (known: ${[...refs.keys()].join(', ')})`,
      );
    return r;
  });
}

/** A BibTeX @misc entry for citing one page of this site; `year` and `url` are given by the caller so builds stay deterministic. */
export function pageBibtex(opts: { key: string; title: string; url: string; year: number; author: string }): string {
  const esc = (s: string) => s.replace(/[{}]/g, '');
  return [
    `@misc{${opts.key},`,
    `  title  = {${esc(opts.title)}},`,
    `  author = {${esc(opts.author)}},`,
    `  year   = {${opts.year}},`,
    `  url    = {${opts.url}},`,
    `  note   = {Reproduction of Zhu, Liu, Radhakrishnan \\& Belkin, arXiv:2306.04815}`,
    `}`,
  ].join('\n');
}
