/**
 * Chapter 2, "does the kernel flatten after a large SGD spike?": from the sgd-spike-kernel traces,
 * the spikes of 10× or more at the sweep's largest-spike settings, with the full-set λ_max(K) and the
 * median batch critical rate at each spike's start and after its end; the figure (the run with the
 * largest spike), the sentence and the report row.
 */
import { getTraces, nonEmpty, type TraceOf } from '../../traces';
import { recordedSettings, pct, sig } from '../common';
import type { FigureSpec } from '../../figure';
import type { Claim } from '../../claims/types';
import { sgdSpikeKernel } from '../../../experiments/sgdSpikeKernel';
import { placementTest, windowDropRate, type PlacementRun } from '../../../lib/windowBaseRate';
import { Prng } from '../../../lib/prng';
import { KERNEL_DROP_RULE, kernelDropStatus, PLACEMENT_DRAWS, permutationPText, uniformFrom } from './readouts';

export const SPIKE_KERNEL_EXP = 'sgd-spike-kernel';
type Trace = TraceOf<'sgd-spike-kernel'>;

/** The paper profile's settings (typed by the experiment's schema). */
const settings = () => sgdSpikeKernel.schema.parse(sgdSpikeKernel.profiles.paper);

/** Counts over every run: large spikes, and how many end with a flatter kernel by each measure. */
export function spikeKernelCounts() {
  const runs = nonEmpty(getTraces(SPIKE_KERNEL_EXP), `${SPIKE_KERNEL_EXP} runs`);
  const sum = (f: (t: Trace) => number) => runs.reduce((s, t) => s + f(t), 0);
  const ratios = runs.flatMap((t) => t.series.lambdaAfterEnd.map((a, i) => a / t.series.lambdaAtStart[i]));
  return {
    runs: runs.length,
    settings: [...new Set(runs.map((t) => `b = ${t.summary.b} at ${t.summary.ratio}×`))],
    minSpikeRatio: settings().minSpikeRatio,
    seeds: settings().seeds,
    spikes: sum((t) => t.summary.largeSpikes),
    lambdaLower: sum((t) => t.summary.lambdaLowerAfter),
    batchCritHigher: sum((t) => t.summary.batchCritHigherAfter),
    diverged: runs.filter((t) => t.summary.divergedAt !== null).length,
    /** λ_max after / at start, smallest and largest over the spikes (NaN without spikes). */
    lambdaRatioMin: ratios.length ? Math.min(...ratios) : NaN,
    lambdaRatioMax: ratios.length ? Math.max(...ratios) : NaN,
  };
}

/**
 * The same comparison for windows of the spikes' lengths placed anywhere in the same runs: how often
 * λ_max(K) is lower at a window's end than at its start anyway (mean over runs), and the permutation
 * p of the spikes' count of drops against it (the kernel-drop test of the same chapter).
 */
export function spikeKernelBaseRate(): { baseRate: number | null; p: number } {
  const runs = getTraces(SPIKE_KERNEL_EXP).filter((t) => t.series.spikeStart.length > 0);
  const windows: PlacementRun[] = runs.map((t) => ({
    lambdaStep: t.series.step,
    lambda: t.series.lambdaMax,
    lengths: t.series.spikeStart.map((s, i) => t.series.spikeEnd[i] - s),
    lastStep: t.series.step[t.series.step.length - 1],
  }));
  const rates = windows
    .map((w) => windowDropRate(w.lambdaStep, w.lambda, w.lengths, w.lastStep))
    .filter((r): r is number => r !== null);
  const observed = runs.reduce((s, t) => s + t.summary.lambdaLowerAfter, 0);
  return {
    baseRate: rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null,
    p: windows.length ? placementTest(windows, observed, PLACEMENT_DRAWS, uniformFrom(new Prng(0))).p : 1,
  };
}

/** The run holding the largest spike. */
function largestRun(): Trace {
  const runs = nonEmpty(
    getTraces(SPIKE_KERNEL_EXP).filter((t) => t.series.spikeRatio.length > 0),
    `${SPIKE_KERNEL_EXP} run with a spike of the tabulated size`,
  );
  return runs.reduce((a, b) => (Math.max(...b.series.spikeRatio) > Math.max(...a.series.spikeRatio) ? b : a));
}

