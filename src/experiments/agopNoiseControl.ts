/**
 * agop-noise-control (chapter 3): agop-batch-sweep's noise control on its own, at a lower η̄. The
 * sweep's control at 0.3 of the full-set critical rate met a batch at or above its own critical rate
 * at some steps (rank-2 a few, rank-4 thousands: its batch kernels grow in training), so it was not
 * noise without catapults; this experiment runs the control grid points only, same set-up, schema,
 * outputs and run function as the sweep, at the η̄ of its profile.
 */
import { agopBatchSweep } from './agopBatchSweep';
import { defineExperiment } from './types';

// typed copies of the sweep's profiles (the registry stores them as plain data)
const profile = (name: 'paper' | 'quick') => agopBatchSweep.schema.parse(agopBatchSweep.profiles[name]);
const paper = profile('paper');
const quick = profile('quick');

export const agopNoiseControl = defineExperiment({
  ...agopBatchSweep,
  id: 'agop-noise-control',
  title: 'Mini-batch noise without catapults: SGD below every drawn batch’s critical rate',
  description:
    'agop-batch-sweep’s noise control alone: batch 5 at 0.15 of the full-set critical rate, rank-2 and rank-4 (n = 2000, m = 1024), trained to training MSE < 1e-3, with the critical rate of every drawn batch checked at every step.',
  profiles: {
    paper: { ...paper, noiseControl: { batchSize: 5, etaFactor: 0.15 } },
    quick: { ...quick, noiseControl: { batchSize: 4, etaFactor: 0.05 } },
  },
  // only the control grid points of the sweep's expansion
  expand: (cfg) => agopBatchSweep.expand(cfg).filter((g) => g.config.control),
});
