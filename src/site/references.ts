/**
 * The site's bibliography, parsed once per build from content/references.bib (Node only).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBibliography, type Reference } from './bib';

let cache: Map<string, Reference> | null = null;

/** All references by BibTeX key; throws naming the file if it cannot be read or parsed. */
export function bibliography(): Map<string, Reference> {
  if (cache) return cache;
  const path = resolve(process.cwd(), 'content/references.bib');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`bibliography: cannot read ${path} (${(e as Error).message}); restore content/references.bib`);
  }
  cache = parseBibliography(text);
  return cache;
}
