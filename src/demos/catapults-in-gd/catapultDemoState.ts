/**
 * State of the "make your own catapult" demo: one typed schema drives the defaults, the controls
 * and the URL (as in TensorFlow Playground), so every view of the demo can be shared as a link.
 * Reading a URL never throws: each field is validated and CLAMPED, and every correction is
 * reported as a human-readable notice that the page shows in a role="status" region. The
 * machinery is shared with the other demos (kit/stateCodec.ts); this file holds the fields.
 */
import { z } from 'zod';
import { defineStateCodec, numericSchema, type NumericField, type Parsed } from '../kit/stateCodec';

/** Tasks the demo can train on (names match src/lib/tasks.ts). */
const CATAPULT_TASKS = ['rank2', 'two-gaussian'] as const;

export type CatapultNumericKey = 'n' | 'd' | 'm' | 'seed' | 'etaRatio' | 'kernelEvery' | 'maxSteps';

/** Numeric fields in URL order. `param` is the short URL key, `label` the word used in notices. */
export const CATAPULT_NUMERIC_FIELDS: readonly NumericField<CatapultNumericKey>[] = [
  { key: 'n', param: 'n', label: 'n (training points)', min: 16, max: 512, default: 128, integer: true },
  // rank-2 regression needs x1 and x2; the two-Gaussian task has d = 1 fixed and ignores this field.
  { key: 'd', param: 'd', label: 'd (input dimension)', min: 2, max: 200, default: 100, integer: true },
  { key: 'm', param: 'm', label: 'width', min: 64, max: 4096, default: 1024, integer: true },
  { key: 'seed', param: 'seed', label: 'seed', min: 0, max: 2 ** 31 - 1, default: 0, integer: true },
  { key: 'etaRatio', param: 'eta', label: 'eta', min: 0.05, max: 10, default: 0.8, integer: false },
  { key: 'kernelEvery', param: 'kevery', label: 'kernel every', min: 1, max: 100, default: 1, integer: true },
  { key: 'maxSteps', param: 'steps', label: 'max steps', min: 10, max: 20000, default: 400, integer: true },
];

/** The validated demo state (zod): what the worker is initialised with and what the URL encodes. */
export const CatapultDemoStateSchema = z.object({
  task: z.enum(CATAPULT_TASKS),
  n: numericSchema(CATAPULT_NUMERIC_FIELDS[0]),
  d: numericSchema(CATAPULT_NUMERIC_FIELDS[1]),
  m: numericSchema(CATAPULT_NUMERIC_FIELDS[2]),
  seed: numericSchema(CATAPULT_NUMERIC_FIELDS[3]),
  etaRatio: numericSchema(CATAPULT_NUMERIC_FIELDS[4]),
  kernelEvery: numericSchema(CATAPULT_NUMERIC_FIELDS[5]),
  maxSteps: numericSchema(CATAPULT_NUMERIC_FIELDS[6]),
});
export type CatapultDemoState = z.infer<typeof CatapultDemoStateSchema>;

/** The codec behind every function below (the island's controller reads fields and URL keys from it). */
export const catapultDemoStateCodec = defineStateCodec<CatapultDemoState>({
  numericFields: CATAPULT_NUMERIC_FIELDS,
  enumFields: [{ key: 'task', values: CATAPULT_TASKS, default: 'rank2' }],
  schema: CatapultDemoStateSchema,
  fixHint: 'parseCatapultDemoState or mergeCatapultDefaults',
  // Cross-field rule: the two-Gaussian task has balanced classes, so n is rounded up to even.
  rules(state, notices, { field }) {
    if (state.task === 'two-gaussian' && state.n % 2 !== 0) {
      const n = state.n + 1 <= field('n').max ? state.n + 1 : state.n - 1;
      notices.push(`n ${state.n} is odd but the two-Gaussian task needs balanced classes; using ${n}`);
      return { ...state, n };
    }
    return state;
  },
});

/**
 * Defaults: rank-2 regression, n = 128, d = 100, width 1024, η = 0.8 η_crit, seed 0, 400 steps,
 * λ_max every step. The run starts below η_crit (linear regime) so that the reader raises η mid-run
 * to make a catapult, as Chapter 1 asks; at the demo's pace (40 steps/s at most) 400 steps last at
 * least 10 s, and a finished run continues when η changes. Apart from η and the step count these
 * are the settings of the precomputed trajectories of shallow-gd-regimes (traj-m1024-eta1p5-s0 is
 * drawn as the reference; with eta=1.5&steps=200 the live run should match it).
 */
export const DEFAULT_CATAPULT_DEMO_STATE: CatapultDemoState = catapultDemoStateCodec.defaults as CatapultDemoState;

/**
 * Checks a state that should already be valid (from code, not from a URL) and returns it; throws
 * an Error naming each bad field, its bounds, and the fix (clamp with parseCatapultDemoState/mergeCatapultDefaults).
 */
export function validateCatapultDemoState(state: CatapultDemoState, where = 'demo state'): CatapultDemoState {
  return catapultDemoStateCodec.validate(state, where);
}

/**
 * Reads the demo state from URL query parameters over `base` (defaults unless given). Never throws:
 * unknown tasks, non-numbers and out-of-range values are replaced and reported in `notices`.
 */
export function parseCatapultDemoState(
  params: URLSearchParams | string,
  base: Partial<CatapultDemoState> = {},
): Parsed<CatapultDemoState> {
  return catapultDemoStateCodec.parse(params, base);
}

/** Fills missing fields of `partial` from DEFAULT_CATAPULT_DEMO_STATE and clamps the rest (notices dropped). */
export function mergeCatapultDefaults(partial: Partial<CatapultDemoState>): CatapultDemoState {
  return catapultDemoStateCodec.merge(partial);
}

/**
 * Writes the state as URL query parameters. Fields equal to `base` (defaults unless given) are
 * omitted so shared links stay short; parseCatapultDemoState(serializeCatapultDemoState(s)) returns s.
 */
export function serializeCatapultDemoState(
  state: CatapultDemoState,
  base: Partial<CatapultDemoState> = {},
): URLSearchParams {
  return catapultDemoStateCodec.serialize(validateCatapultDemoState(state, 'serializeCatapultDemoState'), base);
}
