/**
 * The trace file format: what one run of one experiment leaves in content/traces/<experiment>/<runKey>.json.
 * Shared by the CLI (writer), the Astro build (reader) and tests. Pure: no fs, no Node globals.
 */
import { z } from 'zod';
import { configHash } from './hash';

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
export const storedSeriesSchema = z.union([z.array(z.number()), encodedFloat32Schema]);
export type StoredSeries = z.infer<typeof storedSeriesSchema>;

/** Where and how a trace was made; the only part of a trace allowed to differ between identical runs. */
export const provenanceSchema = z.object({
  backend: z.string(),
  tfjsVersion: z.string(),
  node: z.string(),
  commit: z.string(),
  wallSeconds: z.number().nonnegative(),
  finishedAt: z.string(),
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
  seed: z.number().int(),
  provenance: provenanceSchema,
  series: z.record(z.string(), storedSeriesSchema),
  summary: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});
export type TraceFile = z.infer<typeof traceFileSchema>;

/** A trace with series decoded to plain number arrays, as pages use it. */
export type Trace = Omit<TraceFile, 'series'> & { series: Record<string, number[]> };

/** Recomputes the config hash from a trace's own fields (catches hand-edited configs). */
export function recomputeConfigHash(file: Pick<TraceFile, 'experiment' | 'schemaVersion' | 'runKey' | 'config' | 'seed'>): string {
  return configHash({ experiment: file.experiment, schemaVersion: file.schemaVersion, runKey: file.runKey, config: file.config, seed: file.seed });
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

/** Decodes a validated trace file into a Trace with plain number series. */
export function decodeTrace(file: TraceFile): Trace {
  const series: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(file.series)) series[k] = decodeSeries(v);
  return { ...file, series };
}

/**
 * Serialises JSON readably but compactly: objects one member per line, arrays of scalars on
 * one line (so a 500-point series is one diffable line, not 500).
 */
export function stableStringify(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => JSON.stringify(v)).join(',')}]`;
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
    seed: file.seed,
    provenance: {
      backend: file.provenance.backend,
      tfjsVersion: file.provenance.tfjsVersion,
      node: file.provenance.node,
      commit: file.provenance.commit,
      wallSeconds: file.provenance.wallSeconds,
      finishedAt: file.provenance.finishedAt,
    },
    series: file.series,
    summary: file.summary,
  };
  return stableStringify(ordered) + '\n';
}

/** Parses and validates trace text; the error names `source` (a path) and the first bad field. */
export function parseTraceText(text: string, source: string): TraceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const r = traceFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source}: not a valid trace: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  return r.data;
}
