/**
 * Chapter 2, "how large do SGD spikes get?": from the sgd-spike-sweep traces, per batch size and
 * η̄ (in units of the median batch critical rate at initialisation), the largest spike over the
 * seeds that did not diverge, spikes per 100 steps and how many seeds diverged; the figure, the
 * prose verdict and the report row are built from these.
 */
import { getTraces, nonEmpty, type TraceOf } from '../../traces';
import { meanStd } from '../../../lib/stats';
import { recordedSettings, seedCount, sig } from '../common';
import type { FigureSpec, SeriesSpec } from '../../figure';

export const SPIKE_SWEEP_EXP = 'sgd-spike-sweep';
type Trace = TraceOf<'sgd-spike-sweep'>;

/** One (batch size, η̄) point over its seeds. */
export interface SweepRow {
  b: number;
  ratio: number;
  seeds: number;
  diverged: number;
  /** Mean over seeds of η̄ / full-set critical rate 2n/λ_max(K(w0)). */
  etaOverFullCrit: number;
  /** Largest completed spike (peak / start) over the seeds that did not diverge; null if none spiked. */
  largestSpike: number | null;
  /** Mean spikes per 100 steps over the seeds that did not diverge; null if all diverged. */
  spikesPer100: number | null;
}

/** The sweep's batch sizes, ascending. */
export function sweepBatchSizes(): number[] {
  return [...new Set(getTraces(SPIKE_SWEEP_EXP).map((t) => t.summary.b))].sort((a, b) => a - b);
}

