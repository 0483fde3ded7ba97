/**
 * cnn-ladder-factors (chapter 2): multi-catapult's learning-rate ladder for the 5-layer CNN over a range
 * of raise factors, with global average pooling and with a dense readout (the same convolutions), 3
 * seeds each. At 1.4 the pooled CNN diverges after its first raise; this sweep asks whether any factor
 * lets it survive the three raises after the first, and whether the dense readout does. Same set-up,
 * schema, outputs and run function as multi-catapult; λ_max is sampled more sparsely to fit the budget.
 */
import { multiCatapult } from './multiCatapult';
import { defineExperiment } from './types';

// typed copies of multi-catapult's profiles (the registry stores them as plain data)
const profile = (name: 'paper' | 'quick') => multiCatapult.schema.parse(multiCatapult.profiles[name]);

export const cnnLadderFactors = defineExperiment({
  ...multiCatapult,
  id: 'cnn-ladder-factors',
  title: 'The CNN’s learning-rate ladder across raise factors, pooled and dense readout',
  description:
    'multi-catapult’s ladder (GD on 130 MNIST digits, η raised at steps 0, 60, 120, 180 to factor × 2/λ_max(K(w_t))) for the 5-layer CNN with global average pooling and with a dense readout, factors 1.1, 1.2, 1.4 and 2, 3 seeds.',
  profiles: {
    paper: {
      ...profile('paper'),
      archs: ['cnn', 'cnn-dense'],
      factors: [1.1, 1.2, 1.4, 2],
      lambdaEvery: 10,
      seeds: 3,
    },
    quick: { ...profile('quick'), archs: ['cnn', 'cnn-dense'], factors: [1.2, 2], seeds: 1 },
  },
});
