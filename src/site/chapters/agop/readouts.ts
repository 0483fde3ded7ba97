/**
 * Chapter 3 (catapults teach features, AGOP): the numbers its tables, figures and report rows
 * quote. From agop-batch-sweep: per-batch-size tables (mean ± std over seeds) beside the paper's
 * rank-2 table, per-seed orderings and the alignment–test-loss correlation. From agop-gd-catapults:
 * per schedule (below / above η_crit, ladder) the final alignment and test loss, the orderings per
 * seed, the ladder's lifts and the comparison at equal training loss. From agop-gd-converged paired
 * with the sweep by seed: GD trained to the stop rule beside the step-budget GD and SGD.
 * The functions that take traces are pure (tests feed them synthetic ones).
 */
import { findRun, getTraces, need, nonEmpty, type TraceOf } from '../../traces';
import { meanStd, pearson } from '../../../lib/stats';
import { GD_CATAPULT_KINDS, type GdCatapultKind } from '../../../experiments/agopGdCatapults';
import { PAPER_RANK2_BATCH_TABLE } from '../../paperNumbers';
import { meanStdText, pm, type MeanStdText } from '../common';

/** Id of the sweep experiment. */
export const SWEEP_EXP = 'agop-batch-sweep';

export type Task = 'rank2' | 'rank4';
export type SweepTrace = TraceOf<'agop-batch-sweep'>;
export type GdCatapultTrace = TraceOf<'agop-gd-catapults'>;
export type ConvergedTrace = TraceOf<'agop-gd-converged'>;

/** Summary keys of a trace type whose values are numbers (or null, for `N = null`). */
type NumericKey<T extends { summary: object }, N = never> = {
  [K in keyof T['summary']]-?: T['summary'][K] extends number | N ? K : never;
}[keyof T['summary']] &
  string;

// ---------------------------------------------------------------- the batch sweep

/** All sweep runs of one task. */
export function sweepRuns(task: Task): SweepTrace[] {
  return nonEmpty(
    getTraces(SWEEP_EXP).filter((t) => t.summary.task === task),
    `${SWEEP_EXP} runs of ${task}`,
  );
}

/** Batch sizes of the sweep, largest (GD) first. */
export function batchSizes(): number[] {
  return [...new Set(getTraces(SWEEP_EXP).map((t) => t.summary.batchSize))].sort((a, b) => b - a);
}

export interface BatchRow {
  b: number;
  seeds: number;
  align: MeanStdText;
  testLoss: MeanStdText;
  testLossOverVar: MeanStdText;
  catapults: MeanStdText;
  etaOverMedianBatchCrit: number;
  epochs: MeanStdText;
  paper?: { agopAlignment: number; testLoss: number };
}

/** Per batch size, mean ± std over seeds (with the paper's numbers for rank-2). */
export function batchTable(task: Task): BatchRow[] {
  const runs = sweepRuns(task);
  return batchSizes().map((b) => {
    const r = nonEmpty(
      runs.filter((t) => t.summary.batchSize === b),
      `${SWEEP_EXP} runs of ${task} at batch size ${b}`,
    );
    const paper = task === 'rank2' ? PAPER_RANK2_BATCH_TABLE.find((p) => p.batchSize === b) : undefined;
    return {
      b,
      seeds: r.length,
      align: meanStdText(r.map((t) => t.summary.alignTrain)),
      testLoss: meanStdText(r.map((t) => t.summary.testMse)),
      testLossOverVar: meanStdText(r.map((t) => t.summary.testLossOverVar)),
      catapults: meanStdText(
        r.map((t) => t.summary.catapults),
        1,
      ),
      etaOverMedianBatchCrit: r.reduce((s, t) => s + t.summary.etaOverMedianBatchCrit, 0) / r.length,
      epochs: meanStdText(
        r.map((t) => t.summary.epochs),
        1,
      ),
      paper: paper ? { agopAlignment: paper.agopAlignment, testLoss: paper.testLoss } : undefined,
    };
  });
}

