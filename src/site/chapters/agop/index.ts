/**
 * Everything chapter “agop” (content/chapters/agop.mdx) quotes from the runs: figure and table
 * specs, sentences, verdicts and settings, each from the module that computes it.
 */
export { DEFAULT_AGOP_DEMO_STATE } from '../../../demos/agop/agopDemoState';
export { scatterFigure, curvesFigure, gdCatapultsFigure } from './figures';
export {
  generalizationFigure,
  generalizationSettings,
  generalizationTasks,
  generalizationVerdict,
} from './generalization';
export {
  batchesBelowSentence,
  catapultCountSentence,
  controlSentence,
  noiseControlFinding,
  stopRuleSentence,
  sweepFinding,
  sweepSettings,
} from './sweepText';
export { ORDERING_RULE } from './batchOrdering';
export { gdCatapultFinding, gdCatapultSettings, rank4GdSentence } from './gdCatapultText';
export {
  optimizerCorrelationTableSpec,
  optimizerRowsTableSpec,
  optimizerSweepTableSpec,
  removalCountTableSpec,
  removalTableSpec,
} from './tables';
export {
  rateMatchingSentence,
  removalFigure,
  removalHeadline,
  removalSettings,
  removalTakeaway,
  removalVerdictSentence,
  spikeCatapultSentence,
} from '../../../exhibits/catapultRemoval';
export { REMOVAL_RULE_TEXT } from '../../../exhibits/catapultRemovalRule';
export { mnistSweepSettings, mnistSweepTasks, mnistSweepVerdict } from './mnistSweep';
export {
  optimizerFigure,
  optimizerSettings,
  optimizerSweepSentence,
  optimizerTasks,
  optimizerVerdict,
} from './optimizers';
export { listWords } from '../common';
