/**
 * Tables of results as data: a typed spec (columns with their role, rows of cells that carry both the
 * text the page shows and the raw value the downloads hold), its checks, and the CSV and JSON the
 * download buttons of <Table> build in the browser (pure, no DOM: the build, the browser and the
 * tests call the same functions).
 *
 * Columns are ordered for the reader: the row-identifying ones ('label') first, then our values
 * ('ours'), then the paper's ('paper'), then settings-like ones ('setting', 'other').
 */
import { csvField, csvNumber } from './csv';

/** What a column holds: the row's name, our measurement, a published value, a setting of the runs, or anything else. */
export type ColumnRole = 'label' | 'ours' | 'paper' | 'setting' | 'other';

export interface TableColumn {
  /** Key of the column in every row (and in the JSON download). */
  key: string;
  /** Header in the site's plain notation (λ_max, η_crit), rendered by KaTeX; a line break (\n) is where a long one breaks on the page. */
  header: string;
  role: ColumnRole;
  /** Unit of the raw values, named in the downloads' headers ("%", "steps"). */
  unit?: string;
}

/** A raw value: a number, a text, nothing (null: not measured, not applicable), or named numbers (mean and std). */
export type TableValue = number | string | null | { readonly [part: string]: number | null };

/** One cell: the text the page shows (already formatted) and the raw value the downloads hold. */
export interface TableCell {
  text: string;
  value: TableValue;
}

export type TableRow = Readonly<Record<string, TableCell>>;

/** Everything <Table> renders, and all the downloads hold. */
export interface TableSpec {
  /** What the table finds, in one sentence (plain notation); the caption opens with it. */
  finding: string;
  /** What the table shows and how it was run (plain notation). */
  caption: string;
  columns: readonly TableColumn[];
  rows: readonly TableRow[];
  /** Config objects from the traces (shown in the settings disclosure, written into the JSON download). */
  settings: Record<string, unknown>;
  /** Experiment id(s) whose runs the table reads. */
  experiment: string | readonly string[];
}

/** The part of a spec the downloads are written from. */
export type TableData = Pick<TableSpec, 'columns' | 'rows'>;

/** The longest caption (finding and description together), in words. */
export const TABLE_CAPTION_WORDS = 50;

/** The order columns come in: label, ours, paper, then settings-like ones. */
const ROLE_RANK: Record<ColumnRole, number> = { label: 0, ours: 1, paper: 2, setting: 3, other: 3 };

/** A cell from its text and raw value (the text is the value's own when the value is a string). */
export const cell = (text: string, value: TableValue = text): TableCell => ({ text, value });

/** A cell of a missing value: "—" on the page, empty in the CSV, null in the JSON. */
export const blank = (text = '—'): TableCell => ({ text, value: null });

/** A number, or null when it is not finite. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** A "mean ± std" cell (its text given, or the stats' own); a part that is not finite is null. */
export const meanStdCell = (s: { mean: number; std: number; text?: string }, text = s.text ?? ''): TableCell => ({
  text,
  value: { mean: finite(s.mean), std: finite(s.std) },
});

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

/** Checks a spec; throws naming the table (`name`) and what is wrong. Returns the spec. */
export function checkTableSpec<T extends TableSpec>(spec: T, name: string): T {
  const fail = (msg: string): never => {
    throw new Error(`table ${name}: ${msg}`);
  };
  if (!spec.finding.trim()) fail('the finding is empty; the caption opens with what the table finds');
  if (!spec.caption.trim()) fail('the caption is empty');
  const n = words(spec.finding) + words(spec.caption);
  if (n > TABLE_CAPTION_WORDS) fail(`the caption has ${n} words, at most ${TABLE_CAPTION_WORDS} allowed`);
  if (!spec.columns.length) fail('no columns');
  if (spec.columns[0].role !== 'label') fail('the first column must be a row label (role "label")');
  const keys = new Set<string>();
  spec.columns.forEach((c, i) => {
    if (!c.key) fail(`column ${i + 1} has no key`);
    if (keys.has(c.key)) fail(`column key "${c.key}" is used twice`);
    keys.add(c.key);
    const prev = spec.columns[i - 1];
    if (prev && ROLE_RANK[c.role] < ROLE_RANK[prev.role])
      fail(
        `column "${c.key}" (${c.role}) comes after "${prev.key}" (${prev.role}); order the columns label, ours, paper, then settings`,
      );
  });
  if (!spec.rows.length) fail('no rows');
  spec.rows.forEach((r, i) => {
    for (const k of keys) if (!r[k]) fail(`row ${i + 1} has no cell "${k}"`);
    for (const k of Object.keys(r)) if (!keys.has(k)) fail(`row ${i + 1} has a cell "${k}" that no column declares`);
    for (const k of keys) {
      const v = r[k].value;
      if (typeof v === 'number' && !Number.isFinite(v)) fail(`row ${i + 1}, column "${k}": the value is not finite`);
      if (v !== null && typeof v === 'object')
        for (const [p, x] of Object.entries(v))
          if (x !== null && !Number.isFinite(x)) fail(`row ${i + 1}, column "${k}": part "${p}" is not finite`);
    }
  });
  if (![spec.experiment].flat().length) fail('no experiment');
  return spec;
}

