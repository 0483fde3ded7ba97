/**
 * State of the "Watch the AGOP learn" demo (Chapter 3): the shallow ReLU net on the rank-2 task, trained
 * with mini-batch SGD (or GD) on the batch MEAN loss (1/2b)Σ_{i∈B}(f−y)², η̄ in units of the full-set
 * critical rate of that loss, 2n/λ_max(K(w0)). The batch size is one of a few values or GD (the full
 * batch), so that it is one click to change, also mid-run. Same machinery as the other demos
 * (kit/stateCodec.ts): typed fields drive defaults, controls and the URL; reading a URL never
 * throws, every corrected value is reported as a notice.
 */
import { z } from 'zod';
import { defineStateCodec, numericSchema, type EnumField, type NumericField, type Parsed } from '../kit/stateCodec';

/**
 * The batch sizes the control offers; 'gd' is full-batch GD (b = n). Only sizes that train at the
 * default η̄: measured in Node (wasm, seed 0, η̄ 0.9), batches of 1, 2 and 4 diverge by steps 9, 12 and
 * 27, while 8 trains (alignment 0.91 at step 1000, GD 0.69); so the smallest offered is 8.
 */
export const AGOP_BATCH_CHOICES = ['8', '16', '32', '64', '128', 'gd'] as const;
export type AgopBatchChoice = (typeof AGOP_BATCH_CHOICES)[number];

export type AgopNumericKey = 'n' | 'd' | 'm' | 'seed' | 'etaRatio' | 'agopEvery' | 'maxSteps';

/** Numeric fields in URL order. `param` is the short URL key, `label` the word used in notices. */
export const AGOP_NUMERIC_FIELDS: readonly NumericField<AgopNumericKey>[] = [
  { key: 'n', param: 'n', label: 'n (training points)', min: 16, max: 1024, default: 512, integer: true },
  // rank-2 regression needs x1 and x2; the heatmaps show the top-left min(10, d) × min(10, d) block.
  { key: 'd', param: 'd', label: 'd (input dimension)', min: 2, max: 200, default: 50, integer: true },
  { key: 'm', param: 'm', label: 'width', min: 64, max: 4096, default: 512, integer: true },
  { key: 'seed', param: 'seed', label: 'seed', min: 0, max: 2 ** 31 - 1, default: 0, integer: true },
  { key: 'etaRatio', param: 'eta', label: 'eta', min: 0.05, max: 10, default: 0.9, integer: false },
  { key: 'agopEvery', param: 'aevery', label: 'AGOP every', min: 1, max: 100, default: 5, integer: true },
  { key: 'maxSteps', param: 'steps', label: 'max steps', min: 10, max: 20000, default: 1000, integer: true },
];

/** The batch-size field: its URL key is `b`, as in the SGD demo. */
export const AGOP_BATCH_FIELD: EnumField<'b'> = { key: 'b', values: AGOP_BATCH_CHOICES, default: '16' };

const field = (key: AgopNumericKey) => AGOP_NUMERIC_FIELDS.find((f) => f.key === key)!;

/** The validated state (zod): what the worker is initialised with and what the URL encodes. */
export const AgopDemoStateSchema = z.object({
  b: z.enum(AGOP_BATCH_CHOICES),
  n: numericSchema(field('n')),
  d: numericSchema(field('d')),
  m: numericSchema(field('m')),
  seed: numericSchema(field('seed')),
  etaRatio: numericSchema(field('etaRatio')),
  agopEvery: numericSchema(field('agopEvery')),
  maxSteps: numericSchema(field('maxSteps')),
});
export type AgopDemoState = z.infer<typeof AgopDemoStateSchema>;

/** The number of points in a batch of this choice on n training points (GD: all n). */
export function batchSizeOf(b: AgopBatchChoice, n: number): number {
  return b === 'gd' ? n : Number(b);
}

/** The choice as readers see it: "16" or "GD". */
export function batchLabel(b: AgopBatchChoice): string {
  return b === 'gd' ? 'GD' : b;
}

/** The codec of the AGOP demo's state; the island's controller reads fields and URL keys from it. */
export const agopDemoStateCodec = defineStateCodec<AgopDemoState>({
  numericFields: AGOP_NUMERIC_FIELDS,
  enumFields: [AGOP_BATCH_FIELD],
  schema: AgopDemoStateSchema,
  fixHint: 'parseAgopDemoState or mergeAgopDefaults',
  // A batch of n or more points is the full batch: it becomes GD, so a link never claims SGD that is GD.
  rules(state, notices) {
    if (state.b !== 'gd' && Number(state.b) >= state.n) {
      notices.push(`batch size ${state.b} is not below n = ${state.n}; using GD (the full batch)`);
      return { ...state, b: 'gd' };
    }
    return state;
  },
});

/**
 * Defaults: n = 512, d = 50, width 512, b = 16, η̄ = 0.9 × 2n/λ_max(K(w0)), AGOP every 5 steps,
 * seed 0, 1000 steps. At the demo's pace (50 steps/s at most) that is 10 AGOP refreshes a second
 * and at least 20 s of run. Measured in Node (wasm, seeds 0–7; tests/unit/demos/agopSession.test.ts
 * checks seeds 0 and 1): the median critical rate of a batch of 16 at w0 is 0.75–0.78 η̄_crit, so
 * η̄ = 0.9 puts most batches in their catapult regime; the detector (with the demos' floor) finds the
 * first catapult by step 20 and 35–65 in 1000 steps; the alignment with the true AGOP climbs from
 * 0.05–0.11 to 0.67–0.82 at step 1000, most of it in the first 300 steps, while catapults keep
 * coming. In seeds 0, 1, 2, 3 and 5 a catapult before step 120 ends with the alignment at least 0.1
 * above its value at the catapult's start (seed 0: 0.06 → 0.22 across steps 52–56). GD at the same η̄
 * (one click) has no catapult and ends lower in every seed (0.57–0.75 at step 1000).
 */
export const DEFAULT_AGOP_DEMO_STATE: AgopDemoState = agopDemoStateCodec.defaults as AgopDemoState;

/** Checks a state from code (not a URL); throws naming each bad field, its bounds and the fix. */
export function validateAgopDemoState(state: AgopDemoState, where = 'AGOP demo state'): AgopDemoState {
  return agopDemoStateCodec.validate(state, where);
}

/** Looks up a numeric field by its state key. */
export function agopNumericField(key: AgopNumericKey): NumericField<AgopNumericKey> {
  return agopDemoStateCodec.field(key) as NumericField<AgopNumericKey>;
}

/** Reads the state from URL parameters over `base` (defaults unless given); never throws. */
export function parseAgopDemoState(
  params: URLSearchParams | string,
  base: Partial<AgopDemoState> = {},
): Parsed<AgopDemoState> {
  return agopDemoStateCodec.parse(params, base);
}

/** Fills missing fields from the defaults and clamps the rest (notices dropped). */
export function mergeAgopDefaults(partial: Partial<AgopDemoState>): AgopDemoState {
  return agopDemoStateCodec.merge(partial);
}

/** URL parameters of the fields that differ from `base` (defaults unless given). */
export function serializeAgopDemoState(state: AgopDemoState, base: Partial<AgopDemoState> = {}): URLSearchParams {
  return agopDemoStateCodec.serialize(validateAgopDemoState(state, 'serializeAgopDemoState'), base);
}

/** Names of the keys the URL codec reads. */
export const AGOP_DEMO_URL_PARAMS: readonly string[] = agopDemoStateCodec.urlParams;
