/**
 * Chapter 3 (catapults teach features, AGOP): the numbers its tables, figures and report rows
 * quote. From agop-batch-sweep: per-batch-size tables (mean ± std over seeds) beside the paper's
 * rank-2 table, the ordering rule's verdicts (batchOrdering.ts) and the alignment–test-loss correlation. From agop-gd-catapults:
 * per schedule (below / above η_crit, ladder) the final alignment and test loss, the orderings per
 * seed, the ladder's lifts and the comparison at equal training loss. The sweep's noise control
 * beside its GD, paired by seed.
 * The functions that take traces are pure (tests feed them synthetic ones).
 */
import { findRun, getTraces, need, nonEmpty, type TraceOf } from '../../traces';
import { meanStd, pearson } from '../../../lib/stats';
import { GD_CATAPULT_KINDS, type GdCatapultKind } from '../../../experiments/agopGdCatapults';
import { PAPER_RANK2_BATCH_TABLE } from '../../paperNumbers';
import { orderingStatus, pairedBand, type OrderingResult } from './batchOrdering';
import { meanStdText, sig, type MeanStdText } from '../common';

/** Id of the sweep experiment. */
export const SWEEP_EXP = 'agop-batch-sweep';

export type Task = 'rank2' | 'rank4';
/** A sweep trace as stored: a diverged run's end-of-run fields are null. */
export type SweepRecord = TraceOf<'agop-batch-sweep'>;
type EndField = 'alignTrain' | 'alignTestPop' | 'testMse' | 'testLossOverVar' | 'trainMse' | 'lambdaEnd';
/** A sweep run that did not diverge: its end-of-run measurements exist. */
export type SweepTrace = SweepRecord & { summary: { [K in EndField]: number } };
/** The run did not diverge, so its end-of-run measurements exist. */
export const notDiverged = (t: SweepRecord): t is SweepTrace => t.summary.divergedAt === null;
export type GdCatapultTrace = TraceOf<'agop-gd-catapults'>;

/** Summary keys of a trace type whose values are numbers (or null, for `N = null`). */
type NumericKey<T extends { summary: object }, N = never> = {
  [K in keyof T['summary']]-?: T['summary'][K] extends number | N ? K : never;
}[keyof T['summary']] &
  string;

// ---------------------------------------------------------------- the batch sweep

/** All sweep runs of one task (the noise control apart), diverged ones included. */
export function sweepRecords(task: Task): SweepRecord[] {
  return nonEmpty(
    getTraces(SWEEP_EXP).filter((t) => t.summary.task === task && !t.summary.control),
    `${SWEEP_EXP} runs of ${task}`,
  );
}

/** The sweep runs of one task that did not diverge (the noise control apart). */
export function sweepRuns(task: Task): SweepTrace[] {
  return sweepRecords(task).filter(notDiverged);
}

/** Batch sizes of the sweep, largest (GD) first. */
export function batchSizes(): number[] {
  return [
    ...new Set(
      getTraces(SWEEP_EXP)
        .filter((t) => !t.summary.control)
        .map((t) => t.summary.batchSize),
    ),
  ].sort((a, b) => b - a);
}

/** A run ended by the stop rule, not by its cap or by diverging. */
const finished = (t: SweepRecord): t is SweepTrace => notDiverged(t) && t.summary.stopReason === 'converged';

export interface BatchRow {
  b: number;
  /** Runs that met the stop rule (the statistics are over these), runs that hit their cap, runs that diverged. */
  seeds: number;
  capped: number;
  diverged: number;
  align: MeanStdText;
  testLoss: MeanStdText;
  testLossOverVar: MeanStdText;
  /** Catapults on the sampled training loss (a lower bound), and at every step for the seeds that have it. */
  catapults: MeanStdText;
  catapultsEveryStep: { values: number[]; seeds: number[] };
  etaOverMedianBatchCrit: number;
  /** Mean fraction of random batches at initialisation whose critical rate is below η̄. */
  fracBatchesBelowEta: number;
  epochs: MeanStdText;
  steps: MeanStdText;
  paper?: { agopAlignment: number; testLoss: number };
}

/**
 * Mean ± std over finished runs of one group of sweep traces, as a table row (pure: tests pass
 * constructed traces). Capped and diverged runs are counted, not averaged.
 */