/** For each seed, whether a metric is monotone in batch size (smaller batch → larger if `increasing`); strict or allowing ties. */
export function monotoneSeeds(
  task: Task,
  key: NumericKey<SweepTrace>,
  increasing: boolean,
  strict = true,
): { holds: number; seeds: number } {
  const runs = sweepRuns(task);
  const seeds = [...new Set(runs.map((t) => t.seed))];
  const bs = batchSizes(); // descending
  let holds = 0;
  for (const s of seeds) {
    const vals = bs.map(
      (b) =>
        findRun(runs, `of ${task}, seed ${s}, batch size ${b}`, (t) => t.seed === s && t.summary.batchSize === b)
          .summary[key],
    );
    // Non-strict: ties allowed between neighbours, but the smallest batch must beat GD.
    const step = (v: number, u: number) => (strict ? (increasing ? v > u : v < u) : increasing ? v >= u : v <= u);
    const ends = increasing ? vals[vals.length - 1] > vals[0] : vals[vals.length - 1] < vals[0];
    const ok = vals.every((v, i) => i === 0 || step(v, vals[i - 1])) && ends;
    if (ok) holds++;
  }
  return { holds, seeds: seeds.length };
}

/** Pearson r of AGOP alignment and test MSE / Var f* over every sweep run, and per task. */
export function alignmentCorrelation(): { r: number; per: { task: Task; r: number }[] } {
  const all = getTraces(SWEEP_EXP);
  const r = pearson(
    all.map((t) => t.summary.alignTrain),
    all.map((t) => t.summary.testLossOverVar),
  );
  const per = (['rank2', 'rank4'] as const).map((task) => {
    const rr = sweepRuns(task);
    return {
      task,
      r: pearson(
        rr.map((t) => t.summary.alignTrain),
        rr.map((t) => t.summary.testLossOverVar),
      ),
    };
  });
  return { r, per };
}

/** The rank-2 sweep run of seed 0 at batch size b. */
export function sweepRun(b: number): SweepTrace {
  return findRun(
    sweepRuns('rank2'),
    `of rank2, seed 0, batch size ${b}`,
    (t) => t.seed === 0 && t.summary.batchSize === b,
  );
}

// ---------------------------------------------------------------- GD with catapults

/** Per-schedule statistics over seeds (diverged runs are counted, not averaged). */
export interface GdScheduleStats {
  kind: GdCatapultKind;
  runs: number;
  diverged: number;
  /** η/η_crit(w0) of the constant schedules; the ladder's factor for 'ladder'. */
  etaRatio: number;
  catapults: ReturnType<typeof meanStd>;
  alignEnd: ReturnType<typeof meanStd>;
  alignTestPop: ReturnType<typeof meanStd>;
  testMse: ReturnType<typeof meanStd>;
  testLossOverVar: ReturnType<typeof meanStd>;
  lambdaEndOverStart: ReturnType<typeof meanStd>;
}

/** Statistics of each schedule over all seeds in `traces`. */
export function gdScheduleStats(traces: GdCatapultTrace[]): GdScheduleStats[] {
  return GD_CATAPULT_KINDS.map((kind) => {
    const rs = nonEmpty(
      traces.filter((t) => t.summary.kind === kind),
      `agop-gd-catapults runs of the ${kind} schedule`,
    );
    const ok = rs.filter((t) => t.summary.divergedAt === null);
    return {
      kind,
      runs: rs.length,
      diverged: rs.length - ok.length,
      etaRatio: kind === 'ladder' ? need(rs[0], 'ladderFactor') : need(rs[0], 'etaRatio'),
      catapults: meanStd(ok.map((t) => t.summary.catapults)),
      // A run that did not diverge has its end-of-run measures.
      alignEnd: meanStd(ok.map((t) => need(t, 'alignEnd'))),
      alignTestPop: meanStd(ok.map((t) => need(t, 'alignTestPop'))),
      testMse: meanStd(ok.map((t) => need(t, 'testMse'))),
      testLossOverVar: meanStd(ok.map((t) => need(t, 'testLossOverVar'))),
      lambdaEndOverStart: meanStd(ok.map((t) => need(t, 'lambdaEnd') / t.summary.lambda0)),
    };
  });
}

/** The statistics of one schedule. */
export function scheduleStats(stats: GdScheduleStats[], kind: GdCatapultKind): GdScheduleStats {
  const s = stats.find((x) => x.kind === kind);
  if (!s) throw new Error(`agop-gd-catapults: no statistics for the ${kind} schedule`);
  return s;
}

/**
 * For each seed, whether `key` orders the schedules as `order` says (strictly increasing along the
 * list when `increasing`, else strictly decreasing). Seeds with a diverged run (no end value) count as not holding.
 */
export function seedsOrdered(
  traces: GdCatapultTrace[],
  key: NumericKey<GdCatapultTrace, null>,
  order: GdCatapultKind[],
  increasing: boolean,
): { holds: number; seeds: number } {
  const seeds = [...new Set(traces.map((t) => t.seed))];
  let holds = 0;
  for (const s of seeds) {
    const v = order.map(
      (k) =>
        findRun(traces, `of seed ${s} with the ${k} schedule`, (x) => x.seed === s && x.summary.kind === k).summary[
          key
        ],
    );
    const finite = (x: number | null): x is number => x !== null && Number.isFinite(x);
    if (v.every(finite) && v.every((x, i) => i === 0 || (increasing ? x > v[i - 1] : x < v[i - 1]))) holds++;
  }
  return { holds, seeds: seeds.length };
}

