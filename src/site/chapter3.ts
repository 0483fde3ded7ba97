/**
 * Chapter 3's numbers and figure specs from the agop-batch-sweep traces: per-batch-size tables
 * (mean ± std over seeds) beside the paper's rank-2 table, the alignment–test-loss scatter with its
 * correlation, catapult counts, and per-seed orderings for the Reproduction report.
 */
import { getTraces, type Trace } from './traces';
import { getExperiment } from '../experiments/registry';
import { meanStd } from './claims/types';
import { PAPER_RANK2_BATCH_TABLE } from './paperNumbers';
import type { FigureSpec } from './figure';

const EXP = 'agop-batch-sweep';
const num = (t: Trace, k: string) => t.summary[k] as number;

/** All sweep runs of one task. */
export function sweepRuns(task: 'rank2' | 'rank4'): Trace[] {
  return getTraces(EXP).filter((t) => t.summary.task === task);
}

/** Batch sizes of the sweep, largest (GD) first. */
export function batchSizes(): number[] {
  return [...new Set(getTraces(EXP).map((t) => num(t, 'batchSize')))].sort((a, b) => b - a);
}

export interface BatchRow {
  b: number;
  seeds: number;
  align: ReturnType<typeof meanStd>;
  testLoss: ReturnType<typeof meanStd>;
  testLossOverVar: ReturnType<typeof meanStd>;
  catapults: ReturnType<typeof meanStd>;
  etaOverMedianBatchCrit: number;
  epochs: ReturnType<typeof meanStd>;
  paper?: { agopAlignment: number; testLoss: number };
}

/** Per batch size, mean ± std over seeds (with the paper's numbers for rank-2). */
export function batchTable(task: 'rank2' | 'rank4'): BatchRow[] {
  const runs = sweepRuns(task);
  return batchSizes().map((b) => {
    const r = runs.filter((t) => num(t, 'batchSize') === b);
    const paper = task === 'rank2' ? PAPER_RANK2_BATCH_TABLE.find((p) => p.batchSize === b) : undefined;
    return {
      b,
      seeds: r.length,
      align: meanStd(r.map((t) => num(t, 'alignTrain'))),
      testLoss: meanStd(r.map((t) => num(t, 'testMse'))),
      testLossOverVar: meanStd(r.map((t) => num(t, 'testLossOverVar'))),
      catapults: meanStd(r.map((t) => num(t, 'catapults')), 1),
      etaOverMedianBatchCrit: r.reduce((s, t) => s + num(t, 'etaOverMedianBatchCrit'), 0) / r.length,
      epochs: meanStd(r.map((t) => num(t, 'epochs')), 1),
      paper: paper ? { agopAlignment: paper.agopAlignment, testLoss: paper.testLoss } : undefined,
    };
  });
}

/** Pearson correlation of two equal-length samples. */
export function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** For each seed, whether a metric is monotone in batch size (smaller batch → larger if `increasing`); strict or allowing ties. */
export function monotoneSeeds(task: 'rank2' | 'rank4', key: string, increasing: boolean, strict = true): { holds: number; seeds: number } {
  const runs = sweepRuns(task);
  const seeds = [...new Set(runs.map((t) => t.seed))];
  const bs = batchSizes(); // descending
  let holds = 0;
  for (const s of seeds) {
    const vals = bs.map((b) => num(runs.find((t) => t.seed === s && num(t, 'batchSize') === b)!, key));
    // Non-strict: ties allowed between neighbours, but the smallest batch must beat GD.
    const step = (v: number, u: number) => (strict ? (increasing ? v > u : v < u) : increasing ? v >= u : v <= u);
    const ends = increasing ? vals[vals.length - 1] > vals[0] : vals[vals.length - 1] < vals[0];
    const ok = vals.every((v, i) => i === 0 || step(v, vals[i - 1])) && ends;
    if (ok) holds++;
  }
  return { holds, seeds: seeds.length };
}

const paperProfile = () => getExperiment(EXP).profiles.paper as Record<string, unknown>;

