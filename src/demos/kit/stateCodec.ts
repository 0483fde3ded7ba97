/**
 * The URL-state machinery shared by the demo islands (catapultDemoState.ts for Chapter 1, sgdSpikeDemoState.ts
 * for Chapter 2): one list of numeric fields (URL key, label, bounds, default) plus optional
 * enumerated fields drives the zod schema, the defaults, the controls and the URL. Reading a URL
 * never throws: each field is validated and CLAMPED, and every correction (a repeated key, a value
 * that is not a plain decimal numeral, out of range, …) is reported as a human-readable notice that
 * the page shows in a role="status" region; notices quote at most 40 characters of a value.
 */
import { z } from 'zod';

// zod 4 probes `new Function` to decide whether to compile schemas; under the site's CSP (no
// 'unsafe-eval') that probe is reported as a violation, so the browser code runs zod interpreted.
z.config({ jitless: true });

/** One numeric field: URL key, label shown in notices, bounds (inclusive), default, integrality. */
export interface NumericField<K extends string = string> {
  key: K;
  param: string;
  label: string;
  min: number;
  max: number;
  default: number;
  integer: boolean;
}

/** One field with a fixed set of string values (e.g. the task); its URL key is its state key. */
export interface EnumField<K extends string = string> {
  key: K;
  values: readonly string[];
  default: string;
}

/** zod schema of one numeric field (bounds inclusive, integer when the field says so). */
export function numericSchema(f: NumericField): z.ZodNumber {
  const s = z.number().min(f.min).max(f.max);
  return f.integer ? s.int() : s;
}

/** Longest piece of a reader's value that a notice repeats; longer values are cut with "…". */
export const NOTICE_ECHO_MAX = 40;

/** A reader's value as a notice quotes it: at most NOTICE_ECHO_MAX characters. */
export function echo(text: string): string {
  const chars = [...text];
  return chars.length <= NOTICE_ECHO_MAX
    ? text
    : `${chars.slice(0, NOTICE_ECHO_MAX - 1).join('')}… (${chars.length} characters)`;
}

/** Plain decimal numerals only: "12", "-3", "0.5", ".5", "2." (no hex, exponent, sign "+", "Infinity"). */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/;

/**
 * Validates one raw value against a numeric field. Empty, non-numeric or not a plain decimal
 * numeral (0x10, 1e2, +5) → fallback (the default unless given); out of range → clamped;
 * non-integer for an integer field → rounded. Each correction appends a notice, which quotes at
 * most NOTICE_ECHO_MAX characters of the value.
 */
export function clampField(f: NumericField, raw: string | number, notices: string[], fallback = f.default): number {
  const text = String(raw).trim();
  const shown = echo(text);
  const v = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) {
    notices.push(`${f.param}=${shown} is not a number; using ${fallback}`);
    return fallback;
  }
  if (typeof raw !== 'number' && !DECIMAL.test(text)) {
    notices.push(`${f.param}=${shown} is not a plain decimal number; using ${fallback}`);
    return fallback;
  }
  let out = v;
  if (f.integer && !Number.isInteger(out)) {
    const r = Math.round(out);
    notices.push(`${f.label} ${shown} is not a whole number; using ${r}`);
    out = r;
  }
  if (out < f.min) {
    notices.push(`${f.label} ${shown} is below ${f.min}; using ${f.min}`);
    out = f.min;
  } else if (out > f.max) {
    notices.push(`${f.label} ${shown} is above ${f.max}; using ${f.max}`);
    out = f.max;
  }
  return out;
}

/** Result of reading untrusted input: a valid state plus one notice per corrected field. */
export interface Parsed<S> {
  state: S;
  notices: string[];
}

/** Every demo state has a seed, a learning rate in units of its critical rate and a step budget. */
export interface BaseDemoState {
  seed: number;
  etaRatio: number;
  /** Steps per run; a finished run continues for as many again when η changes. */
  maxSteps: number;
}

/** Everything a demo island needs to read, check and write its state. */
export interface StateCodec<S extends BaseDemoState> {
  readonly numericFields: readonly NumericField<Extract<keyof S, string>>[];
  readonly enumFields: readonly EnumField<Extract<keyof S, string>>[];
  readonly schema: z.ZodType<S>;
  readonly defaults: Readonly<S>;
  /** Names of the keys the URL codec reads, so a page can strip or keep them. */
  readonly urlParams: readonly string[];
  /** Looks up a numeric field by its state key (throws naming the valid keys). */
  field(key: Extract<keyof S, string>): NumericField<Extract<keyof S, string>>;
  /**
   * Checks a state that should already be valid (from code, not a URL); throws naming each bad
   * field, or the cross-field rule it breaks.
   */
  validate(state: S, where?: string): S;
  /** Cross-field rules applied after per-field clamping; each change appends a notice. */
  applyRules(state: S, notices: string[]): S;
  /** Reads the state from URL parameters over `base` (defaults unless given). Never throws. */
  parse(params: URLSearchParams | string, base?: Partial<S>): Parsed<S>;
  /** Fills missing fields of `partial` from the defaults and clamps the rest (notices dropped). */
  merge(partial: Partial<S>): S;
  /** URL parameters of the fields that differ from `base`; parse(serialize(s)) returns s. */
  serialize(state: S, base?: Partial<S>): URLSearchParams;
}

