/**
 * State of the "make your own catapult" demo: one typed schema drives the defaults, the controls
 * and the URL (as in TensorFlow Playground), so every view of the demo can be shared as a link.
 * Reading a URL never throws: each field is validated and CLAMPED, and every correction is
 * reported as a human-readable notice that the page shows in a role="status" region.
 */
import { z } from 'zod';

/** Tasks the demo can train on (names match src/lib/tasks.ts). */
export const DEMO_TASKS = ['rank2', 'two-gaussian'] as const;
export type DemoTask = (typeof DEMO_TASKS)[number];

/** One numeric field: URL key, label shown in notices, bounds (inclusive), default, integrality. */
export interface NumericField {
  key: NumericKey;
  param: string;
  label: string;
  min: number;
  max: number;
  default: number;
  integer: boolean;
}

export type NumericKey = 'n' | 'd' | 'm' | 'seed' | 'etaRatio' | 'kernelEvery' | 'maxSteps';

/** Numeric fields in URL order. `param` is the short URL key, `label` the word used in notices. */
export const NUMERIC_FIELDS: readonly NumericField[] = [
  { key: 'n', param: 'n', label: 'n (training points)', min: 16, max: 512, default: 128, integer: true },
  // rank-2 regression needs x1 and x2; the two-Gaussian task has d = 1 fixed and ignores this field.
  { key: 'd', param: 'd', label: 'd (input dimension)', min: 2, max: 200, default: 100, integer: true },
  { key: 'm', param: 'm', label: 'width', min: 64, max: 4096, default: 1024, integer: true },
  { key: 'seed', param: 'seed', label: 'seed', min: 0, max: 2 ** 31 - 1, default: 0, integer: true },
  { key: 'etaRatio', param: 'eta', label: 'eta', min: 0.05, max: 10, default: 1.5, integer: false },
  { key: 'kernelEvery', param: 'kevery', label: 'kernel every', min: 1, max: 100, default: 1, integer: true },
  { key: 'maxSteps', param: 'steps', label: 'max steps', min: 10, max: 20000, default: 200, integer: true },
];

const numericSchema = (f: NumericField) => {
  const s = z.number().min(f.min).max(f.max);
  return f.integer ? s.int() : s;
};

/** The validated demo state (zod): what the worker is initialised with and what the URL encodes. */
export const DemoStateSchema = z.object({
  task: z.enum(DEMO_TASKS),
  n: numericSchema(NUMERIC_FIELDS[0]),
  d: numericSchema(NUMERIC_FIELDS[1]),
  m: numericSchema(NUMERIC_FIELDS[2]),
  seed: numericSchema(NUMERIC_FIELDS[3]),
  etaRatio: numericSchema(NUMERIC_FIELDS[4]),
  kernelEvery: numericSchema(NUMERIC_FIELDS[5]),
  maxSteps: numericSchema(NUMERIC_FIELDS[6]),
});
export type DemoState = z.infer<typeof DemoStateSchema>;

/**
 * Defaults: rank-2 regression, n = 128, d = 100, width 1024, η = 1.5 η_crit, seed 0, 200 steps,
 * λ_max every step — the settings of the precomputed trajectory traj-m1024-eta1p5 of
 * shallow-gd-regimes, so the live run can be drawn over (and should match) that reference.
 */
export const DEFAULT_DEMO_STATE: DemoState = Object.freeze({
  task: 'rank2',
  ...(Object.fromEntries(NUMERIC_FIELDS.map((f) => [f.key, f.default])) as Omit<DemoState, 'task'>),
}) as DemoState;

/**
 * Checks a state that should already be valid (from code, not from a URL) and returns it; throws
 * an Error naming each bad field, its bounds, and the fix (clamp with parseDemoState/mergeDefaults).
 */
export function validateDemoState(state: DemoState, where = 'demo state'): DemoState {
  const r = DemoStateSchema.safeParse(state);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    const key = String(i.path[0] ?? '?');
    const f = NUMERIC_FIELDS.find((x) => x.key === key);
    const bounds = f ? ` (${f.integer ? 'an integer ' : ''}in ${f.min}..${f.max})` : key === 'task' ? ` (one of ${DEMO_TASKS.join(', ')})` : '';
    return `${key} = ${JSON.stringify((state as Record<string, unknown>)?.[key])} must be valid${bounds}: ${i.message}`;
  });
  throw new Error(`${where}: ${problems.join('; ')}; clamp untrusted input with parseDemoState or mergeDefaults`);
}

