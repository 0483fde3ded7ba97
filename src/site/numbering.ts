/**
 * Figure, table, equation and citation numbering from a page's source text, so numbers follow source
 * order and never depend on render order or random ids. Labels look like "fig-uv", "tab-eta-max" or
 * "eq-residual"; citations like <Cite key="zhu2024catapults"/> (several keys separated by commas).
 */

export type LabelKind = 'figure' | 'table' | 'equation';

/** Number and kind of one label; `display` is what prose shows, e.g. "Figure 2", "Table 1" or "Eq. (3)". */
export interface Numbered {
  label: string;
  kind: LabelKind;
  n: number;
  display: string;
}

/** What one page knows while rendering: its label numbers and the cited keys in first-use order. */
export interface ArticleContext {
  numbers: Map<string, Numbered>;
  citations: string[];
}

// Only definitions count (a <Figure>, <Table> or <Equation>, or any component whose name ends in
// "Figure" or "Table"); <Ref label="…"> mentions the same label without defining it.
const LABEL_RE = /<([A-Z][A-Za-z0-9]*)\b[^>]*?\blabel\s*=\s*["']([^"']*)["']/g;
const CITE_RE = /<Cite\b[^>]*?\bkey\s*=\s*["']([^"']+)["']/g;

const PREFIX: Record<LabelKind, string> = { figure: 'fig', table: 'tab', equation: 'eq' };
const DISPLAY: Record<LabelKind, (n: number) => string> = {
  figure: (n) => `Figure ${n}`,
  table: (n) => `Table ${n}`,
  equation: (n) => `Eq. (${n})`,
};

/** The kind of label a component defines, by its name, or null when it defines none (e.g. <Ref>). */
export function componentKind(name: string): LabelKind | null {
  if (name === 'Equation') return 'equation';
  if (name.endsWith('Figure')) return 'figure';
  if (name.endsWith('Table')) return 'table';
  return null;
}

/** Checks a label's shape; throws naming the label and the expected form. */
export function checkLabel(label: string): LabelKind {
  const m = /^(fig|tab|eq)-[A-Za-z0-9_-]+$/.exec(label);
  if (!m)
    throw new Error(`label "${label}": must look like "fig-name", "tab-name" or "eq-name" (letters, digits, - and _)`);
  return m[1] === 'fig' ? 'figure' : m[1] === 'tab' ? 'table' : 'equation';
}

/**
 * Numbers every label a figure, table or equation defines, in source order (1-based, separately per
 * kind); throws on a duplicate label, a malformed one, or one whose prefix does not fit its component
 * (a "tab-" label on a figure).
 */
export function numberLabels(source: string): Map<string, Numbered> {
  const out = new Map<string, Numbered>();
  const counts: Record<LabelKind, number> = { figure: 0, table: 0, equation: 0 };
  for (const m of source.matchAll(LABEL_RE)) {
    const [, component, label] = m;
    const want = componentKind(component);
    if (!want) continue;
    if (out.has(label))
      throw new Error(`label "${label}" is used twice on one page; give each figure/table/equation its own label`);
    const kind = checkLabel(label);
    if (kind !== want)
      throw new Error(
        `label "${label}" on <${component}>: ${want === 'equation' ? 'an' : 'a'} ${want}'s label starts with "${PREFIX[want]}-"`,
      );
    const n = ++counts[kind];
    out.set(label, { label, kind, n, display: DISPLAY[kind](n) });
  }
  return out;
}

/** Cited BibTeX keys in order of first use (deduplicated). */
export function citationOrder(source: string): string[] {
  const keys: string[] = [];
  for (const m of source.matchAll(CITE_RE)) {
    for (const k of m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      if (!keys.includes(k)) keys.push(k);
  }
  return keys;
}

/** Builds the page context from its source text (MDX body or a list of components written out). */
export function articleContext(source: string): ArticleContext {
  return { numbers: numberLabels(source), citations: citationOrder(source) };
}

/** Looks a label up; throws naming the label and what to do when the page does not define it. */
export function lookupLabel(ctx: ArticleContext | undefined, label: string): Numbered {
  if (!ctx) throw new Error(`label "${label}": page has no numbering context; render it inside the Article layout`);
  const hit = ctx.numbers.get(label);
  if (!hit)
    throw new Error(
      `label "${label}" is not defined on this page; known: ${[...ctx.numbers.keys()].join(', ') || 'none'}`,
    );
  return hit;
}

/** 1-based citation number of a key on this page; throws naming the key if the scan did not see it. */
export function citationNumber(ctx: ArticleContext | undefined, key: string): number {
  if (!ctx) throw new Error(`<Cite key="${key}">: page has no numbering context; render it inside the Article layout`);
  const i = ctx.citations.indexOf(key);
  if (i < 0)
    throw new Error(`<Cite key="${key}">: key not found in the page source; write it literally as key="${key}"`);
  return i + 1;
}

declare global {
  namespace App {
    interface Locals {
      /** Set by the page before rendering its body; read by Figure, Table, Equation, Ref and Cite. */
      article?: ArticleContext;
    }
  }
}
