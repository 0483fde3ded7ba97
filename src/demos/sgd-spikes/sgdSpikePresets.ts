/**
 * The SGD demo's presets (kit/presets.ts), each a state over the island's defaults (n 256, d 100,
 * width 512, seed 0). Measured in Node (wasm) over 300 steps: at η̄ 0.9, b 8 every step is above its
 * batch's critical rate and the full-train loss spikes about 30 times, every spike a catapult; at
 * η̄ 0.3, b 2 (below the full set's rate, so GD would be lazy) a third of the steps are, and it
 * spikes about a dozen times; at η̄ 0.3, b 8 no step is (the largest η̄ over a batch's critical rate
 * is 0.64) and there is no spike. tests/e2e/sgdSpikeDemo.spec.ts runs each.
 */
import type { DemoPreset } from '../kit/presets';
import type { SgdSpikeDemoState } from './sgdSpikeDemoState';

export const SGD_SPIKE_PRESETS: readonly DemoPreset<SgdSpikeDemoState>[] = [
  {
    id: 'big-spikes',
    label: 'Big spikes (η̄ 0.9, b 8)',
    describe: 'Every batch is above its own critical rate: the full-train loss spikes again and again.',
    state: { b: 8, etaRatio: 0.9, maxSteps: 300 },
  },
  {
    id: 'small-batch',
    label: 'Small batch (η̄ 0.3, b 2)',
    describe: 'η̄ far below the full set’s critical rate, yet batches of 2 often lie above their own: spikes.',
    state: { b: 2, etaRatio: 0.3, maxSteps: 300 },
  },
  {
    id: 'below-every-batch',
    label: 'Below every batch’s rate (η̄ 0.3, b 8)',
    describe: 'η̄ below every batch’s critical rate: no step in a catapult regime, and no spike.',
    state: { b: 8, etaRatio: 0.3, maxSteps: 300 },
  },
];
