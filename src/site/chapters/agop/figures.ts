/**
 * Chapter 3 (catapults teach features, AGOP): figure props for <Figure> (and the AGOP heatmap
 * figure's data), from the agop-batch-sweep and agop-gd-catapults traces. Captions and alt texts
 * quote measured numbers from the same traces (via ./readouts.ts).
 */
import { findRun, getTraces } from '../../traces';
import type { FigureSpec, SeriesSpec } from '../../figure';
import { countWord, recordedSettings, pm, seedCount, sig, taskName } from '../common';
import {
  alignmentCorrelation,
  batchOrdering,
  batchSizes,
  equalLossComparison,
  equalLossHolds,
  gdScheduleStats,
  ladderLifts,
  scheduleStats,
  seedsOrdered,
  sweepRun,
  sweepRuns,
  SWEEP_EXP as EXP,
} from './readouts';

/** Whether the mean sampled spike count grows as the batch shrinks, in each task, in words. */
function spikeOrderText(): string {
  const tasks = ['rank2', 'rank4'] as const;
  const more = tasks.filter((task) => {
    const means = batchSizes().map((b) => sweepRuns(task).filter((t) => t.summary.batchSize === b));
    const avg = means.map((rr) => rr.reduce((s, t) => s + t.summary.catapults, 0) / rr.length);
    return avg.every((v, i) => i === 0 || v >= avg[i - 1]);
  });
  return more.length === tasks.length
    ? 'Smaller batches give no fewer loss spikes on the sampled loss (spikes, not catapults: the catapult-removal test counts both).'
    : `Smaller batches do not always give more loss spikes on the sampled loss (${tasks
        .filter((t) => !more.includes(t))
        .map(taskName)
        .join(', ')}).`;
}

/** The scatter's finding, from the sweep's ordering statuses: where smaller batches end with higher alignment and lower test loss. */
function scatterFinding(): string {
  const tasks = ['rank2', 'rank4'] as const;
  const holds = (t: (typeof tasks)[number]) =>
    batchOrdering(t, 'alignTrain', true).status === 'reproduced' &&
    batchOrdering(t, 'testMse', false).status === 'reproduced';
  const yes = tasks.filter(holds).map(taskName);
  const no = tasks.filter((t) => !holds(t)).map(taskName);
  if (no.length === 0) return 'Smaller batches end further right (higher alignment) and lower (lower test loss).';
  if (yes.length === 0) return 'Smaller batches do not consistently end with a higher alignment and a lower test loss.';
  return `On ${yes.join(' and ')}, smaller batches end further right (higher alignment) and lower (lower test loss); on ${no.join(' and ')} not consistently.`;
}

/**
 * Scatter of test loss / Var(f*) against AGOP alignment, every run: one panel per task, one colour
 * and marker per batch size (the same in both panels), so that "smaller batch, further right and
 * lower" is visible at a glance.
 */