/** Loss, λ_max(K) and η̄ / median batch critical rate over the steps of the run with the largest spike. */
export function spikeKernelFigure() {
  const t = largestRun();
  const s = t.series;
  const starts = s.spikeStart.map((v, i) => ({ value: v, label: i === 0 ? 'spike start' : '' }));
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Full training loss',
        xLabel: 'step',
        yLabel: 'mean loss (½Σ / n)',
        yScale: 'log',
        series: [{ name: 'training loss', x: s.step, y: s.trainLoss.map((l) => l / t.config.n), color: 0 }],
        vlines: starts,
      },
      {
        title: 'Full-set λ_max(K)',
        xLabel: 'step',
        yLabel: 'λ_max(K)',
        series: [{ name: 'λ_max(K)', x: s.step, y: s.lambdaMax, color: 1 }],
        vlines: starts,
      },
      {
        title: 'η̄ over the median batch critical rate',
        xLabel: 'step',
        yLabel: 'η̄ / median η̄_{crit,B}',
        series: [
          {
            name: 'η̄ / median η̄_{crit,B}',
            x: s.batchStep,
            y: s.medianBatchCrit.map((c) => t.summary.etaBar / c),
            color: 2,
          },
        ],
        hlines: [{ value: 1, label: 'at the median batch rate' }],
        vlines: starts,
      },
    ],
  };
  const c = spikeKernelCounts();
  const big = s.spikeRatio.indexOf(Math.max(...s.spikeRatio));
  return {
    spec,
    caption: `The SGD run with the largest spike: training loss, λ_max(K), and η̄ over the median batch critical rate; vertical lines: spike starts.`,
    setup: `Seed ${t.seed} of batch ${t.summary.b} at ${t.summary.ratio} times the median batch critical rate at initialisation (rank-2, n = ${t.config.n}, width ${t.config.m}), the run of experiment ${SPIKE_KERNEL_EXP} with the largest spike (${sig(Math.max(...s.spikeRatio))}×). Vertical lines mark the starts of spikes of ${c.minSpikeRatio}× or more. The median batch rate is over one fixed epoch of ${t.config.n / t.summary.b} batches, every ${t.config.batchEvery} steps.`,
    // the drawn run's own numbers (the chapter's sentence below the figure gives the counts over all runs)
    alt: `In the ${sig(s.spikeRatio[big])}× spike λ_max(K) goes from ${sig(s.lambdaAtStart[big])} at its start to ${sig(s.lambdaAfterEnd[big])} after it, and η̄ over the median batch critical rate from ${sig(t.summary.etaBar / s.batchCritAtStart[big])} to ${sig(t.summary.etaBar / s.batchCritAfterEnd[big])}.`,
    settings: { [`${SPIKE_KERNEL_EXP} (as its traces record)`]: recordedSettings(SPIKE_KERNEL_EXP) },
    experiment: SPIKE_KERNEL_EXP,
    data: { run: t.runKey, series: s, summary: t.summary },
  };
}

/** The result in one sentence. */
export function spikeKernelSentence(): string {
  const c = spikeKernelCounts();
  if (c.spikes === 0) return `No spike of ${c.minSpikeRatio}× or more occurred in the ${c.runs} runs`;
  const b = spikeKernelBaseRate();
  const base =
    b.baseRate === null
      ? ''
      : `. Windows of the same lengths placed anywhere in these runs see λ_max(K) fall ${pct(b.baseRate)} of the time (${permutationPText(b.p)} for the spikes' count)`;
  return `Over ${c.runs} runs (${c.settings.join(' and ')} the median batch rate, ${c.seeds} seeds each), ${c.spikes} spikes reached ${c.minSpikeRatio}× or more. After ${c.lambdaLower} of them the full-set λ_max(K) was lower than at the spike's start (after / before from ${sig(c.lambdaRatioMin)} to ${sig(c.lambdaRatioMax)}), and after ${c.batchCritHigher} the median batch critical rate was higher${base}`;
}

/** Report row: the kernel flattens after large SGD spikes. */
export function spikeKernelClaim(): Claim {
  const c = spikeKernelCounts();
  const k = Math.min(c.lambdaLower, c.batchCritHigher);
  const b = spikeKernelBaseRate();
  return {
    id: 'ch2-spike-kernel',
    chapter: 2,
    claim:
      'After a large SGD spike the kernel is flatter: λ_max(K) lower and the batches’ critical rates higher than at the spike’s start.',
    paper: 'qualitative',
    ours: `${c.lambdaLower}/${c.spikes} spikes of ${c.minSpikeRatio}× or more end with a lower λ_max(K); ${c.batchCritHigher}/${c.spikes} with a higher median batch critical rate; windows of the same lengths anywhere in these runs: ${b.baseRate === null ? '—' : pct(b.baseRate)} (${permutationPText(b.p)})`,
    status: kernelDropStatus(c.spikes ? k / c.spikes : 0, c.spikes, b.p),
    detail: `sgd-spike-sweep's set-up at ${c.settings.join(' and ')} the median batch rate at initialisation; λ_max(K) at every step, the median batch rate every few steps, read at each spike's start and at the first measurement after its end. Judged, like the kernel-drop rows, against windows of the spikes' lengths placed anywhere in the same runs: ${KERNEL_DROP_RULE}`,
    experiment: SPIKE_KERNEL_EXP,
    ruleFile: 'src/site/chapters/sgd-spikes/spikeKernel.ts',
    href: '/chapters/sgd-spikes/#fig-spike-kernel',
  };
}
