/**
 * Shared check of the chapter tests: text shown to readers (captions, alt texts, report rows)
 * holds no NaN, undefined, null or Infinity, which would mean a missing run or key got through.
 */
import assert from 'node:assert/strict';

/** Asserts `text` reads as numbers and words only; `where` names the figure or claim. */
export function assertReadable(text: string, where: string): void {
  const bad = /\bNaN\b|\bundefined\b|\bnull\b|Infinity|\[object /.exec(text);
  assert.equal(
    bad,
    null,
    `${where}: "${bad?.[0]}" in ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 60), (bad?.index ?? 0) + 40))}`,
  );
}

/** Checks caption and alt text of figure props. */
export function assertFigureReadable(fig: { caption: string; alt: string }, where: string): void {
  assertReadable(fig.caption, `${where} caption`);
  assertReadable(fig.alt, `${where} alt`);
}

/** Checks every text field of report rows. */
export function assertClaimsReadable(
  claims: { id: string; claim: string; paper: string | null; ours: string; detail: string }[],
): void {
  for (const c of claims) for (const t of [c.claim, c.paper ?? '', c.ours, c.detail]) assertReadable(t, c.id);
}
