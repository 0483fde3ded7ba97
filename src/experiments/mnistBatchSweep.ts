/**
 * mnist-batch-sweep (chapter 3): the batch-size sweep on the binary MNIST tasks of optimizer-alignment.
 * Same set-up, schema, outputs and run function (data split with a fixed reference set, the RFM and
 * reference-net AGOP proxies, the stop rule); only the grid differs: plain SGD at several batch sizes
 * at η̄ = 0.5 and 1 × the full set's mean-loss critical rate (as agop-batch-sweep). Its GD rows are
 * optimizer-alignment's GD runs at 0.5 and 1.5 η_crit, the same runs, so they are not run again here.
 * Keys name the batch size, so one optimizer can appear at several.
 */
import { optimizerAlignment } from './optimizerAlignment';
import { defineExperiment } from './types';

// typed copies of optimizer-alignment's profiles (the registry stores them as plain data)
const profile = (name: 'paper' | 'quick') => optimizerAlignment.schema.parse(optimizerAlignment.profiles[name]);
const paper = profile('paper');
const quick = profile('quick');

export const mnistBatchSweep = defineExperiment({
  ...optimizerAlignment,
  id: 'mnist-batch-sweep',
  title: 'Batch size and AGOP alignment on binary MNIST',
  description:
    'Shallow ReLU net (m = 512) on MNIST 0 vs 1 and 3 vs 5 (14×14, centred, n = 500): SGD with batches of 50, 10 and 5 at η̄ = 0.5 and 1 × the full-set critical rate (GD: optimizer-alignment’s runs), every run to training MSE < 1e-3; alignment with the RFM and reference-net proxies, catapults, test loss and test error.',
  profiles: {
    paper: {
      ...paper,
      tasks: ['mnist01', 'mnist35'],
      // GD at 0.5 and 1.5 η_crit is optimizer-alignment's own GD row (same runs); the site reads it there
      optimizers: [
        { optimizer: 'sgd', batchSize: 50, rates: [0.5, 1] },
        { optimizer: 'sgd', batchSize: 10, rates: [0.5, 1] },
        { optimizer: 'sgd', batchSize: 5, rates: [0.5, 1] },
      ],
      seeds: 3,
    },
    quick: {
      ...quick,
      tasks: ['mnist35'],
      optimizers: [{ optimizer: 'sgd', batchSize: 8, rates: [0.5, 1] }],
    },
  },
  // optimizer-alignment's grid, with the batch size in each key
  expand: (cfg) =>
    optimizerAlignment.expand(cfg).map((g) => ({
      ...g,
      key: `${g.config.task}-${g.config.optimizer}-b${g.config.b}-r${String(g.config.rate).replace('.', 'p')}`,
    })),
});