/** Looks up a numeric field by its state key. */
export function numericField(key: NumericKey): NumericField {
  const f = NUMERIC_FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(`numericField: unknown key "${key}"; use one of ${NUMERIC_FIELDS.map((x) => x.key).join(', ')}`);
  return f;
}

/** Result of reading untrusted input: a valid state plus one notice per corrected field. */
export interface ParsedDemoState {
  state: DemoState;
  notices: string[];
}

/**
 * Validates one raw value against a numeric field. Empty or non-numeric → default; out of range →
 * clamped; non-integer for an integer field → rounded. Each correction appends a notice.
 */
export function clampField(f: NumericField, raw: string | number, notices: string[], fallback = f.default): number {
  const text = String(raw).trim();
  const v = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) {
    notices.push(`${f.param}=${text} is not a number; using ${fallback}`);
    return fallback;
  }
  let out = v;
  if (f.integer && !Number.isInteger(out)) {
    const r = Math.round(out);
    notices.push(`${f.label} ${text} is not a whole number; using ${r}`);
    out = r;
  }
  if (out < f.min) {
    notices.push(`${f.label} ${text} is below ${f.min}; using ${f.min}`);
    out = f.min;
  } else if (out > f.max) {
    notices.push(`${f.label} ${text} is above ${f.max}; using ${f.max}`);
    out = f.max;
  }
  return out;
}

/**
 * Reads the demo state from URL query parameters over `base` (defaults unless given). Never throws:
 * unknown tasks, non-numbers and out-of-range values are replaced and reported in `notices`.
 */
export function parseDemoState(params: URLSearchParams | string, base: Partial<DemoState> = {}): ParsedDemoState {
  const p = typeof params === 'string' ? new URLSearchParams(params) : params;
  const start = mergeDefaults(base);
  const notices: string[] = [];
  const raw: Record<string, unknown> = { ...start };
  const task = p.get('task');
  if (task !== null) {
    if ((DEMO_TASKS as readonly string[]).includes(task)) raw.task = task;
    else notices.push(`task=${task} is not one of ${DEMO_TASKS.join(', ')}; using ${start.task}`);
  }
  for (const f of NUMERIC_FIELDS) {
    const v = p.get(f.param);
    if (v !== null) raw[f.key] = clampField(f, v, notices, start[f.key]);
  }
  return { state: applyTaskRules(DemoStateSchema.parse(raw), notices), notices };
}

/** Cross-field rules: the two-Gaussian task has balanced classes, so n is rounded up to even. */
export function applyTaskRules(state: DemoState, notices: string[]): DemoState {
  if (state.task === 'two-gaussian' && state.n % 2 !== 0) {
    const n = state.n + 1 <= numericField('n').max ? state.n + 1 : state.n - 1;
    notices.push(`n ${state.n} is odd but the two-Gaussian task needs balanced classes; using ${n}`);
    return { ...state, n };
  }
  return state;
}

/** Fills missing fields of `partial` from DEFAULT_DEMO_STATE and clamps the rest (notices dropped). */
export function mergeDefaults(partial: Partial<DemoState>): DemoState {
  const out: Record<string, unknown> = { ...DEFAULT_DEMO_STATE };
  if (partial.task !== undefined && (DEMO_TASKS as readonly string[]).includes(partial.task)) out.task = partial.task;
  for (const f of NUMERIC_FIELDS) {
    const v = partial[f.key];
    if (v !== undefined) out[f.key] = clampField(f, v, [], f.default);
  }
  return applyTaskRules(DemoStateSchema.parse(out), []);
}

/**
 * Writes the state as URL query parameters. Fields equal to `base` (defaults unless given) are
 * omitted so shared links stay short; parseDemoState(serializeDemoState(s)) returns s.
 */
export function serializeDemoState(state: DemoState, base: Partial<DemoState> = {}): URLSearchParams {
  const s = applyTaskRules(validateDemoState(state, 'serializeDemoState'), []);
  const b = mergeDefaults(base);
  const p = new URLSearchParams();
  if (s.task !== b.task) p.set('task', s.task);
  for (const f of NUMERIC_FIELDS) {
    if (s[f.key] !== b[f.key]) p.set(f.param, String(s[f.key]));
  }
  return p;
}

/** Names of the keys the URL codec reads, so a page can strip or keep them. */
export const DEMO_URL_PARAMS: readonly string[] = ['task', ...NUMERIC_FIELDS.map((f) => f.param)];
