/**
 * Everything chapter “catapults-in-gd” (content/chapters/catapults-in-gd.mdx) quotes from the runs: figure and table
 * specs, sentences, verdicts and settings, each from the module that computes it.
 */
export { DEFAULT_CATAPULT_DEMO_STATE } from '../../../demos/catapults-in-gd/catapultDemoState';
export { uvFigure, nqmFigure, regimesFigure, phaseFigure, etaMaxFigure, projectedLossFigure } from './figures';
export { catapultDemoReference, phaseDiagram, phaseSummary } from './readouts';
export { PAPER_ETA_MAX_RATIO } from '../../paperNumbers';
export { countWord } from '../common';
