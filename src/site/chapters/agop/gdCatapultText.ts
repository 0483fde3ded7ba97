/**
 * Chapter 3's sentence about GD with catapults on a second task (agop-gd-catapults-rank4): each
 * schedule's final alignment and test loss over seeds, the per-seed orderings and the ladder's lifts,
 * written from the traces by the same read-outs as the rank-2 figure.
 */
import { getTraces } from '../../traces';
import { agreedSetting, countWord, pm, sig, taskName } from '../common';
import {
  equalLossComparison,
  equalLossHolds,
  gdScheduleStats,
  endTrainMseText,
  ladderLifts,
  scheduleStats,
  seedsOrdered,
} from './readouts';

/** agop-gd-catapults' settings the prose quotes, as its runs record them. */
export function gdCatapultSettings() {
  const traces = getTraces('agop-gd-catapults');
  return {
    n: agreedSetting(traces, 'n'),
    /** How many GD schedules the runs compare, as prose writes it ("three"). */
    schedulesWord: countWord(new Set(traces.map((t) => t.config.kind)).size),
  };
}

/** One paragraph's worth of numbers for the rank-4 GD schedules. */
export function rank4GdSentence(): string {
  const traces = getTraces('agop-gd-catapults-rank4');
  const stats = gdScheduleStats(traces);
  const st = (k: 'below' | 'above' | 'ladder') => scheduleStats(stats, k);
  const a = seedsOrdered(traces, 'alignEnd', ['below', 'above'], true);
  const l = seedsOrdered(traces, 'testLossOverVar', ['below', 'above'], false);
  const lifts = ladderLifts(traces);
  const div = (k: 'below' | 'above' | 'ladder') =>
    st(k).diverged ? `, ${st(k).diverged} of ${st(k).runs} diverged` : '';
  return (
    `On ${taskName('rank4')}, with the same schedules, the final alignment is ${pm(st('below').alignEnd, 3)} below η_crit, ` +
    `${pm(st('above').alignEnd, 3)} at ${st('above').etaRatio} η_crit${div('above')} and ${pm(st('ladder').alignEnd, 3)} with the ladder${div('ladder')}; ` +
    `test MSE / Var f* is ${pm(st('below').testLossOverVar)}, ${pm(st('above').testLossOverVar)} and ${pm(st('ladder').testLossOverVar)}. ` +
    `The catapult run has the higher alignment in ${a.holds} of ${a.seeds} seeds and the lower test loss in ${l.holds} of ${l.seeds}; ` +
    `${lifts.lifted} of the ladder's ${lifts.catapults} catapults ended their stage with a higher alignment than at their rise. ` +
    `These are end values of unequal runs: ${endTrainMseText(stats)}`
  );
}

/** The rank-2 GD result in two short sentences: the catapult run against the run below η_crit, at the end and at equal training loss. */
export function gdCatapultFinding(): string {
  const traces = getTraces('agop-gd-catapults');
  const stats = gdScheduleStats(traces);
  const below = scheduleStats(stats, 'below');
  const above = scheduleStats(stats, 'above');
  const a = seedsOrdered(traces, 'alignEnd', ['below', 'above'], true);
  const eq = equalLossComparison(traces, 'above');
  return (
    `After ${above.steps} steps, GD at ${above.etaRatio} η_crit is at alignment ${pm(above.alignEnd)}, against ${pm(below.alignEnd)} below η_crit: higher in ${a.holds} of ${a.seeds} seeds. ` +
    `But the run below η_crit is behind: its training MSE is still ${sig(below.trainMse.mean / above.trainMse.mean, 2)}× the catapult run's. ` +
    `Read at equal training loss, the catapult run is ahead in alignment and test loss in ${equalLossHolds(eq)} of ${eq.length} seeds`
  );
}