/** Ladder catapults whose stage ended with a higher alignment than at their rise, over all seeds. */
export function ladderLifts(traces: GdCatapultTrace[]): { lifted: number; catapults: number; raises: number } {
  let lifted = 0;
  let catapults = 0;
  let raises = 0;
  for (const t of traces.filter((x) => x.summary.kind === 'ladder')) {
    const before = t.series.alignBeforeCatapult;
    const stage = t.series.alignStageEnd;
    catapults += before.length;
    raises += t.series.raiseSteps.length;
    lifted += before.filter((b, i) => stage[i] > b).length;
  }
  return { lifted, catapults, raises };
}

/** One seed's catapult run read at the training loss the below-η_crit run ended with. */
export interface EqualLossPoint {
  seed: number;
  /** First step after the first catapult's peak at which the ½Σ training loss is ≤ the below run's final one (null if never). */
  step: number | null;
  /** Alignment and test MSE / Var f* at the first measurement from that step on (null if none). */
  align: number | null;
  alignBelow: number;
  testLossOverVar: number | null;
  testLossOverVarBelow: number;
}

/**
 * Compares a catapult schedule with the below-η_crit run at equal training loss rather than at
 * equal step count (the runs train at different speeds): alignment and test MSE / Var f* at the
 * first measurement at or after the step where the catapult run's loss first reaches the below
 * run's final loss, after its first spike.
 */
export function equalLossComparison(
  traces: GdCatapultTrace[],
  kind: Exclude<GdCatapultKind, 'below'>,
): EqualLossPoint[] {
  const out: EqualLossPoint[] = [];
  for (const t of traces.filter((x) => x.summary.kind === kind)) {
    const b = findRun(
      traces,
      `of seed ${t.seed} with the below schedule`,
      (x) => x.seed === t.seed && x.summary.kind === 'below',
    );
    const target = b.series.trainLoss[b.series.trainLoss.length - 1];
    const firstPeak = t.series.catapultPeaks[0] ?? 0;
    const i = t.series.trainLoss.findIndex((v, j) => t.series.step[j] > firstPeak && v <= target);
    const step = i >= 0 ? t.series.step[i] : null;
    const k = step === null ? -1 : t.series.alignStep.findIndex((s) => s >= step);
    const varY = t.summary.varTestY;
    out.push({
      seed: t.seed,
      step,
      align: k >= 0 ? t.series.align[k] : null,
      alignBelow: need(b, 'alignEnd'),
      testLossOverVar: k >= 0 ? t.series.testLoss[k] / varY : null,
      testLossOverVarBelow: need(b, 'testLossOverVar'),
    });
  }
  return out;
}

/** Seeds whose catapult run, read at equal training loss, has both the higher alignment and the lower test loss. */
export function equalLossHolds(eq: EqualLossPoint[]): number {
  return eq.filter(
    (p) =>
      p.align !== null &&
      p.testLossOverVar !== null &&
      p.align > p.alignBelow &&
      p.testLossOverVar < p.testLossOverVarBelow,
  ).length;
}

// ---------------------------------------------------------------- GD trained to the stop rule

/** One seed: converged GD, budget GD and each SGD batch size (alignment, test MSE / Var f*). */
export interface ConvergedRow {
  seed: number;
  gdSteps: number;
  gd: { align: number; testOverVar: number };
  budgetGd: { align: number; testOverVar: number };
  /** Sweep batch sizes below n, largest first. */
  sgd: { b: number; align: number; testOverVar: number }[];
}

/** Per-seed rows for one task; `sweep` are agop-batch-sweep traces (batch size n is its GD). */
export function convergedRows(converged: ConvergedTrace[], sweep: SweepTrace[], task: Task): ConvergedRow[] {
  const sw = sweep.filter((t) => t.summary.task === task);
  const bs = [...new Set(sw.map((t) => t.summary.batchSize))].sort((a, b) => b - a);
  const n = bs[0];
  return converged
    .filter((t) => t.summary.task === task)
    .sort((a, b) => a.seed - b.seed)
    .map((g) => {
      const at = (b: number) =>
        findRun(
          sw,
          `of ${task}, seed ${g.seed}, batch size ${b}`,
          (t) => t.seed === g.seed && t.summary.batchSize === b,
        ).summary;
      return {
        seed: g.seed,
        gdSteps: g.summary.steps,
        gd: { align: g.summary.alignTrain, testOverVar: g.summary.testLossOverVar },
        budgetGd: { align: at(n).alignTrain, testOverVar: at(n).testLossOverVar },
        sgd: bs.slice(1).map((b) => ({ b, align: at(b).alignTrain, testOverVar: at(b).testLossOverVar })),
      };
    });
}

