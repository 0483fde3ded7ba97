/**
 * The trace file format: what one run of one experiment leaves in content/traces/<experiment>/<runKey>.json.
 * Shared by the CLI (writer), the Astro build (reader) and tests. Pure: no fs, no Node globals.
 */
import { z } from 'zod';
import { configHash } from './hash';
import { findDuplicateKey } from './jsonText';

/** Version of the trace file layout; bump when the layout (not an experiment) changes. */
export const TRACE_SCHEMA_VERSION = 1;

/** Significant digits kept for series values: float32 carries ~7, so nothing a figure needs is lost. */
export const SERIES_DIGITS = 7;

/** Series longer than this are stored as base64 little-endian Float32 (≈5.3 bytes/value vs ≈12). */
export const BASE64_MIN_LENGTH = 1024;

/** A scalar in a summary: numbers must be finite; null marks "did not happen" (e.g. no divergence). */
export type SummaryValue = number | string | boolean | null;

/** What an experiment's run function returns: named numeric series plus scalar summary values. */
export interface TraceBody {
  series: Record<string, ArrayLike<number>>;
  summary: Record<string, SummaryValue>;
}

const encodedFloat32Schema = z.object({
  dtype: z.literal('float32'),
  length: z.number().int().nonnegative(),
  base64: z.string(),
});
/** A stored series: plain JSON numbers, or base64 Float32 for long arrays. */
// Any JSON number is admitted here (zod 4's z.number() refuses ±Infinity, which JSON's 1e999 reads as) so
// that the finiteness check can name the exact element.
const anyNumber = z.custom<number>((v) => typeof v === 'number', { message: 'Expected number' });
export const storedSeriesSchema = z.union([z.array(anyNumber), encodedFloat32Schema]);
export type StoredSeries = z.infer<typeof storedSeriesSchema>;