export function rowOf(b: number, all: SweepRecord[], paper?: { agopAlignment: number; testLoss: number }): BatchRow {
  const r = all.filter(finished);
  const diverged = all.filter((t) => !notDiverged(t)).length;
  const every = all.filter((t) => t.summary.catapultsEveryStep !== null).sort((x, y) => x.seed - y.seed);
  const mean = (f: (t: SweepRecord) => number) => all.reduce((s, t) => s + f(t), 0) / all.length;
  return {
    b,
    seeds: r.length,
    capped: all.length - r.length - diverged,
    diverged,
    align: meanStdText(r.map((t) => t.summary.alignTrain)),
    testLoss: meanStdText(r.map((t) => t.summary.testMse)),
    testLossOverVar: meanStdText(r.map((t) => t.summary.testLossOverVar)),
    catapults: meanStdText(
      r.map((t) => t.summary.catapults),
      1,
    ),
    catapultsEveryStep: { values: every.map((t) => need(t, 'catapultsEveryStep')), seeds: every.map((t) => t.seed) },
    etaOverMedianBatchCrit: mean((t) => t.summary.etaOverMedianBatchCrit),
    fracBatchesBelowEta: mean((t) => t.summary.fracBatchesBelowEta),
    epochs: meanStdText(
      r.map((t) => t.summary.epochs),
      1,
    ),
    steps: meanStdText(
      r.map((t) => t.summary.steps),
      0,
    ),
    paper,
  };
}

/** Per batch size, mean ± std over the seeds that met the stop rule (with the paper's numbers for rank-2). */
export function batchTable(task: Task): BatchRow[] {
  const runs = sweepRecords(task);
  return batchSizes().map((b) => {
    const r = nonEmpty(
      runs.filter((t) => t.summary.batchSize === b),
      `${SWEEP_EXP} runs of ${task} at batch size ${b}`,
    );
    const paper = task === 'rank2' ? PAPER_RANK2_BATCH_TABLE.find((p) => p.batchSize === b) : undefined;
    return rowOf(b, r, paper ? { agopAlignment: paper.agopAlignment, testLoss: paper.testLoss } : undefined);
  });
}

/** The noise control of one task: SGD at a small batch with η̄ below every drawn batch's critical rate. */
export interface ControlRow extends BatchRow {
  etaOverFullCrit: number;
  /** Largest η̄ / η̄_crit,B over all steps and seeds, and the number of steps at or above 1. */
  maxEtaOverBatchCrit: number;
  stepsAboveBatchCrit: number;
  /** Paired with GD by seed: mean (control − GD) alignment and test MSE / Var f*, with the noise band (pairedBand). */
  vsGd: {
    align: { mean: number; band: number; se: number };
    testOverVar: { mean: number; band: number; se: number };
    seeds: number;
  };
}

/** Id of the noise-control experiment (the sweep's control alone, at a lower η̄). */
export const NOISE_EXP = 'agop-noise-control';

/** Noise-control runs of a task from the sweep (its first try) or from agop-noise-control. */
function controlRuns(task: Task, exp: typeof SWEEP_EXP | typeof NOISE_EXP): SweepRecord[] {
  return nonEmpty(
    getTraces(exp).filter((t) => t.summary.task === task && t.summary.control),
    `${exp} noise-control runs of ${task}`,
  );
}

/** The sweep's own control (η̄ of its profile): how often a drawn batch reached its critical rate. */
export function sweepControlAttempt(task: Task) {
  const runs = controlRuns(task, SWEEP_EXP);
  return {
    etaOverFullCrit: runs[0].summary.etaOverFullCrit,
    stepsAbove: runs.reduce((s, t) => s + need(t, 'stepsAboveBatchCrit'), 0),
    steps: runs.reduce((s, t) => s + t.summary.steps, 0),
    maxRatio: Math.max(...runs.map((t) => need(t, 'maxEtaOverBatchCrit'))),
  };
}

