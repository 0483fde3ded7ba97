/**
 * Read-outs of agop-gd-catapults traces for the chapter page and the Reproduction report: per
 * schedule (below / above / ladder) the final alignment and test loss over seeds, the per-seed
 * orderings, and how many ladder catapults ended their stage with a higher alignment. Pure: takes
 * decoded traces (src/site/traces.ts getTraces('agop-gd-catapults')), reads no files.
 */
import type { Trace } from './trace';
import { GD_CATAPULT_KINDS, type GdCatapultKind } from './agopGdCatapults';

/** Mean and sample standard deviation (0 for one value) of finite xs; NaN mean if none. */
export function meanAndStd(xs: number[]): { mean: number; std: number; n: number } {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : NaN;
  const std = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

const num = (t: Trace, k: string): number => {
  const v = t.summary[k];
  return typeof v === 'number' ? v : NaN;
};

/** Per-schedule statistics over seeds (diverged runs are counted, not averaged). */
export interface GdScheduleStats {
  kind: GdCatapultKind;
  runs: number;
  diverged: number;
  /** η/η_crit(w0) of the constant schedules; the ladder's factor for 'ladder'. */
  etaRatio: number;
  catapults: ReturnType<typeof meanAndStd>;
  alignEnd: ReturnType<typeof meanAndStd>;
  alignTestPop: ReturnType<typeof meanAndStd>;
  testMse: ReturnType<typeof meanAndStd>;
  testLossOverVar: ReturnType<typeof meanAndStd>;
  lambdaEndOverStart: ReturnType<typeof meanAndStd>;
}

/** Statistics of each schedule over all seeds in `traces`. */
export function gdScheduleStats(traces: Trace[]): GdScheduleStats[] {
  return GD_CATAPULT_KINDS.map((kind) => {
    const rs = traces.filter((t) => t.summary.kind === kind);
    const ok = rs.filter((t) => t.summary.divergedAt === null);
    return {
      kind,
      runs: rs.length,
      diverged: rs.length - ok.length,
      etaRatio: kind === 'ladder' ? num(rs[0], 'ladderFactor') : num(rs[0], 'etaRatio'),
      catapults: meanAndStd(ok.map((t) => num(t, 'catapults'))),
      alignEnd: meanAndStd(ok.map((t) => num(t, 'alignEnd'))),
      alignTestPop: meanAndStd(ok.map((t) => num(t, 'alignTestPop'))),
      testMse: meanAndStd(ok.map((t) => num(t, 'testMse'))),
      testLossOverVar: meanAndStd(ok.map((t) => num(t, 'testLossOverVar'))),
      lambdaEndOverStart: meanAndStd(ok.map((t) => num(t, 'lambdaEnd') / num(t, 'lambda0'))),
    };
  });
}

/**
 * For each seed, whether `key` orders the schedules as `order` says (strictly increasing along the
 * list when `increasing`, else strictly decreasing). Seeds with a diverged run count as not holding.
 */
export function seedsOrdered(traces: Trace[], key: string, order: GdCatapultKind[], increasing: boolean): { holds: number; seeds: number } {
  const seeds = [...new Set(traces.map((t) => t.seed))];
  let holds = 0;
  for (const s of seeds) {
    const v = order.map((k) => {
      const t = traces.find((x) => x.seed === s && x.summary.kind === k);
      return t ? num(t, key) : NaN;
    });
    if (v.every(Number.isFinite) && v.every((x, i) => i === 0 || (increasing ? x > v[i - 1] : x < v[i - 1]))) holds++;
  }
  return { holds, seeds: seeds.length };
}

/** Ladder catapults whose stage ended with a higher alignment than at their rise, over all seeds. */
export function ladderLifts(traces: Trace[]): { lifted: number; catapults: number; raises: number } {
  let lifted = 0;
  let catapults = 0;
  let raises = 0;
  for (const t of traces.filter((x) => x.summary.kind === 'ladder')) {
    const before = t.series.alignBeforeCatapult ?? [];
    const stage = t.series.alignStageEnd ?? [];
    catapults += before.length;
    raises += (t.series.raiseSteps ?? []).length;
    lifted += before.filter((b, i) => stage[i] > b).length;
  }
  return { lifted, catapults, raises };
}

/** One seed's catapult run read at the training loss the below-η_crit run ended with. */
export interface EqualLossPoint {
  seed: number;
  /** First step after the first catapult's peak at which the ½Σ training loss is ≤ the below run's final one (null if never). */
  step: number | null;
  align: number;
  alignBelow: number;
  testLossOverVar: number;
  testLossOverVarBelow: number;
}

/**
 * Compares a catapult schedule with the below-η_crit run at equal training loss rather than at
 * equal step count (the runs train at different speeds): alignment and test MSE / Var f* at the
 * first measurement at or after the step where the catapult run's loss first reaches the below
 * run's final loss, after its first spike.
 */
export function equalLossComparison(traces: Trace[], kind: Exclude<GdCatapultKind, 'below'>): EqualLossPoint[] {
  const out: EqualLossPoint[] = [];
  for (const t of traces.filter((x) => x.summary.kind === kind)) {
    const b = traces.find((x) => x.seed === t.seed && x.summary.kind === 'below');
    if (!b) continue;
    const target = b.series.trainLoss[b.series.trainLoss.length - 1];
    const firstPeak = (t.series.catapultPeaks ?? [])[0] ?? 0;
    const i = t.series.trainLoss.findIndex((v, j) => t.series.step[j] > firstPeak && v <= target);
    const step = i >= 0 ? t.series.step[i] : null;
    const k = step === null ? -1 : t.series.alignStep.findIndex((s) => s >= step);
    const varY = num(t, 'varTestY');
    out.push({
      seed: t.seed,
      step,
      align: k >= 0 ? t.series.align[k] : NaN,
      alignBelow: num(b, 'alignEnd'),
      testLossOverVar: k >= 0 ? t.series.testLoss[k] / varY : NaN,
      testLossOverVarBelow: num(b, 'testLossOverVar'),
    });
  }
  return out;
}