/** Where and how a trace was made; the only part of a trace allowed to differ between identical runs. */
export const provenanceSchema = z.object({
  backend: z.string(),
  tfjsVersion: z.string(),
  node: z.string(),
  commit: z.string(),
  wallSeconds: z.number().nonnegative(),
  finishedAt: z.string(),
  /** SHA-256 (hex) of the bytes of the model file the trace names in `summary.modelFile`; binds the two. */
  modelSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /**
   * The commit of the first run whose values this trace repeats unchanged (see carriedResultsSince);
   * absent when this run produced them first. Rules are dated against it, so a rerun that changes no
   * number does not make a rule revised after the numbers look written before them.
   */
  resultsSince: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

/** The zod schema of a trace file as stored (series still encoded). */
export const traceFileSchema = z.object({
  schemaVersion: z.literal(TRACE_SCHEMA_VERSION),
  experiment: z.string().min(1),
  runKey: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  profile: z.string().min(1),
  config: z.record(z.string(), z.unknown()),
  configHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Hash of the code the run executed (src/node/sourceHash.ts); absent in traces made before it existed. */
  sourceHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  seed: z.number().int(),
  provenance: provenanceSchema,
  series: z.record(z.string(), storedSeriesSchema),
  summary: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});
export type TraceFile = z.infer<typeof traceFileSchema>;

/** A trace with series decoded to plain number arrays, as pages use it. */
export type Trace = Omit<TraceFile, 'series'> & { series: Record<string, number[]> };

/** Recomputes the config hash from a trace's own fields (catches hand-edited configs). */
export function recomputeConfigHash(
  file: Pick<TraceFile, 'experiment' | 'schemaVersion' | 'runKey' | 'config' | 'seed'>,
): string {
  return configHash({
    experiment: file.experiment,
    schemaVersion: file.schemaVersion,
    runKey: file.runKey,
    config: file.config,
    seed: file.seed,
  });
}

/** Rounds to `digits` significant digits (default SERIES_DIGITS); −0 becomes 0. */
export function roundSignificant(x: number, digits = SERIES_DIGITS): number {
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of raw bytes; hand-written so it runs identically everywhere. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

/** Inverse of bytesToBase64; throws on characters outside the base64 alphabet. */
export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = B64.indexOf(clean[i]);
    if (v < 0) throw new Error(`base64ToBytes: invalid character '${clean[i]}' at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * Encodes one series for storage. Throws if any value is NaN/±Inf: a run that diverged must
 * truncate its series and say so in its summary (e.g. `divergedAt`), never store non-finite numbers.
 */
export function encodeSeries(name: string, values: ArrayLike<number>): StoredSeries {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(
        `series "${name}" has non-finite value ${values[i]} at index ${i}: the run diverged unexpectedly ` +
          `(if divergence is expected, stop before it and record summary.divergedAt)`,
      );
    }
  }
  if (values.length < BASE64_MIN_LENGTH) return Array.from(values, (x) => roundSignificant(x));
  const f32 = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) f32[i] = values[i];
  // Float32Array byte order is the platform's; write little-endian explicitly so files are portable.
  const bytes = new Uint8Array(f32.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < f32.length; i++) dv.setFloat32(4 * i, f32[i], true);
  return { dtype: 'float32', length: f32.length, base64: bytesToBase64(bytes) };
}

/** Decodes a stored series to plain numbers (float32 values widened to float64 exactly). */
export function decodeSeries(stored: StoredSeries): number[] {
  if (Array.isArray(stored)) return stored;
  const bytes = base64ToBytes(stored.base64);
  if (bytes.length !== stored.length * 4) {
    throw new Error(`decodeSeries: base64 holds ${bytes.length / 4} float32 values but length says ${stored.length}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

/**
 * How a series' length is tied to another series of the same trace, its axis: `loss: 'step'`
 * means loss has one value per entry of series `step`. Whenever the axis is in a trace, the series
 * must be there too (unless `optional`) with exactly as many values; a series is never there without
 * its axis. Series not listed are not length-checked.
 */
export type SeriesAxis = string | { axis: string; optional?: boolean };
export type SeriesAxes = { [series: string]: SeriesAxis | undefined };

/** The series axes an experiment declares for one run's config ({} when it declares none). */
export function seriesAxesFor(
  exp: { seriesAxes?: SeriesAxes | ((config: never) => SeriesAxes) },
  config: Record<string, unknown>,
): SeriesAxes {
  const a = exp.seriesAxes;
  return typeof a === 'function' ? (a as (c: Record<string, unknown>) => SeriesAxes)(config) : (a ?? {});
}

/** One bad field of a trace; readers prefix the file and append the command that fixes it. */
export class TraceFieldError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`field "${field}": ${detail}`);
    this.name = 'TraceFieldError';
  }
}

const describeNumber = (v: number) =>
  `${v}, not a finite number${Number.isNaN(v) ? '' : ' (JSON such as 1e999 reads as Infinity)'}`;

/** Decodes one stored series, naming the field on undecodable base64, a wrong length or a non-finite value. */
function decodeCheckedSeries(name: string, stored: StoredSeries): number[] {
  const field = `series.${name}`;
  let values: number[];
  if (Array.isArray(stored)) {
    values = stored;
  } else {
    const text = stored.base64;
    const bad = /[^A-Za-z0-9+/=]/.exec(text);
    if (bad)
      throw new TraceFieldError(`${field}.base64`, `invalid base64 character '${bad[0]}' at offset ${bad.index}`);
    if (text.length % 4 !== 0 || /=[^=]/.test(text)) {
      throw new TraceFieldError(
        `${field}.base64`,
        `base64 text of ${text.length} characters is not whole padded base64 (truncated?)`,
      );
    }
    const bytes = base64ToBytes(text);
    if (bytes.length % 4 !== 0) {
      throw new TraceFieldError(
        `${field}.base64`,
        `base64 holds ${bytes.length} bytes, not a whole number of float32 values (truncated?)`,
      );
    }
    if (bytes.length !== stored.length * 4) {
      throw new TraceFieldError(
        `${field}.length`,
        `says ${stored.length} values but the base64 holds ${bytes.length / 4} (truncated base64 or a wrong length)`,
      );
    }
    values = decodeSeries(stored);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new TraceFieldError(`${field}[${i}]`, `is ${describeNumber(values[i])}`);
  }
  return values;
}

/** Checks declared series axes (see SeriesAxis) on decoded series. */
export function checkSeriesAxes(series: Record<string, ArrayLike<number>>, axes: SeriesAxes): void {
  for (const [name, spec] of Object.entries(axes)) {
    if (spec === undefined) continue;
    const axis = typeof spec === 'string' ? spec : spec.axis;
    const optional = typeof spec !== 'string' && spec.optional === true;
    const s = series[name];
    const a = series[axis];
    if (s && !a)
      throw new TraceFieldError(
        `series.${name}`,
        `is declared on axis "${axis}", but the trace has no series "${axis}"`,
      );
    if (!a) continue;
    if (!s) {
      if (optional) continue;
      throw new TraceFieldError(`series.${name}`, `is missing (declared on axis "${axis}", which the trace has)`);
    }
    if (name !== axis && s.length !== a.length) {
      throw new TraceFieldError(`series.${name}`, `has ${s.length} values but its axis series.${axis} has ${a.length}`);
    }
  }
}

/** The ending of a model file's name: <runKey>.model.json, next to its trace <runKey>.json. */
export const MODEL_FILE_SUFFIX = '.model.json';

/** Name of the model file a trace may point to: <runKey>.model.json next to it. */
export const modelFileName = (runKey: string) => `${runKey}${MODEL_FILE_SUFFIX}`;

/** A model file's name (<runKey>.model.json); hidden files are neither. */
export const isModelFileName = (f: string) => f.endsWith(MODEL_FILE_SUFFIX) && !f.startsWith('.');

/** A trace file's name (<runKey>.json, not a model file); hidden files are neither. */
export const isTraceFileName = (f: string) =>
  f.endsWith('.json') && !f.endsWith(MODEL_FILE_SUFFIX) && !f.startsWith('.');

/** The run key a model file's name holds. */
export const runKeyOfModelFile = (f: string) => f.slice(0, -MODEL_FILE_SUFFIX.length);

/**
 * The generic checks every reader applies to a schema-valid trace (site build, merge, the CLI's
 * up-to-date check): every series decodes (valid base64, length field = values held) and holds
 * only finite numbers, every summary number is finite (null is the way to say "did not happen"),
 * `summary.modelFile` if present is "<runKey>.model.json", and declared series axes hold.
 * Returns the decoded trace; throws TraceFieldError naming the first bad field.
 */
export function checkTraceFile(file: TraceFile, axes: SeriesAxes = {}): Trace {
  for (const [k, v] of Object.entries(file.summary)) {
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new TraceFieldError(
        `summary.${k}`,
        `is ${describeNumber(v)}; a value that did not happen is stored as null`,
      );
  }
  const mf = file.summary.modelFile;
  if (mf !== undefined && mf !== modelFileName(file.runKey)) {
    throw new TraceFieldError(
      'summary.modelFile',
      `is ${JSON.stringify(mf)}; a trace may only name its own model file "${modelFileName(file.runKey)}"`,
    );
  }
  const series: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(file.series)) series[k] = decodeCheckedSeries(k, v);
  checkSeriesAxes(series, axes);
  return { ...file, series };
}