/** The control row of a task (agop-noise-control), with its comparison to the sweep's GD on the same seeds. */
export function controlRow(task: Task): ControlRow {
  const runs = controlRuns(task, NOISE_EXP);
  const row = rowOf(runs[0].summary.batchSize, runs);
  const gd = sweepRuns(task).filter((t) => t.summary.batchSize === batchSizes()[0] && finished(t));
  const pairs = runs
    .filter(finished)
    .map((c) => ({ c, g: gd.find((g) => g.seed === c.seed) }))
    .filter((p): p is { c: SweepTrace; g: SweepTrace } => p.g !== undefined);
  const diff = (f: (t: SweepTrace) => number) => {
    const m = meanStd(pairs.map((p) => f(p.c) - f(p.g)));
    return { mean: m.mean, band: pairedBand(m.std, m.n), se: m.n > 1 ? m.std / Math.sqrt(m.n) : 0 };
  };
  return {
    ...row,
    etaOverFullCrit: runs[0].summary.etaOverFullCrit,
    maxEtaOverBatchCrit: Math.max(...runs.map((t) => need(t, 'maxEtaOverBatchCrit'))),
    stepsAboveBatchCrit: runs.reduce((s, t) => s + need(t, 'stepsAboveBatchCrit'), 0),
    vsGd: {
      align: diff((t) => t.summary.alignTrain),
      testOverVar: diff((t) => t.summary.testLossOverVar),
      seeds: pairs.length,
    },
  };
}

/**
 * The noise control's alignment against GD's, paired by seed: above or below by more than the noise
 * band of the paired difference (pairedBand; two standard errors before the rule was tightened), else within. The one home of that rule (the report's
 * status, the chapter's sentences).
 */
export function controlVsGd(k: ControlRow): 'above' | 'below' | 'within' {
  const d = k.vsGd.align;
  return d.mean > d.band ? 'above' : d.mean < -d.band ? 'below' : 'within';
}

/**
 * The ordering rule (batchOrdering.ts) for one metric of one task, over the seeds whose runs met the
 * stop rule at every batch size; the paper's rank-2 numbers decide which ties are accepted.
 */
export function batchOrdering(
  task: Task,
  key: 'alignTrain' | 'testMse' | 'catapults',
  increasing: boolean,
): OrderingResult & { seeds: number[] } {
  const runs = sweepRuns(task);
  const bs = batchSizes();
  const seeds = [...new Set(runs.map((t) => t.seed))]
    .sort((a, b) => a - b)
    .filter((s) => bs.every((b) => runs.some((t) => t.seed === s && t.summary.batchSize === b && finished(t))));
  const at = (b: number, s: number) =>
    findRun(runs, `of ${task}, seed ${s}, batch size ${b}`, (t) => t.seed === s && t.summary.batchSize === b).summary[
      key
    ];
  const values = new Map(bs.map((b) => [b, seeds.map((s) => at(b, s))]));
  const paperKey = key === 'alignTrain' ? 'agopAlignment' : key === 'testMse' ? 'testLoss' : null;
  const paper = new Map<number, number>(
    task === 'rank2' && paperKey ? PAPER_RANK2_BATCH_TABLE.map((p) => [p.batchSize, p[paperKey]]) : [],
  );
  return { ...orderingStatus(values, increasing, paper, key === 'catapults'), seeds };
}

/** Pearson r of AGOP alignment and test MSE / Var f* over every finished sweep run, and per task. */
export function alignmentCorrelation(): { r: number; per: { task: Task; r: number }[] } {
  const all = getTraces(SWEEP_EXP)
    .filter(finished)
    .filter((t) => !t.summary.control);
  const r = pearson(
    all.map((t) => t.summary.alignTrain),
    all.map((t) => t.summary.testLossOverVar),
  );
  const per = (['rank2', 'rank4'] as const).map((task) => {
    const rr = sweepRuns(task).filter(finished);
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
  /** Training MSE at the last step: every schedule runs the same number of steps, so a high one means unfinished. */
  trainMse: ReturnType<typeof meanStd>;
  /** GD steps every run of the schedule took (its config's `steps`). */
  steps: number;
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
      trainMse: meanStd(ok.map((t) => need(t, 'trainMse'))),
      steps: rs[0].config.steps,
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
 * Where the schedules stand after their fixed number of steps: each one's mean final training MSE.
 * The end values compare runs at different training losses; this says how different.
 */
export function endTrainMseText(stats: GdScheduleStats[]): string {
  const st = (k: GdCatapultKind) => scheduleStats(stats, k);
  return `after ${st('below').steps} steps the training MSE is ${sig(st('below').trainMse.mean, 2)} below η_crit, ${sig(st('above').trainMse.mean, 2)} with the catapult and ${sig(st('ladder').trainMse.mean, 2)} with the ladder`;
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