/** The sweep's η̄ range in units of the median batch critical rate at initialisation, from its runs' config. */
export function sweepRatioRange(): { min: number; max: number } {
  const ratios = nonEmpty(getTraces(SPIKE_SWEEP_EXP), `${SPIKE_SWEEP_EXP} runs`).map((t) => t.config.ratio);
  return { min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** Rows of batch size `b`, by η̄ ascending. */
export function sweepRows(b: number): SweepRow[] {
  const runs = getTraces(SPIKE_SWEEP_EXP).filter((t) => t.summary.b === b);
  const ratios = [...new Set(runs.map((t) => t.summary.ratio))].sort((x, y) => x - y);
  const rows = ratios.map((ratio) => {
    const at = runs.filter((t) => t.summary.ratio === ratio);
    const ok = at.filter((t) => t.summary.divergedAt === null);
    const spikes = ok.map((t) => t.summary.largestSpikeRatio).filter((v): v is number => v !== null);
    return {
      b,
      ratio,
      seeds: at.length,
      diverged: at.length - ok.length,
      etaOverFullCrit: meanStd(at.map((t: Trace) => t.summary.etaOverFullCrit)).mean,
      largestSpike: spikes.length ? Math.max(...spikes) : null,
      spikesPer100: ok.length ? meanStd(ok.map((t) => t.summary.spikesPer100)).mean : null,
    };
  });
  return nonEmpty(rows, `${SPIKE_SWEEP_EXP} runs of batch size ${b}`);
}

/** The largest spike of the whole sweep (over non-diverged runs), where it happened, and where divergence starts per batch size. */
export function spikeSweepVerdict(): {
  largest: SweepRow | null;
  firstDivergence: { b: number; ratio: number | null }[];
} {
  const all = sweepBatchSizes().flatMap(sweepRows);
  const spiking = all.filter((r) => r.largestSpike !== null);
  const largest = spiking.length ? spiking.reduce((a, b) => (b.largestSpike! > a.largestSpike! ? b : a)) : null;
  const firstDivergence = sweepBatchSizes().map((b) => ({
    b,
    ratio: sweepRows(b).find((r) => r.diverged > 0)?.ratio ?? null,
  }));
  return { largest, firstDivergence };
}

/** Props of the figure: largest spike, spikes per 100 steps and diverged seeds against η̄ / median batch rate. */
export function spikeSweepFigure() {
  const bs = sweepBatchSizes();
  const series = (pick: (r: SweepRow) => number | null, withDiverged: boolean): SeriesSpec[] =>
    bs.map((b, i) => {
      const rows = sweepRows(b);
      return {
        name: `b = ${b}`,
        x: rows.map((r) => r.ratio),
        y: rows.map(pick),
        color: i,
        ...(withDiverged ? { divergedAt: rows.filter((r) => r.diverged === r.seeds).map((r) => r.ratio) } : {}),
        pointLabels: rows.map(
          (r) => `b = ${b}, η̄ = ${r.ratio} × median batch rate (${r.seeds - r.diverged} of ${r.seeds} seeds)`,
        ),
      };
    });
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Largest spike (peak / loss at its start)',
        xLabel: 'η̄ / median batch η̄_crit',
        yLabel: 'largest spike',
        series: series((r) => r.largestSpike, true),
        hlines: [{ value: 10, label: '10×' }],
        yScale: 'log',
      },
      {
        title: 'Spikes per 100 steps',
        xLabel: 'η̄ / median batch η̄_crit',
        yLabel: 'spikes per 100 steps',
        series: series((r) => r.spikesPer100, true),
      },
      {
        title: 'Diverged seeds',
        xLabel: 'η̄ / median batch η̄_crit',
        yLabel: 'share of seeds',
        series: series((r) => r.diverged / r.seeds, false),
        yDomain: [0, 1],
      },
    ],
  };
  const traces = nonEmpty(getTraces(SPIKE_SWEEP_EXP), `${SPIKE_SWEEP_EXP} runs`);
  const cfg = { ...traces[0].config, seeds: seedCount(traces) };
  const v = spikeSweepVerdict();
  return {
    spec,
    caption: `SGD on rank-2 by batch size and rate (in median batch critical rates): the largest spike, spikes per 100 steps and diverged seeds; ✕: every seed diverged.`,
    finding: v.largest
      ? `The largest spike is ${sig(v.largest.largestSpike!)}× its start, at b = ${v.largest.b} and η̄ = ${v.largest.ratio} × the median batch rate.`
      : undefined,
    setup: `Mean-loss SGD on rank-2 regression (n = ${cfg.n}, d = ${cfg.d}) with the shallow ReLU net (m = ${cfg.m}), ${cfg.steps} steps, ${cfg.seeds} seeds per point; η̄ in units of the median batch critical rate 2b/λ_max(K(w_0; X_B)) at initialisation. Spike statistics are over the seeds that did not diverge; ✕ marks a rate at which every seed diverged.`,
    alt: v.largest
      ? `The largest spike of the sweep is ${sig(v.largest.largestSpike!)}× its start, at b = ${v.largest.b} and η̄ = ${v.largest.ratio} × the median batch rate; ${v.firstDivergence.map((d) => (d.ratio === null ? `b = ${d.b} never diverges` : `b = ${d.b} first diverges at ${d.ratio}`)).join(', ')}.`
      : 'No run of the sweep has a completed spike.',
    settings: { 'sgd-spike-sweep (as its traces record)': recordedSettings(SPIKE_SWEEP_EXP) },
    experiment: SPIKE_SWEEP_EXP,
    data: { rows: bs.flatMap(sweepRows) },
  };
}

/** The sweep's result as a sentence: the largest spike and where it happened, and where each batch size starts to diverge. */
export function spikeSweepSentence(): string {
  const v = spikeSweepVerdict();
  const div = v.firstDivergence
    .map((d) =>
      d.ratio === null
        ? `b = ${d.b} never diverges in the sweep`
        : `b = ${d.b} from ${d.ratio} times the median batch rate on`,
    )
    .join(' and ');
  if (!v.largest) return `No run of the sweep has a completed spike; SGD diverges for ${div}`;
  const L = v.largest;
  const big = L.largestSpike! >= 10;
  const size = big ? 'an order of magnitude or more, like the talk’s' : 'still below an order of magnitude';
  const rows = sweepRows(L.b);
  const next = rows[rows.findIndex((r) => r.ratio === L.ratio) + 1];
  const atEdge = next !== undefined && next.diverged > 0;
  return `The largest spike of the sweep rises ${sig(L.largestSpike!)}-fold over the loss at its start (${size}), at b = ${L.b} and η̄ = ${L.ratio} times the median batch rate (${sig(L.etaOverFullCrit, 2)} of the full set's critical rate)${atEdge ? `, the largest rate of that batch size at which no seed diverged` : ''}; SGD diverges for ${div}${big && atEdge ? '. Large spikes are there, in a narrow band of rates just below divergence' : ''}`;
}
