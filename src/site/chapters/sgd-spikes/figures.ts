/**
 * Chapter 2 (loss spikes in SGD): figure props for <Figure>, from the sgd-spike-anatomy,
 * deep-fcn-gd, multi-catapult and kernel-drops traces. Captions and alt texts quote measured
 * numbers from the same traces (via ./readouts.ts).
 */
import { getTraces, need, nonEmpty, type TraceOf } from '../../traces';
import type { FigureSpec, PanelSpec } from '../../figure';
import { mseFromHalfSum } from '../../../lib/criticalLearningRate';
import { recordedSettings, pct, present, sig } from '../common';
import {
  anatomyRuns,
  batchPlShares,
  deepFcnRuns,
  KERNEL_DROP_ORDER,
  kernelDropTable,
  ladderRuns,
  seed0,
  spikeStartStats,
} from './readouts';

// ---------------------------------------------------------------- figure 1: anatomy of an SGD spike

/** Figure 1: full and batch loss; η̄ against each batch's critical rate; PL_5 / PL_5^⊥ of the batch through the largest spike. */
export function anatomyFigure() {
  const { small, large } = anatomyRuns();
  const s = seed0(small);
  const l = seed0(large);
  const n = l.config.n;
  const b = l.config.batchSize;
  const crit = l.summary.etaCrit;
  const mse = (xs: number[], k: number) => xs.map((v) => mseFromHalfSum(v, k));
  const ls = l.series;
  const peakLoss = ls.spikePeak.map((p) => mseFromHalfSum(ls.trainLoss[ls.step.indexOf(p)], n));
  const startCrit = ls.spikeStart.map((p) => ls.batchCrit[ls.step.indexOf(p)] / crit);
  // Window around the largest spike for the projected-loss panel.
  const big = ls.spikeRatio.length ? ls.spikeRatio.indexOf(Math.max(...ls.spikeRatio)) : -1;
  const lo = big >= 0 ? Math.max(0, ls.spikeStart[big] - 8) : 0;
  const hi = big >= 0 ? Math.min(ls.step.length - 1, ls.spikeEnd[big] + 8) : Math.min(40, ls.step.length - 1);
  const win = (xs: number[]) => xs.slice(lo, hi + 1);
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Training loss (all n points) and batch loss',
        xLabel: 'step',
        yLabel: 'mean squared error',
        yScale: 'log',
        series: [
          { name: `batch loss, η̄ = ${l.summary.etaRatio}`, x: ls.step, y: mse(ls.batchLoss, b), color: 1, faint: true },
          { name: `full loss, η̄ = ${s.summary.etaRatio}`, x: s.series.step, y: mse(s.series.trainLoss, n), color: 0 },
          { name: `full loss, η̄ = ${l.summary.etaRatio}`, x: ls.step, y: mse(ls.trainLoss, n), color: 1 },
          { name: 'detected spike (peak)', x: ls.spikePeak, y: peakLoss, points: true, color: 3 },
        ],
      },
      {
        title: 'η̄ against each batch’s critical rate',
        xLabel: 'step',
        yLabel: 'rate / full-set critical rate',
        series: [
          { name: 'batch critical rate', x: ls.step, y: ls.batchCrit.map((c) => c / crit), points: true, color: 1 },
          { name: 'spike start', x: ls.spikeStart, y: startCrit, points: true, color: 3 },
        ],
        hlines: [
          { value: l.summary.etaRatio, label: `η̄ = ${l.summary.etaRatio}` },
          { value: 1, label: 'full-set critical rate' },
        ],
      },
      {
        title: `Batch loss in and outside the top-${l.config.plS} batch eigenspace`,
        xLabel: 'step',
        yLabel: 'part of the batch MSE',
        yScale: 'log',
        series: [
          { name: `PL_${l.config.plS}`, x: win(ls.step), y: win(ls.pl), color: 1 },
          { name: `PL_${l.config.plS}^⊥`, x: win(ls.step), y: win(ls.plPerp), color: 0, dashed: true },
        ],
        vlines: big >= 0 ? [{ value: ls.spikePeak[big], label: 'peak' }] : [],
      },
    ],
  };
  const st = spikeStartStats(large);
  const sh = batchPlShares(large);
  return {
    spec,
    caption: `SGD at two rates below the full-set critical rate: loss, batch critical rates, PL_${l.config.plS} across the largest spike.`,
    finding: `At the lower η̄ seed 0 has no spike; at the higher, ${st.startAbove} of ${st.seeds} seeds' ${st.spikes} spikes start where the batch is above its critical rate (true of ${pct(st.baseRate)} of steps).`,
    setup: `Mean-loss SGD with batch size ${b} on rank-2 data (n = ${n}, d = ${l.config.d}) with the shallow ReLU net (m = ${l.config.m}), seed 0, at η̄ = ${s.summary.etaRatio} and η̄ = ${l.summary.etaRatio} of the full-set critical rate 2n/λ_max(K(w_0)) (both below it: GD at either rate would stay linear). Second panel: each step's batch critical rate 2b/λ_max(K(X_B)) in the same units, for the η̄ = ${l.summary.etaRatio} run. Third panel: PL_${l.config.plS} and PL_${l.config.plS}^⊥ of the batch residual (top-${l.config.plS} eigenvectors of K(X_B)) through the run's largest spike.`,
    alt: `At η̄ = ${s.summary.etaRatio} no batch is above its critical rate and no spike is detected; at η̄ = ${l.summary.etaRatio} (median batch critical rate ${sig(l.summary.medianBatchCritOverCrit)}), seed 0 has ${l.summary.spikes} spikes. Over ${st.seeds} seeds, ${st.startAbove} of ${st.spikes} spikes start on a step whose batch is above its critical rate, while ${pct(st.baseRate)} of all steps are. At the spike peaks PL_${l.config.plS} holds ${pct(present(sh.peakMean, 'spike peak at the large rate'))} of the batch loss on average, against a median of ${pct(sh.medianAll)} over all steps.`,
    settings: {
      'sgd-spike-anatomy (as its traces record)': recordedSettings('sgd-spike-anatomy'),
      runs: [s.runKey, l.runKey],
      convention: 'SGD on the batch mean loss (1/2b)Σ(f−y)² at rate η̄; the ½Σ step is η̄/b',
    },
    experiment: 'sgd-spike-anatomy',
    data: { small: s.summary, large: l.summary, pooled: st, plShares: sh },
  };
}