/** Checks a run's summary: every number finite, naming the offending key otherwise. */
export function checkSummary(summary: Record<string, SummaryValue>): Record<string, SummaryValue> {
  for (const [k, v] of Object.entries(summary)) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new Error(`summary "${k}" is ${v}: the run diverged unexpectedly (use null for "never happened")`);
    }
    if (v !== null && !['number', 'string', 'boolean'].includes(typeof v)) {
      throw new Error(`summary "${k}" must be a number, string, boolean or null, got ${typeof v}`);
    }
  }
  return summary;
}

/** Encodes every series of a run body, with keys sorted so the file does not depend on insertion order. */
export function encodeBody(body: TraceBody): Pick<TraceFile, 'series' | 'summary'> {
  const series: Record<string, StoredSeries> = {};
  for (const k of Object.keys(body.series).sort()) series[k] = encodeSeries(k, body.series[k]);
  const summary: Record<string, SummaryValue> = {};
  checkSummary(body.summary);
  for (const k of Object.keys(body.summary).sort()) summary[k] = body.summary[k];
  return { series, summary };
}

/**
 * Serialises JSON readably but compactly: objects one member per line, arrays of scalars on
 * one line (so a 500-point series is one diffable line, not 500).
 */
export function stableStringify(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object'))
      return `[${value.map((v) => JSON.stringify(v)).join(',')}]`;
    return `[\n${value.map((v) => inner + stableStringify(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stableStringify(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** Full text of a trace file (member order fixed by the format, trailing newline). */
export function serializeTrace(file: TraceFile): string {
  const ordered: TraceFile = {
    schemaVersion: file.schemaVersion,
    experiment: file.experiment,
    runKey: file.runKey,
    profile: file.profile,
    config: file.config,
    configHash: file.configHash,
    sourceHash: file.sourceHash,
    seed: file.seed,
    provenance: {
      backend: file.provenance.backend,
      tfjsVersion: file.provenance.tfjsVersion,
      node: file.provenance.node,
      commit: file.provenance.commit,
      wallSeconds: file.provenance.wallSeconds,
      finishedAt: file.provenance.finishedAt,
      modelSha256: file.provenance.modelSha256,
      resultsSince: file.provenance.resultsSince,
    },
    series: file.series,
    summary: file.summary,
  };
  return stableStringify(ordered) + '\n';
}

/**
 * The commit since which `next`'s values stand, when it is a rerun that replaces `previous`: if the run (experiment,
 * key, seed, config) is the same and every series and summary value of `previous` is in `next`
 * unchanged (`next` may add fields), `previous`'s own resultsSince, else its commit; otherwise
 * undefined (the values are new).
 */
export function carriedResultsSince(previous: TraceFile | null, next: TraceFile): string | undefined {
  if (
    !previous ||
    // the same file, not a rerun: nothing to carry
    (previous.provenance.commit === next.provenance.commit &&
      previous.provenance.finishedAt === next.provenance.finishedAt) ||
    previous.experiment !== next.experiment ||
    previous.runKey !== next.runKey ||
    previous.seed !== next.seed ||
    previous.configHash !== next.configHash
  )
    return undefined;
  const kept = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    Object.keys(a).every((k) => k in b && stableStringify(a[k]) === stableStringify(b[k]));
  if (!kept(previous.series, next.series) || !kept(previous.summary, next.summary)) return undefined;
  const since = previous.provenance.resultsSince ?? previous.provenance.commit;
  return /^[0-9a-f]{40}$/.test(since) ? since : undefined;
}

/** Result of reading trace text: the file, or the first problem (field "(file)" for text that is not JSON). */
export type TraceTextResult =
  { ok: true; file: TraceFile } | { ok: false; field: string; detail: string; message: string };

/** Parses and validates trace text without throwing; `message` reads "not valid JSON (…)" or "not a valid trace: field …". */
export function readTraceText(text: string): TraceTextResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const detail = (e as Error).message;
    return { ok: false, field: '(file)', detail, message: `not valid JSON (${detail})` };
  }
  // JSON.parse keeps the last of two equal keys silently: a trace could show numbers its writer never wrote.
  const dup = findDuplicateKey(text);
  if (dup) {
    const detail = `key "${dup.key}" appears twice in one object (JSON keeps only the last copy, silently)`;
    return { ok: false, field: dup.field, detail, message: `not a valid trace: field "${dup.field}": ${detail}` };
  }
  const r = traceFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    return {
      ok: false,
      field,
      detail: issue.message,
      message: `not a valid trace: field "${field}": ${issue.message}`,
    };
  }
  return { ok: true, file: r.data };
}

/** Parses and validates trace text; the error names `source` (a path) and the first bad field. */
export function parseTraceText(text: string, source: string): TraceFile {
  const r = readTraceText(text);
  if (!r.ok) throw new Error(`${source}: ${r.message}`);
  return r.file;
}