export function scatterFigure() {
  const tasks = ['rank2', 'rank4'] as const;
  const all = tasks.flatMap((t) => sweepRuns(t));
  const { r, per } = alignmentCorrelation();
  const bs = batchSizes();
  const batchName = (b: number) => (b === bs[0] ? `GD (batch ${b})` : `batch ${b}`);
  const spec: FigureSpec = {
    panels: tasks.map((task) => ({
      title: `${taskName(task)}: test loss vs AGOP alignment`,
      xLabel: 'AGOP alignment cos(G, G*)',
      yLabel: 'test MSE / Var f*',
      series: bs.map((b, i) => {
        const rr = sweepRuns(task).filter((t) => t.summary.batchSize === b);
        return {
          name: batchName(b),
          x: rr.map((t) => t.summary.alignTrain),
          y: rr.map((t) => t.summary.testLossOverVar),
          pointLabels: rr.map((t) => t.runKey),
          points: true,
          color: i,
          legend: task === tasks[0],
        };
      }),
    })),
  };
  return {
    spec,
    r,
    per,
    caption: `${scatterFinding()} One marker per run.`,
    finding: `Test loss falls as AGOP alignment rises: Pearson r = ${r.toFixed(2)} over all runs.`,
    alt: `Test loss falls as AGOP alignment rises: Pearson r = ${r.toFixed(2)} over all runs (${per.map((p) => `${taskName(p.task)} ${p.r.toFixed(2)}`).join(', ')}). ${spikeOrderText()}`,
    setup: `Every run of the sweep: ${all.length} runs, batch sizes ${bs.join(', ')}, ${seedCount(all)} seeds.`,
    settings: { 'agop-batch-sweep (as its traces record)': recordedSettings(EXP) },
    experiment: EXP,
    data: { runs: all.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** Training curves of seed 0 on rank-2: full-train loss with catapult peaks, and alignment, for GD and the smallest batch. */
export function curvesFigure() {
  const bs = batchSizes();
  const small = sweepRun(bs[bs.length - 1]);
  const gd = sweepRun(bs[0]);
  const peaks = small.series.catapultPeaks;
  const peakLoss = peaks.map((p) => small.series.trainLoss[small.series.step.indexOf(p)] ?? null);
  const spec: FigureSpec = {
    panels: [
      {
        title: `Full training loss, batch ${small.summary.batchSize} (seed 0)`,
        xLabel: 'step',
        yLabel: `½Σ(f−y)² on all ${small.config.n} points`,
        yScale: 'log',
        series: [
          { name: `b = ${small.summary.batchSize}`, x: small.series.step, y: small.series.trainLoss, color: 1 },
          { name: 'detected spike', x: peaks, y: peakLoss, points: true, color: 3 },
        ],
      },
      {
        title: 'AGOP alignment during training',
        xLabel: 'step',
        yLabel: 'cos(G, G*)',
        series: [
          { name: `b = ${small.summary.batchSize}`, x: small.series.alignStep, y: small.series.align, color: 1 },
          {
            name: `GD (b = ${gd.summary.batchSize})`,
            x: gd.series.alignStep,
            y: gd.series.align,
            color: 0,
            dashed: true,
          },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `One rank-2 run with batch ${small.summary.batchSize} and GD from the same start at the same rate: the full training loss and the AGOP alignment.`,
    setup: `One rank-2 run (seed 0) with batch size ${small.summary.batchSize}, and GD from the same data and initialisation, at the same mean-loss learning rate η̄ = ${small.summary.etaMean.toPrecision(3)} (${small.summary.etaOverFullCrit} of the full-set critical rate, ${small.summary.etaOverMedianBatchCrit.toFixed(2)} of the median batch-${small.summary.batchSize} critical rate). The full training loss is evaluated every ${small.summary.lossEvery} steps.`,
    alt: `The small-batch run shows ${small.summary.catapults} detected loss spikes and ends at alignment ${small.summary.alignTrain.toFixed(2)}; GD, with no spike, ends at ${gd.summary.alignTrain.toFixed(2)}.`,
    settings: { 'agop-batch-sweep (as its traces record)': recordedSettings(EXP), runs: [small.runKey, gd.runKey] },
    experiment: EXP,
    data: { small: small.summary, gd: gd.summary },
  };
}

/**
 * The AGOP heatmap figure: 10×10 top-left AGOP blocks (true, GD, smallest batch; rank-2 seed 0),
 * each scaled to [0, 1] by its max, with the numbers its caption quotes.
 */
export function agopHeatmapFigure() {
  const bs = batchSizes();
  const gd = sweepRun(bs[0]);
  const small = sweepRun(bs[bs.length - 1]);
  const scale = (xs: number[]) => {
    const mx = Math.max(...xs.map(Math.abs));
    return xs.map((x) => Math.abs(x) / mx);
  };
  const panels = [
    { title: 'true AGOP (empirical)', values: scale(gd.series.trueAgopBlock) },
    {
      title: `GD (b = ${gd.summary.batchSize}), alignment ${gd.summary.alignTrain.toFixed(2)}`,
      values: scale(gd.series.agopBlock),
    },
    {
      title: `SGD b = ${small.summary.batchSize}, alignment ${small.summary.alignTrain.toFixed(2)}`,
      values: scale(small.series.agopBlock),
    },
  ];
  const k = Math.round(Math.sqrt(panels[0].values.length));
  // Largest entry outside the x1, x2 block and off the diagonal.
  const offDiag = (xs: number[]) =>
    xs.reduce(
      (acc, x, i) => (i % k === Math.floor(i / k) || (i % k < 2 && Math.floor(i / k) < 2) ? acc : Math.max(acc, x)),
      0,
    );
  const g = panels[1].values;
  const sm = panels[2].values;
  // Where the two AGOPs differ, entry by entry (each already scaled by its own largest entry).
  const diff = g.map((x, i) => Math.abs(sm[i] - x));
  const diffMax = Math.max(...diff);
  const difference = {
    title: `|SGD − GD|, largest ${diffMax.toFixed(2)}`,
    values: diff.map((x) => (diffMax > 0 ? x / diffMax : 0)),
  };
  return {
    panels: [...panels, difference],
    diffMax,
    runs: [gd.runKey, small.runKey],
    k,
    offDiagGd: offDiag(g),
    offDiagSmall: offDiag(sm),
    // G[3,3]: the first coordinate the target does not use
    g33Gd: g[2 * k + 2],
    g33Small: sm[2 * k + 2],
  };
}

/** GD with catapults (agop-gd-catapults, seed 0): loss with detected catapults, alignment and test loss for η below, above η_crit and the ladder; caption numbers over seeds. */
export function gdCatapultsFigure() {
  const GD_EXP = 'agop-gd-catapults';
  const traces = getTraces(GD_EXP);
  const stats = gdScheduleStats(traces);
  const lifts = ladderLifts(traces);
  const ordered = seedsOrdered(traces, 'alignEnd', ['below', 'above'], true);
  const eq = equalLossComparison(traces, 'above');
  const eqHolds = equalLossHolds(eq);
  const kinds = ['below', 'above', 'ladder'] as const;
  const seed0 = (kind: (typeof kinds)[number]) =>
    findRun(traces, `of seed 0 with the ${kind} schedule`, (t) => t.seed === 0 && t.summary.kind === kind);
  const st = (k: (typeof kinds)[number]) => scheduleStats(stats, k);
  // Short legend names (the caption and settings give the full schedules).
  const name = (k: (typeof kinds)[number]) =>
    k === 'ladder' ? `ladder ×${st(k).etaRatio}` : `${st(k).etaRatio} η_crit`;
  const f2 = (x: number | null) => (x === null ? '—' : x.toFixed(2));
  const ladder = seed0('ladder');
  const raises = ladder.series.raiseSteps.filter((s) => s > 0);
  const lossSeries: SeriesSpec[] = kinds.map((k, i) => ({
    name: name(k),
    x: seed0(k).series.step,
    y: seed0(k).series.trainLoss,
    color: i,
  }));
  // One marker series for all detected catapult peaks (each schedule's peaks in its own trace).
  const peakPts = kinds.flatMap((k) => {
    const t = seed0(k);
    return t.series.catapultPeaks.map((s) => [s, t.series.trainLoss[t.series.step.indexOf(s)] ?? null] as const);
  });
  const peaks: SeriesSpec[] = peakPts.length
    ? [{ name: 'catapult', x: peakPts.map((p) => p[0]), y: peakPts.map((p) => p[1]), points: true, color: 3 }]
    : [];
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Full training loss ½Σ(f−y)²',
        xLabel: 'GD step',
        yLabel: 'loss',
        yScale: 'log',
        series: [...lossSeries, ...peaks],
        vlines: raises.map((s) => ({ value: s, label: 'raise' })),
      },
      {
        title: 'AGOP alignment cos(G, G*)',
        xLabel: 'GD step',
        yLabel: 'alignment',
        series: kinds.map((k, i) => ({
          name: name(k),
          x: seed0(k).series.alignStep,
          y: seed0(k).series.align,
          color: i,
        })),
        vlines: raises.map((s) => ({ value: s, label: 'raise' })),
      },
      {
        title: 'Test loss (MSE / Var f*)',
        xLabel: 'GD step',
        yLabel: 'test MSE / Var f*',
        yScale: 'log',
        series: kinds.map((k, i) => {
          const t = seed0(k);
          const v = t.summary.varTestY;
          return { name: name(k), x: t.series.alignStep, y: t.series.testLoss.map((x) => x / v), color: i };
        }),
      },
    ],
  };
  const cfg = traces[0].config;
  const schedules = new Set(traces.map((t) => t.config.kind)).size;
  const nSeeds = seedCount(traces);
  const divergedNote = stats.some((s) => s.diverged > 0)
    ? ` Diverged runs (excluded from the means): ${stats.map((s) => `${s.kind} ${s.diverged}`).join(', ')}.`
    : '';
  const caption = `Full-batch GD on rank-2, ${countWord(schedules)} rate schedules, seed 0; dashed lines: the ladder's raises.`;
  const below = st('below');
  const above = st('above');
  const finding = `After ${below.steps} steps the run below η_crit still has ${sig(below.trainMse.mean / above.trainMse.mean, 2)}× the catapult run's training MSE; at equal training loss the catapult run aligns better and tests lower in ${eqHolds} of ${eq.length} seeds.`;
  const setup =
    `Full-batch GD on rank-2 (n = ${cfg.n}, d = ${cfg.d}, width ${cfg.m}, ${cfg.steps} steps), same data and initialisation for the ${countWord(schedules)} schedules; curves for seed 0. ` +
    `Schedules: η = ${st('below').etaRatio} η_crit and η = ${st('above').etaRatio} η_crit (η_crit = 2/λ_max(K(w_0)) of the training set), and a ladder setting η = ${st('ladder').etaRatio} × 2/λ_max(K(w_t)) at steps ${ladder.series.raiseSteps.join(', ')} (dashed lines). ` +
    `Final alignment over ${nSeeds} seeds: ${kinds.map((k) => `${k} ${pm(st(k).alignEnd)}`).join(', ')}; ` +
    `test MSE / Var f*: ${kinds.map((k) => `${k} ${pm(st(k).testLossOverVar)}`).join(', ')}. ` +
    `λ_max(K) at the end over λ_max at the start: ${kinds.map((k) => `${k} ${pm(st(k).lambdaEndOverStart)}`).join(', ')}. ` +
    `The catapult run trains faster, so we also read it where its training loss first reaches the below run's final loss: alignment ` +
    `${eq.map((p) => `${f2(p.align)} vs ${f2(p.alignBelow)}`).join(', ')} and test MSE / Var f* ${eq.map((p) => `${f2(p.testLossOverVar)} vs ${f2(p.testLossOverVarBelow)}`).join(', ')} (seeds ${eq.map((p) => p.seed).join(', ')}; better with the catapult in ${eqHolds}/${eq.length}).` +
    divergedNote;
  const alt =
    `GD below η_crit trains without a spike and, after ${below.steps} steps, is at alignment ${f2(st('below').alignEnd.mean)} and training MSE ${sig(below.trainMse.mean, 2)}; one catapult at the start (η = ${st('above').etaRatio} η_crit) ends at ${f2(st('above').alignEnd.mean)} ` +
    `(higher in ${ordered.holds}/${ordered.seeds} seeds), and the ladder's ${lifts.catapults} catapults over ${nSeeds} seeds ended their stage with a higher alignment ${lifts.lifted} times, reaching ${f2(st('ladder').alignEnd.mean)}.`;
  return {
    spec,
    caption,
    finding,
    alt,
    setup,
    settings: { 'agop-gd-catapults (paper profile)': cfg, runs: kinds.map((k) => seed0(k).runKey) },
    experiment: GD_EXP,
    data: {
      stats,
      lifts,
      orderedAlignBelowAbove: ordered,
      equalLossAbove: eq,
      runs: traces.map((t) => ({ runKey: t.runKey, summary: t.summary })),
    },
  };
}
