/**
 * optimizer-alignment-sweep (chapter 3): optimizer-alignment's five optimizers in agop-batch-sweep's
 * setting (rank-2, n = 2000, d = 100, m = 1024, mini-batches of 10, training MSE below 1e-3), where
 * the batch-size results were found, instead of the smaller set-up optimizer-alignment shares with
 * MNIST. Same schema, outputs and run function; only the id and the profiles differ, so
 * optimizer-alignment's traces stay as they are.
 *
 * Rates. GD at 0.5 (as the sweep's GD) and 1.5 η_crit (one catapult); SGD at 0.25 and 0.5 (the
 * sweep's η̄) of the full set's mean-loss critical rate; heavy-ball momentum (β = 0.9) at 0.025 and
 * 0.1 of it, an effective rate η/(1 − β) of 0.25 and 1: the second is above the median critical rate
 * of a batch of 10 (about 0.65 of the full set's in the sweep's runs); Adam and RMSprop at the step
 * sizes optimizer-alignment uses.
 */
import { optimizerAlignment } from './optimizerAlignment';
import { defineExperiment } from './types';

// typed copies of optimizer-alignment's profiles (the registry stores them as plain data)
const profile = (name: 'paper' | 'quick') => optimizerAlignment.schema.parse(optimizerAlignment.profiles[name]);
const paper = profile('paper');
const quick = profile('quick');

export const optimizerAlignmentSweep = defineExperiment({
  ...optimizerAlignment,
  id: 'optimizer-alignment-sweep',
  title: 'Optimizers, AGOP alignment and test loss in the batch sweep’s setting',
  description:
    'The five optimizers of optimizer-alignment (GD, SGD, momentum, Adam, RMSprop, two rates each) on agop-batch-sweep’s rank-2 setting: n = 2000, d = 100, shallow ReLU net with m = 1024, mini-batches of 10, every run to training MSE < 1e-3; alignment with the true AGOP and both proxies, test loss, spikes.',
  profiles: {
    paper: {
      ...paper,
      tasks: ['rank2'],
      n: 2000,
      nTest: 5000,
      d: 100,
      m: 1024,
      optimizers: [
        { optimizer: 'gd', batchSize: 2000, rates: [0.5, 1.5] },
        { optimizer: 'sgd', batchSize: 10, rates: [0.25, 0.5] },
        { optimizer: 'momentum', batchSize: 10, rates: [0.025, 0.1] },
        { optimizer: 'adam', batchSize: 10, rates: [0.001, 0.003] },
        { optimizer: 'rmsprop', batchSize: 10, rates: [0.0003, 0.001] },
      ],
      stopMse: 1e-3,
      // the sweep's cap: 200 epochs of batches of 10
      maxSteps: 40000,
      lossEvery: 5,
      proxy: { ...paper.proxy, net: { ...paper.proxy.net, m: 512 } },
      exportModelSeeds: 0,
      seeds: 3,
    },
    quick: { ...quick, tasks: ['rank2'], exportModelSeeds: 0 },
  },
});
