/**
 * Everything chapter “sgd-spikes” (content/chapters/sgd-spikes.mdx) quotes from the runs: figure and table
 * specs, sentences, verdicts and settings, each from the module that computes it.
 */
export { DEFAULT_SGD_SPIKE_DEMO_STATE } from '../../../demos/sgd-spikes/sgdSpikeDemoState';
export { CONV_CHANNELS } from '../../../experiments/sgdMnist';
export { anatomyFigure, deepFcnFigure, ladderFigure, kernelDropsFigure } from './figures';
export {
  ARCH_SHORT,
  kernelDropRow,
  kernelDropSettings,
  kernelDropTable,
  kernelDropVerdict,
  minLiveChannelsEnd,
  permutationPText,
  permutationPValue,
  probeLambdaEndOverStart,
  proseNumbers,
  STALLED_FRACTION,
  stalledArchs,
} from './readouts';
export { spikeSweepFigure, spikeSweepSentence, sweepBatchSizes, sweepRatioRange } from './spikeSweep';
export { countWord, listWords, pct, sig } from '../common';
export { spikeKernelFigure, spikeKernelSentence } from './spikeKernel';
export { figure3Cnn, ladderFactorParagraphs, ladderFactorsFigure, ladderFactorVerdict } from './ladderFactors';
export { chapter2Prose } from './prose';
export { PAPER_DEEP_FCN } from '../../paperNumbers';