// ---------------------------------------------------------------- figure 2: deep FCN under GD

/** Figure 2: loss, PL_5 / PL_5^⊥ and λ_max of the 5-layer FCN under GD. */
export function deepFcnFigure() {
  const runs = deepFcnRuns();
  const hiRun = runs[runs.length - 1];
  const s = hiRun.series;
  const S = hiRun.config.plS;
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Training loss',
        xLabel: 'step',
        yLabel: '½Σ(f−y)²',
        yScale: 'log',
        series: runs.map((t, i) => ({
          name: `η = ${t.summary.etaRatio} η_crit`,
          x: t.series.step,
          y: t.series.trainLoss,
          color: i,
        })),
      },
      {
        title: `PL_${S} and PL_${S}^⊥, η = ${hiRun.summary.etaRatio} η_crit`,
        xLabel: 'step',
        yLabel: 'part of the MSE',
        yScale: 'log',
        series: [
          { name: `PL_${S}`, x: s.measureStep, y: s.pl, color: 1 },
          { name: `PL_${S}^⊥`, x: s.measureStep, y: s.plPerp, color: 0, dashed: true },
        ],
      },
      {
        title: 'Top eigenvalue of the tangent kernel',
        xLabel: 'step',
        yLabel: 'λ_max(K)',
        series: runs.map((t, i) => ({
          name: `η = ${t.summary.etaRatio} η_crit`,
          x: t.series.measureStep,
          y: t.series.lambdaMax,
          color: i,
        })),
        hlines: runs.map((t) => ({
          value: 2 / (t.summary.etaRatio * t.summary.etaCrit),
          label: `2/η (${t.summary.etaRatio} η_crit)`,
        })),
      },
    ],
  };
  return {
    spec,
    caption: `Full-batch GD with a deep FCN on MNIST at two rates: the training loss, PL_${S} and PL_${S}^⊥, and λ_max(K) against 2/η.`,
    finding: `At ${hiRun.summary.etaRatio} η_crit the loss spikes ${hiRun.summary.spikes} times and λ_max falls from ${sig(hiRun.summary.lambda0)} to ${sig(hiRun.summary.lambdaEnd)}; at ${runs[0].summary.etaRatio} η_crit it grows to ${sig(runs[0].summary.lambdaEnd)}.`,
    setup: `Full-batch GD with the ${hiRun.summary.archSize} in NTK parameterisation on ${hiRun.summary.n} MNIST digits (14×14, parity labels), seed 0, at η = ${runs.map((t) => t.summary.etaRatio).join(' and ')} × η_crit(w_0) = 2/λ_max(K(w_0)). PL_${S} is the part of the training MSE along the top ${S} eigenvectors of the current kernel, measured every step for the first ${hiRun.config.denseSteps} steps, then every ${hiRun.config.every}.`,
    alt: `At ${hiRun.summary.etaRatio} η_crit the loss spikes ${hiRun.summary.spikes} times (largest ×${sig(need(hiRun, 'peakRatio'))} at step ${need(hiRun, 'peakStep')}, where PL_${S} holds ${pct(need(hiRun, 'plShareAtPeak'))} of the MSE); λ_max goes from ${sig(hiRun.summary.lambda0)} to ${sig(hiRun.summary.lambdaEnd)}, ending at η·λ_max/2 = ${sig(hiRun.summary.lambdaEndTimesEtaOver2)}. At ${runs[0].summary.etaRatio} η_crit, λ_max instead grows to ${sig(runs[0].summary.lambdaEnd)} (η·λ_max/2 = ${sig(runs[0].summary.lambdaEndTimesEtaOver2)}) with ${runs[0].summary.spikes} spikes.`,
    settings: {
      'deep-fcn-gd (as its traces record)': recordedSettings('deep-fcn-gd'),
      runs: runs.map((t) => t.runKey),
    },
    experiment: 'deep-fcn-gd',
    data: runs.map((t) => ({ runKey: t.runKey, summary: t.summary })),
  };
}

