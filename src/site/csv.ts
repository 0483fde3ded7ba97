/**
 * The one CSV writer's fields (figureCsv.ts, table.ts): a text quoted when it holds a comma, a quote
 * or a line break; a number in full precision, and nothing for a value that is not a finite number.
 */

/** A text field, quoted (its quotes doubled) when it holds a comma, a quote or a line break. */
export const csvField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A number as JS writes it (shortest round-trip form); null, undefined, NaN and ±Infinity are empty. */
export const csvNumber = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '' : String(n);