/** The SGD entry of batch size b of a row; throws naming the seed and batch size if absent. */
function sgdAt(r: ConvergedRow, b: number): { b: number; align: number; testOverVar: number } {
  const s = r.sgd.find((x) => x.b === b);
  if (!s)
    throw new Error(
      `agop-gd-converged pairing: seed ${r.seed} has no agop-batch-sweep run at batch size ${b} (has ${r.sgd.map((x) => x.b).join(', ')})`,
    );
  return s;
}

/** Seeds in which every SGD batch size of `bs` beats the converged GD (higher alignment, or lower test loss). */
export function seedsBeatingConvergedGd(
  rows: ConvergedRow[],
  bs: number[],
  key: 'align' | 'testOverVar',
): { holds: number; seeds: number } {
  const better = (s: number, g: number) => (key === 'align' ? s > g : s < g);
  const holds = rows.filter((r) => bs.every((b) => better(sgdAt(r, b)[key], r.gd[key]))).length;
  return { holds, seeds: rows.length };
}

/** Mean ± std over seeds of each column of the rows (converged GD, budget GD, each SGD batch size). */
export function convergedMeans(rows: ConvergedRow[]) {
  const col = (f: (r: ConvergedRow) => number) => meanStd(rows.map(f));
  const bs = rows[0]?.sgd.map((s) => s.b) ?? [];
  return {
    gdSteps: col((r) => r.gdSteps),
    gd: { align: col((r) => r.gd.align), testOverVar: col((r) => r.gd.testOverVar) },
    budgetGd: { align: col((r) => r.budgetGd.align), testOverVar: col((r) => r.budgetGd.testOverVar) },
    sgd: bs.map((b) => ({
      b,
      align: col((r) => sgdAt(r, b).align),
      testOverVar: col((r) => sgdAt(r, b).testOverVar),
    })),
  };
}

/** Everything the converged-GD table of one task shows: means, how each row stopped, and the per-seed wins. */
export function convergedTable(task: Task) {
  const conv = getTraces('agop-gd-converged');
  const sweep = getTraces(SWEEP_EXP);
  const rows = nonEmpty(convergedRows(conv, sweep, task), `agop-gd-converged runs of ${task}`);
  const m = convergedMeans(rows);
  const sw = sweep.filter((t) => t.summary.task === task);
  const n = Math.max(...sw.map((t) => t.summary.batchSize));
  const stops = (b: number) => {
    const rs = nonEmpty(
      sw.filter((t) => t.summary.batchSize === b && rows.some((r) => r.seed === t.seed)),
      `${SWEEP_EXP} runs of ${task} at batch size ${b} paired with agop-gd-converged`,
    );
    const c = rs.filter((t) => t.summary.stopReason === 'converged').length;
    const mse = rs.reduce((a, t) => a + t.summary.trainMse, 0) / rs.length;
    return `${c}/${rs.length} by the MSE rule; mean train MSE ${mse.toExponential(1)}`;
  };
  const gdConv = conv.filter((t) => t.summary.task === task);
  const smallest = m.sgd.length ? [m.sgd[m.sgd.length - 1].b] : [];
  return {
    rows,
    means: {
      budgetGd: { align: pm(m.budgetGd.align), testOverVar: pm(m.budgetGd.testOverVar) },
      gd: { align: pm(m.gd.align), testOverVar: pm(m.gd.testOverVar) },
      sgd: m.sgd.map((s) => ({ b: s.b, stops: stops(s.b), align: pm(s.align), testOverVar: pm(s.testOverVar) })),
    },
    budgetStops: stops(n),
    gdStops: `${gdConv.filter((t) => t.summary.stopReason === 'converged').length}/${gdConv.length} by the MSE rule, after ${pm(m.gdSteps, 0)} steps`,
    smallest: smallest[0],
    beatA: seedsBeatingConvergedGd(rows, smallest, 'align'),
    beatL: seedsBeatingConvergedGd(rows, smallest, 'testOverVar'),
    allA: seedsBeatingConvergedGd(
      rows,
      m.sgd.map((s) => s.b),
      'align',
    ),
  };
}