// ---------------------------------------------------------------- figure 3: multiple catapults

/** Figure 3: loss and λ_max with 2/η for each architecture under the learning-rate ladder. */
export function ladderFigure() {
  const runs = ladderRuns();
  const panels: PanelSpec[] = runs.flatMap((t, i) => {
    // A diverged run is drawn up to the step before it blew up (the caption gives the step).
    const stop = t.summary.divergedAt ?? Infinity;
    const upTo = (xs: number[], ys: number[]) => {
      const k = xs.findIndex((x) => x >= stop);
      return k < 0 ? { x: xs, y: ys } : { x: xs.slice(0, k), y: ys.slice(0, k) };
    };
    const loss = upTo(t.series.step, t.series.trainLoss);
    const lam = upTo(t.series.lambdaStep, t.series.lambdaMax);
    const lim = upTo(
      t.series.step,
      t.series.eta.map((e) => 2 / e),
    );
    return [
      {
        title: `${t.summary.arch}: training loss`,
        xLabel: 'step',
        yLabel: '½Σ(f−y)²',
        yScale: 'log' as const,
        series: [{ name: `${t.summary.arch} loss`, ...loss, color: i }],
        vlines: t.series.raiseSteps.map((s) => ({ value: s, label: 'raise' })),
      },
      {
        title: `${t.summary.arch}: λ_max(K) and 2/η`,
        xLabel: 'step',
        yLabel: 'eigenvalue',
        series: [
          { name: `${t.summary.arch} λ_max`, ...lam, color: i },
          { name: '2/η', ...lim, color: 7, dashed: true },
        ],
      },
    ];
  });
  const line = (t: (typeof runs)[number]) =>
    `${t.summary.arch}: ${t.summary.stagesWithLambdaDrop}/${t.summary.stagesComplete} raises lowered λ_max, η·λ_end/2 ≤ ${sig(need(t, 'maxStageEtaLambdaEndOver2'))}${t.summary.divergedAt !== null ? `, diverged at step ${t.summary.divergedAt}` : ''}`;
  const t0 = runs[0];
  return {
    spec: { panels },
    caption: `GD on MNIST, one row per architecture, with η raised above the current critical rate at fixed steps: the training loss, and λ_max(K) against 2/η.`,
    finding: `Over ${runs.length} architectures, ${runs.reduce((s, t) => s + t.summary.stagesWithLambdaDrop, 0)} of ${runs.reduce((s, t) => s + t.summary.stagesComplete, 0)} raises were followed by a lower λ_max.`,
    setup: `Full-batch GD on ${t0.summary.n} MNIST digits (14×14, parity labels), seed 0, for the ${runs.map((t) => t.summary.archSize).join('; the ')}. At steps ${t0.config.atSteps.join(', ')} η is set to ${t0.config.factor} × 2/λ_max(K(w_t)), above the critical rate of the current kernel; λ_max is measured every ${t0.config.lambdaEvery} steps.`,
    alt: `Per architecture, raises after which λ_max was lower: ${runs.map(line).join('; ')}.`,
    settings: {
      'multi-catapult (as its traces record)': recordedSettings('multi-catapult'),
      runs: runs.map((t) => t.runKey),
    },
    experiment: 'multi-catapult',
    data: runs.map((t) => ({
      runKey: t.runKey,
      summary: t.summary,
      stages: {
        eta: t.series.stageEta,
        lambdaStart: t.series.stageLambdaStart,
        lambdaEnd: t.series.stageLambdaEnd,
        etaLambdaEndOver2: t.series.stageEtaLambdaEnd,
        spikes: t.series.stageSpikes,
      },
    })),
  };
}

