/**
 * State of the "Watch SGD spike" demo (Chapter 2): SGD with batch size b on the batch MEAN loss
 * (1/2b)Σ_{i∈B}(f−y)², η̄ in units of the full-set critical rate of that loss, 2n/λ_max(K(w0)).
 * Same machinery as Chapter 1's demo (kit/stateCodec.ts): typed fields drive defaults, controls
 * and the URL; reading a URL never throws, every corrected value is reported as a notice.
 */
import { z } from 'zod';
import { defineStateCodec, numericSchema, type NumericField, type Parsed } from '../kit/stateCodec';

export type SgdSpikeNumericKey = 'n' | 'd' | 'm' | 'b' | 'seed' | 'etaRatio' | 'maxSteps';

/** Numeric fields in URL order. `param` is the short URL key, `label` the word used in notices. */
export const SGD_SPIKE_NUMERIC_FIELDS: readonly NumericField<SgdSpikeNumericKey>[] = [
  { key: 'n', param: 'n', label: 'n (training points)', min: 16, max: 1024, default: 256, integer: true },
  { key: 'd', param: 'd', label: 'd (input dimension)', min: 2, max: 200, default: 100, integer: true },
  { key: 'm', param: 'm', label: 'width', min: 64, max: 4096, default: 512, integer: true },
  // b = n is full-batch GD; the rule below keeps b ≤ n.
  { key: 'b', param: 'b', label: 'batch size', min: 1, max: 1024, default: 8, integer: true },
  { key: 'seed', param: 'seed', label: 'seed', min: 0, max: 2 ** 31 - 1, default: 0, integer: true },
  { key: 'etaRatio', param: 'eta', label: 'eta', min: 0.05, max: 10, default: 0.6, integer: false },
  { key: 'maxSteps', param: 'steps', label: 'max steps', min: 10, max: 20000, default: 300, integer: true },
];

const field = (key: SgdSpikeNumericKey) => SGD_SPIKE_NUMERIC_FIELDS.find((f) => f.key === key)!;

/** The validated state (zod): what the worker is initialised with and what the URL encodes. */
export const SgdSpikeDemoStateSchema = z.object({
  n: numericSchema(field('n')),
  d: numericSchema(field('d')),
  m: numericSchema(field('m')),
  b: numericSchema(field('b')),
  seed: numericSchema(field('seed')),
  etaRatio: numericSchema(field('etaRatio')),
  maxSteps: numericSchema(field('maxSteps')),
});
export type SgdSpikeDemoState = z.infer<typeof SgdSpikeDemoStateSchema>;

/** The codec of the SGD demo's state; the island's controller reads fields and URL keys from it. */
export const sgdSpikeDemoStateCodec = defineStateCodec<SgdSpikeDemoState>({
  numericFields: SGD_SPIKE_NUMERIC_FIELDS,
  schema: SgdSpikeDemoStateSchema,
  fixHint: 'parseSgdSpikeDemoState or mergeSgdSpikeDefaults',
  // A batch cannot hold more than the n training points: b > n becomes b = n (full-batch GD).
  rules(state, notices) {
    if (state.b > state.n) {
      notices.push(`batch size ${state.b} is above n = ${state.n}; using ${state.n}`);
      return { ...state, b: state.n };
    }
    return state;
  },
});

/**
 * Defaults: n = 256, d = 100, width 512, b = 8, η̄ = 0.6 × 2n/λ_max(K(w0)), seed 0, 300 steps — about
 * 4 ms per step in Node, at most 50 steps/s (the demo's pace), and a finished run continues when η̄
 * changes. At this η̄ the batches' own critical rates straddle it: measured in Node (wasm) with seed
 * 0, about half of the 300 steps lie above their batch's rate (catapult regime), and the detector
 * (with the demos' floor) finds 12 spikes of the full-train loss, the first at step 9 and the last at
 * 253, 7 of them catapults. The run is 300 steps, not more, because after that the steps above their
 * batch's rate go on without a spike, so a longer axis only squeezed the spikes into its first fifth;
 * the line under the plots says why when it happens. At η̄ = 0.9 every batch lies above η̄'s line and
 * spikes come by the dozen; at b = 64 none (tests/unit/demos/sgdSpikeSession.test.ts checks these).
 */
export const DEFAULT_SGD_SPIKE_DEMO_STATE: SgdSpikeDemoState = sgdSpikeDemoStateCodec.defaults as SgdSpikeDemoState;

/** Checks a state from code (not a URL); throws naming each bad field, its bounds and the fix. */
export function validateSgdSpikeDemoState(state: SgdSpikeDemoState, where = 'SGD demo state'): SgdSpikeDemoState {
  return sgdSpikeDemoStateCodec.validate(state, where);
}

/** Looks up a numeric field by its state key. */
export function sgdSpikeNumericField(key: SgdSpikeNumericKey): NumericField<SgdSpikeNumericKey> {
  return sgdSpikeDemoStateCodec.field(key) as NumericField<SgdSpikeNumericKey>;
}

/** Reads the state from URL parameters over `base` (defaults unless given); never throws. */
export function parseSgdSpikeDemoState(
  params: URLSearchParams | string,
  base: Partial<SgdSpikeDemoState> = {},
): Parsed<SgdSpikeDemoState> {
  return sgdSpikeDemoStateCodec.parse(params, base);
}

/** Fills missing fields from the defaults and clamps the rest (notices dropped). */
export function mergeSgdSpikeDefaults(partial: Partial<SgdSpikeDemoState>): SgdSpikeDemoState {
  return sgdSpikeDemoStateCodec.merge(partial);
}

/** URL parameters of the fields that differ from `base` (defaults unless given). */
export function serializeSgdSpikeDemoState(
  state: SgdSpikeDemoState,
  base: Partial<SgdSpikeDemoState> = {},
): URLSearchParams {
  return sgdSpikeDemoStateCodec.serialize(validateSgdSpikeDemoState(state, 'serializeSgdSpikeDemoState'), base);
}

/** Names of the keys the URL codec reads. */
export const SGD_SPIKE_DEMO_URL_PARAMS: readonly string[] = sgdSpikeDemoStateCodec.urlParams;