/** The named parts of a column's values, in order of first appearance (empty when every value is a scalar). */
function parts(spec: TableData, key: string): string[] {
  const out: string[] = [];
  for (const r of spec.rows) {
    const v = r[key].value;
    if (v !== null && typeof v === 'object') for (const p of Object.keys(v)) if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** A header on one line (its page line breaks as spaces). */
export const headerText = (header: string): string => header.replace(/\s*\n\s*/g, ' ');

/** A column's header as the downloads write it: the header, its part, its unit ("test error (%)", "ours, mean"). */
function downloadHeader(c: TableColumn, part?: string): string {
  return `${headerText(c.header)}${part ? `, ${part}` : ''}${c.unit ? ` (${c.unit})` : ''}`;
}

/**
 * The table's raw values as CSV: a header row, then one row per table row. A column whose values are
 * named numbers (mean, std) becomes one CSV column per part; null is an empty cell; a scalar value of
 * a column that has parts goes under its first part.
 */
export function tableCsv(spec: TableData): string {
  const cols = spec.columns.map((c) => ({ c, parts: parts(spec, c.key) }));
  const head = cols.flatMap(({ c, parts: ps }) =>
    ps.length ? ps.map((p) => downloadHeader(c, p)) : [downloadHeader(c)],
  );
  const scalar = (v: number | string | null | undefined) =>
    typeof v === 'number' ? csvNumber(v) : typeof v === 'string' ? csvField(v) : '';
  const lines = [head.map(csvField).join(',')];
  for (const r of spec.rows) {
    const out: string[] = [];
    for (const { c, parts: ps } of cols) {
      const v = r[c.key].value;
      if (!ps.length) out.push(scalar(v as number | string | null));
      else if (v !== null && typeof v === 'object') ps.forEach((p) => out.push(scalar(v[p])));
      else ps.forEach((_, i) => out.push(i === 0 ? scalar(v) : ''));
    }
    lines.push(out.join(','));
  }
  return lines.join('\n') + '\n';
}

/** The JSON download's object: the table's number, label, caption, settings, columns and rows (raw values, and the text shown). */
export function tableJson(spec: TableSpec, label: string, display: string) {
  return {
    table: display,
    label,
    finding: spec.finding,
    caption: spec.caption,
    experiments: [spec.experiment].flat(),
    settings: spec.settings,
    columns: spec.columns.map((c) => ({
      key: c.key,
      header: headerText(c.header),
      role: c.role,
      ...(c.unit ? { unit: c.unit } : {}),
    })),
    rows: spec.rows.map((r) => Object.fromEntries(spec.columns.map((c) => [c.key, r[c.key].value]))),
    shown: spec.rows.map((r) => Object.fromEntries(spec.columns.map((c) => [c.key, r[c.key].text]))),
  };
}

/** The JSON download's object as it comes back from the page. */
export type TableJson = ReturnType<typeof tableJson>;

/** The spec's downloadable part back from a JSON download (what tableCsv needs). */
export function specOfJson(j: TableJson): TableData {
  return {
    columns: j.columns as TableColumn[],
    rows: j.rows.map((r, i) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { text: j.shown[i][k], value: v as TableValue }])),
    ),
  };
}