/** Scatter of test loss / Var(f*) against AGOP alignment, all runs, one series per task. */
export function scatterFigure() {
  const all = getTraces(EXP);
  const tasks = ['rank2', 'rank4'] as const;
  const r = pearson(all.map((t) => num(t, 'alignTrain')), all.map((t) => num(t, 'testLossOverVar')));
  const per = tasks.map((task) => {
    const rr = sweepRuns(task);
    return { task, r: pearson(rr.map((t) => num(t, 'alignTrain')), rr.map((t) => num(t, 'testLossOverVar'))) };
  });
  const spec: FigureSpec = {
    width: 420,
    height: 300,
    panels: [
      {
        title: 'Test loss vs AGOP alignment (every run)',
        xLabel: 'AGOP alignment cos(G, G*)',
        yLabel: 'test MSE / Var f*',
        series: tasks.map((task, i) => {
          const rr = sweepRuns(task);
          return { name: task, x: rr.map((t) => num(t, 'alignTrain')), y: rr.map((t) => num(t, 'testLossOverVar')), points: true, color: i };
        }),
      },
      {
        title: 'Catapults per run vs batch size',
        xLabel: 'batch size',
        xScale: 'log',
        yLabel: 'detected catapults',
        series: tasks.map((task, i) => {
          const rr = sweepRuns(task);
          return { name: task, x: rr.map((t) => num(t, 'batchSize')), y: rr.map((t) => num(t, 'catapults')), points: true, color: i };
        }),
      },
    ],
  };
  return {
    spec,
    r,
    per,
    caption: `Every run of the sweep (${all.length} runs: ${tasks.join(', ')}, batch sizes ${batchSizes().join(', ')}, ${new Set(all.map((t) => t.seed)).size} seeds).`,
    alt: `Test loss falls as AGOP alignment rises: Pearson r = ${r.toFixed(2)} over all runs (${per.map((p) => `${p.task} ${p.r.toFixed(2)}`).join(', ')}). Smaller batches produce more catapults.`,
    settings: { 'agop-batch-sweep (paper profile)': paperProfile() },
    experiment: EXP,
    data: { runs: all.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** Training curves of seed 0 on rank-2: full-train loss with catapult peaks, and alignment, for GD and the smallest batch. */
export function curvesFigure() {
  const bs = batchSizes();
  const pickRun = (b: number) => sweepRuns('rank2').find((t) => t.seed === 0 && num(t, 'batchSize') === b)!;
  const small = pickRun(bs[bs.length - 1]);
  const gd = pickRun(bs[0]);
  const peaks = small.series.catapultPeaks;
  const peakLoss = peaks.map((p) => small.series.trainLoss[small.series.step.indexOf(p)] ?? null);
  const spec: FigureSpec = {
    width: 420,
    height: 280,
    panels: [
      {
        title: `Full training loss, batch ${num(small, 'batchSize')} (seed 0)`,
        xLabel: 'step',
        yLabel: '½Σ(f−y)² on all 2000 points',
        yScale: 'log',
        series: [
          { name: `b = ${num(small, 'batchSize')}`, x: small.series.step, y: small.series.trainLoss, color: 1 },
          { name: 'detected catapult', x: peaks, y: peakLoss, points: true, color: 3 },
        ],
      },
      {
        title: 'AGOP alignment during training',
        xLabel: 'step',
        yLabel: 'cos(G, G*)',
        series: [
          { name: `b = ${num(small, 'batchSize')}`, x: small.series.alignStep, y: small.series.align, color: 1 },
          { name: `GD (b = ${num(gd, 'batchSize')})`, x: gd.series.alignStep, y: gd.series.align, color: 0, dashed: true },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `One rank-2 run (seed 0) with batch size ${num(small, 'batchSize')}, and GD from the same data and initialisation, at the same mean-loss learning rate η̄ = ${num(small, 'etaMean').toPrecision(3)} (${num(small, 'etaOverFullCrit')} of the full-set critical rate, ${num(small, 'etaOverMedianBatchCrit').toFixed(2)} of the median batch-${num(small, 'batchSize')} critical rate). The full training loss is evaluated every ${num(small, 'lossEvery')} steps.`,
    alt: `The small-batch run shows ${num(small, 'catapults')} detected catapults and ends at alignment ${num(small, 'alignTrain').toFixed(2)}; GD, with no catapult, ends at ${num(gd, 'alignTrain').toFixed(2)}.`,
    settings: { 'agop-batch-sweep (paper profile)': paperProfile(), runs: [small.runKey, gd.runKey] },
    experiment: EXP,
    data: { small: small.summary, gd: gd.summary },
  };
}

/** 10×10 top-left AGOP blocks (true, GD, smallest batch; rank-2 seed 0), each scaled to [0, 1] by its max. */
export function agopPictures() {
  const bs = batchSizes();
  const pickRun = (b: number) => sweepRuns('rank2').find((t) => t.seed === 0 && num(t, 'batchSize') === b)!;
  const gd = pickRun(bs[0]);
  const small = pickRun(bs[bs.length - 1]);
  const scale = (xs: number[]) => {
    const mx = Math.max(...xs.map(Math.abs));
    return xs.map((x) => Math.abs(x) / mx);
  };
  return {
    panels: [
      { title: 'true AGOP (empirical)', values: scale(gd.series.trueAgopBlock) },
      { title: `GD (b = ${num(gd, 'batchSize')}), alignment ${num(gd, 'alignTrain').toFixed(2)}`, values: scale(gd.series.agopBlock) },
      { title: `SGD b = ${num(small, 'batchSize')}, alignment ${num(small, 'alignTrain').toFixed(2)}`, values: scale(small.series.agopBlock) },
    ],
    runs: [gd.runKey, small.runKey],
  };
}
