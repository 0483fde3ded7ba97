/**
 * The AGOP demo's presets (kit/presets.ts), each a state over the island's defaults: the comparison
 * Chapter 3 makes, SGD with batch 8 against GD from the same start at the same η̄. Pressing one after
 * the other keeps the first run drawn faintly, and the line under the plots compares the two at the
 * same step. Measured in Node (wasm, seed 0, 1000 steps): batch 8 spikes about 100 times and ends at
 * alignment 0.91, GD has no spike and ends at 0.69 (GD is ahead early on, 0.66 against 0.59 at step 300).
 */
import type { DemoPreset } from '../kit/presets';
import type { AgopDemoState } from './agopDemoState';

export const AGOP_PRESETS: readonly DemoPreset<AgopDemoState>[] = [
  {
    id: 'batch-8',
    label: '1. SGD, batch 8',
    describe: 'SGD with batches of 8 at η̄ 0.9 η̄_crit: most batches above their own critical rate, the loss spikes.',
    state: { b: '8', etaRatio: 0.9 },
  },
  {
    id: 'gd',
    label: '2. GD, same start',
    describe:
      'Full-batch GD from the same weights at the same η̄, below its critical rate: no spike. The batch-8 run stays drawn, and the line under the plots compares the alignments at the same step.',
    state: { b: 'gd', etaRatio: 0.9 },
  },
];
