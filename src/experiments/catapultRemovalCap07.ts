/**
 * catapult-removal-cap07 (chapter 3): catapult-removal's capped arm with the capped steps taken at 0.7
 * instead of 0.9 of their batch's critical rate, to see whether the answer depends on how close to the
 * edge the capped steps sit. Same set-up, schema, outputs and run function; no rate-matched arm;
 * rank-2 only, its loss sampled (a capped run has no catapult by construction; its spikes are a lower bound).
 */
import { catapultRemoval } from './catapultRemoval';
import { defineExperiment } from './types';

// typed copies of the original's profiles (the registry stores them as plain data)
const profile = (name: 'paper' | 'quick') => catapultRemoval.schema.parse(catapultRemoval.profiles[name]);

export const catapultRemovalCap07 = defineExperiment({
  ...catapultRemoval,
  id: 'catapult-removal-cap07',
  title: 'Does the catapult do the work? The capped arm at 0.7 of each batch’s critical rate',
  description:
    'catapult-removal’s capped arm with every step whose batch’s critical rate is at or below η̄ taken at 0.7 (not 0.9) of that rate: rank-2, batch 5, 5 seeds, the same data, weights and batch order as agop-batch-sweep.',
  profiles: {
    // rank-2 only: the task whose small batches gain most over GD (rank-4's b = 5 runs cost the most)
    paper: {
      ...profile('paper'),
      tasks: ['rank2'],
      batchSizes: [5],
      capFraction: 0.7,
      matched: false,
      everyStepSeeds: 0,
    },
    quick: { ...profile('quick'), capFraction: 0.7, matched: false },
  },
});