// ---------------------------------------------------------------- figure 4: spikes are drops of ‖K‖

/** Figure 4: per architecture, training loss with detected spikes and the probe-set λ_max (seed 0). */
export function kernelDropsFigure() {
  const all = getTraces('kernel-drops').filter((t) => t.seed === 0);
  const runs = nonEmpty(
    KERNEL_DROP_ORDER.map((a) => all.find((t) => t.summary.arch === a)).filter(
      (t): t is TraceOf<'kernel-drops'> => !!t,
    ),
    'kernel-drops runs of seed 0',
  );
  const panels: PanelSpec[] = runs.flatMap((t, i) => {
    const s = t.series;
    return [
      {
        title: `${t.summary.arch}: training loss`,
        xLabel: 'step',
        yLabel: '½Σ(f−y)²',
        yScale: 'log' as const,
        series: [
          { name: `${t.summary.arch} loss`, x: s.step, y: s.trainLoss, color: i },
          {
            name: 'spike peak',
            x: s.spikePeak,
            y: s.spikePeak.map((p) => s.trainLoss[s.step.indexOf(p)]),
            points: true,
            color: 3,
          },
        ],
      },
      {
        title: `${t.summary.arch}: λ_max(K) on the probe set`,
        xLabel: 'step',
        yLabel: 'λ_max',
        yScale: 'log' as const,
        series: [
          { name: `${t.summary.arch} λ_max`, x: s.lambdaStep, y: s.probeLambda, color: i },
          {
            name: 'spike peak',
            x: s.spikePeak,
            y: s.spikePeak.map((p) => nearestBefore(s.lambdaStep, s.probeLambda, p)),
            points: true,
            color: 3,
          },
        ],
      },
    ];
  });
  const rows = kernelDropTable();
  const t0 = runs[0];
  return {
    spec: { panels },
    caption: `SGD on MNIST, one row per architecture (seed 0): training loss with spikes, and λ_max(K) on a probe set.`,
    finding: `Spikes followed by a lower λ_max: ${rows.map((r) => `${r.arch} ${r.pooledDrops} of ${r.pooledSpikes}`).join(', ')}.`,
    setup: `Mean-loss SGD with batch size ${t0.config.batchSize} on ${t0.summary.n} MNIST digits (14×14, parity labels), seed 0, for each architecture at η̄ = ${t0.config.etaFactor} × its median batch critical rate at initialisation. λ_max of the tangent kernel on a fixed probe set of ${t0.config.probe} training points, every ${t0.config.lambdaEvery} steps; spikes from the detector on the full training loss.`,
    alt: `Fraction of spikes followed by a lower λ_max, mean over seeds: ${rows.map((r) => `${r.arch} ${r.dropFraction?.text ?? 'no spikes'} (${r.pooledDrops}/${r.pooledSpikes} spikes)`).join('; ')}.`,
    settings: {
      'kernel-drops (as its traces record)': recordedSettings('kernel-drops'),
      runs: runs.map((t) => t.runKey),
    },
    experiment: 'kernel-drops',
    data: { table: rows, runs: runs.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** The y at the last x ≤ `x` (null if none): the measurement in force at that step. */
function nearestBefore(xs: number[], ys: number[], x: number): number | null {
  let k = -1;
  for (let i = 0; i < xs.length && xs[i] <= x; i++) k = i;
  return k >= 0 ? ys[k] : null;
}