export interface StateCodecSpec<S extends BaseDemoState> {
  numericFields: readonly NumericField<Extract<keyof S, string>>[];
  enumFields?: readonly EnumField<Extract<keyof S, string>>[];
  schema: z.ZodType<S>;
  /** Cross-field rules (default: none). Must leave an already-consistent state unchanged. */
  rules?: (state: S, notices: string[], fields: { field(key: Extract<keyof S, string>): NumericField }) => S;
  /** Names of the public parse/merge functions, quoted in validation errors as the fix. */
  fixHint: string;
}

/** Builds the codec of one demo's state from its field lists, schema and cross-field rules. */
export function defineStateCodec<S extends BaseDemoState>(spec: StateCodecSpec<S>): StateCodec<S> {
  type K = Extract<keyof S, string>;
  const numericFields = spec.numericFields;
  const enumFields = spec.enumFields ?? [];
  const field = (key: K): NumericField<K> => {
    const f = numericFields.find((x) => x.key === key);
    if (!f) throw new Error(`field: unknown key "${key}"; use one of ${numericFields.map((x) => x.key).join(', ')}`);
    return f;
  };
  const applyRules = (state: S, notices: string[]): S => (spec.rules ? spec.rules(state, notices, { field }) : state);
  const defaults = Object.freeze({
    ...Object.fromEntries(enumFields.map((f) => [f.key, f.default])),
    ...Object.fromEntries(numericFields.map((f) => [f.key, f.default])),
  }) as unknown as Readonly<S>;

  const validate = (state: S, where = 'demo state'): S => {
    const r = spec.schema.safeParse(state);
    if (r.success) {
      // Cross-field rules must have nothing to correct either.
      const broken: string[] = [];
      applyRules(r.data, broken);
      if (broken.length === 0) return r.data;
      throw new Error(`${where}: ${broken.join('; ')}; clamp untrusted input with ${spec.fixHint}`);
    }
    const problems = r.error.issues.map((i) => {
      const key = String(i.path[0] ?? '?');
      const f = numericFields.find((x) => x.key === key);
      const e = enumFields.find((x) => x.key === key);
      const bounds = f
        ? ` (${f.integer ? 'an integer ' : ''}in ${f.min}..${f.max})`
        : e
          ? ` (one of ${e.values.join(', ')})`
          : '';
      return `${key} = ${JSON.stringify((state as Record<string, unknown>)?.[key])} must be valid${bounds}: ${i.message}`;
    });
    throw new Error(`${where}: ${problems.join('; ')}; clamp untrusted input with ${spec.fixHint}`);
  };

  const merge = (partial: Partial<S>): S => {
    const out: Record<string, unknown> = { ...defaults };
    const p = partial as Record<string, unknown>;
    for (const e of enumFields) {
      const v = p[e.key];
      if (typeof v === 'string' && e.values.includes(v)) out[e.key] = v;
    }
    for (const f of numericFields) {
      const v = p[f.key];
      if (typeof v === 'number' || typeof v === 'string') out[f.key] = clampField(f, v, [], f.default);
    }
    return applyRules(spec.schema.parse(out), []);
  };

  const parse = (params: URLSearchParams | string, base: Partial<S> = {}): Parsed<S> => {
    const q = typeof params === 'string' ? new URLSearchParams(params) : params;
    const start = merge(base) as Record<string, unknown>;
    const notices: string[] = [];
    const raw: Record<string, unknown> = { ...start };
    // A key given more than once: the first value is read, with a notice.
    const first = (key: string): string | null => {
      const all = q.getAll(key);
      if (all.length > 1)
        notices.push(`${key} is given ${all.length} times in the link; using the first (${echo(all[0])})`);
      return all.length ? all[0] : null;
    };
    for (const e of enumFields) {
      const v = first(e.key);
      if (v === null) continue;
      if (e.values.includes(v)) raw[e.key] = v;
      else notices.push(`${e.key}=${echo(v)} is not one of ${e.values.join(', ')}; using ${String(start[e.key])}`);
    }
    for (const f of numericFields) {
      const v = first(f.param);
      if (v !== null) raw[f.key] = clampField(f, v, notices, start[f.key] as number);
    }
    return { state: applyRules(spec.schema.parse(raw), notices), notices };
  };

  const serialize = (state: S, base: Partial<S> = {}): URLSearchParams => {
    const s = applyRules(validate(state, 'serialize'), []) as Record<string, unknown>;
    const b = merge(base) as Record<string, unknown>;
    const q = new URLSearchParams();
    for (const e of enumFields) if (s[e.key] !== b[e.key]) q.set(e.key, String(s[e.key]));
    for (const f of numericFields) if (s[f.key] !== b[f.key]) q.set(f.param, String(s[f.key]));
    return q;
  };

  return {
    numericFields,
    enumFields,
    schema: spec.schema,
    defaults,
    urlParams: [...enumFields.map((e) => e.key), ...numericFields.map((f) => f.param)],
    field,
    validate,
    applyRules,
    parse,
    merge,
    serialize,
  };
}
