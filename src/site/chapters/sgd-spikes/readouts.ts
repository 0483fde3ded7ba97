/**
 * Chapter 2 (loss spikes in SGD): the numbers its figures, table, prose and report rows quote,
 * from the sgd-spike-anatomy, deep-fcn-gd, multi-catapult and kernel-drops traces. Nothing here
 * is typed in by hand.
 */
import { getTraces, need, nonEmpty, type TraceOf } from '../../traces';
import { binomialTail, median } from '../../../lib/stats';
import { mseFromHalfSum } from '../../../lib/criticalLearningRate';
import { placementTest, windowDropRate, type PlacementRun } from '../../../lib/windowBaseRate';
import { Prng } from '../../../lib/prng';
import { detectCatapults } from '../../../lib/catapults';
import { CONV_CHANNELS } from '../../../experiments/sgdMnist';
import { meanStdText, pct, present, type MeanStdText } from '../common';
import type { ClaimStatus } from '../../claims/types';

/** A run of sgd-spike-anatomy. */
export type AnatomyTrace = TraceOf<'sgd-spike-anatomy'>;
type KernelDropTrace = TraceOf<'kernel-drops'>;

/** The seed-0 run of a list (else its first run). */
export const seed0 = <T extends { seed: number }>(runs: readonly T[]): T =>
  runs.find((t) => t.seed === 0) ?? nonEmpty(runs, 'runs')[0];

/** The small- and large-η̄ runs of sgd-spike-anatomy, each over all seeds. */
export function anatomyRuns(): { small: AnatomyTrace[]; large: AnatomyTrace[] } {
  const all = getTraces('sgd-spike-anatomy');
  return {
    small: nonEmpty(
      all.filter((t) => t.summary.which === 'small'),
      'sgd-spike-anatomy runs at the small rate',
    ),
    large: nonEmpty(
      all.filter((t) => t.summary.which === 'large'),
      'sgd-spike-anatomy runs at the large rate',
    ),
  };
}

/** Pooled over seeds: spikes, how many start on a step whose batch has η̄ above its critical rate, and that base rate over all steps. */
export function spikeStartStats(runs: AnatomyTrace[]) {
  const spikes = runs.reduce((s, t) => s + t.summary.spikes, 0);
  const startAbove = runs.reduce((s, t) => s + t.summary.spikesStartingAbove, 0);
  const riseAbove = runs.reduce((s, t) => s + t.summary.spikesWithRiseAbove, 0);
  const steps = runs.reduce((s, t) => s + t.series.etaBar.length, 0);
  const stepsAbove = runs.reduce((s, t) => s + t.summary.stepsAboveBatchCrit, 0);
  const baseRate = steps ? stepsAbove / steps : 0;
  const ratios = runs.flatMap((t) => t.series.spikeRatio);
  // If spike starts fell on steps at random, the chance of at least `startAbove` of them on above-critical steps.
  return {
    spikes,
    startAbove,
    riseAbove,
    steps,
    stepsAbove,
    baseRate,
    chance: binomialTail(spikes, startAbove, baseRate),
    seeds: runs.length,
    // null without spikes
    ratioMin: ratios.length ? Math.min(...ratios) : null,
    ratioMax: ratios.length ? Math.max(...ratios) : null,
  };
}

/** A spike's peak / start loss ratio and the relative growth of PL_5 and PL_5^⊥ from its start to its peak. */
export interface LargestSpikeRise {
  ratio: number;
  plRise: number;
  perpRise: number;
}

/** PL_s share of the batch loss at each spike's peak (pooled over runs), its mean (null without spikes), the median share over all steps, and the growth of PL_5 and PL_5^⊥ in the largest spike. */
export function batchPlShares(runs: AnatomyTrace[]) {
  const atPeaks: number[] = [];
  const everywhere: number[] = [];
  for (const t of runs) {
    const { pl, plTotal, spikePeak, step } = t.series;
    for (let i = 0; i < pl.length; i++) if (plTotal[i] > 0) everywhere.push(pl[i] / plTotal[i]);
    for (const p of spikePeak) {
      const i = step.indexOf(p);
      if (i >= 0 && plTotal[i] > 0) atPeaks.push(pl[i] / plTotal[i]);
    }
  }
  // The largest spike of these runs (by peak / start ratio): how much PL_5 and PL_5^⊥ grow from its start to its peak.
  let largest: LargestSpikeRise | null = null;
  for (const t of runs) {
    const { pl, plPerp, step, spikeStart, spikePeak, spikeRatio } = t.series;
    for (let k = 0; k < spikeRatio.length; k++) {
      const a = step.indexOf(spikeStart[k]);
      const b = step.indexOf(spikePeak[k]);
      if (a < 0 || b < 0 || !(pl[a] > 0) || !(plPerp[a] > 0)) continue;
      if (largest === null || spikeRatio[k] > largest.ratio)
        largest = { ratio: spikeRatio[k], plRise: pl[b] / pl[a] - 1, perpRise: plPerp[b] / plPerp[a] - 1 };
    }
  }
  return {
    atPeaks,
    peakMean: atPeaks.length ? atPeaks.reduce((a, b) => a + b, 0) / atPeaks.length : null,
    medianAll: median(everywhere),
    largest,
  };
}

/** deep-fcn-gd runs (seed 0), by η/η_crit ascending. */
export function deepFcnRuns() {
  const runs = getTraces('deep-fcn-gd').filter((t) => t.seed === 0);
  return nonEmpty(runs, 'deep-fcn-gd runs of seed 0').sort((a, b) => a.summary.etaRatio - b.summary.etaRatio);
}

/** One deep-fcn-gd run as the chapter tells it: when it first spikes, and when η·λ_max/2 first reaches the edge 1. */
export interface DeepFcnStory {
  etaRatio: number;
  /** First detected spike: the step its rise starts, its peak step and peak / start ratio. */
  firstSpike: { start: number; peak: number; ratio: number };
  /** First measured step with η·λ_max(K)/2 ≥ 1 (0 when the run starts above the edge). */
  edgeStep: number;
  /** η·λ_max/2 at step 0. */
  edgeAtStart: number;
  /** The largest spike's peak, and the measured step its PL_5 share is read at (the first at or after it). */
  largestPeak: number;
  plReadAt: number;
}

/** The deep FCN's runs told step by step (from the traces' loss and λ_max series). */
export function deepFcnStories(): DeepFcnStory[] {
  return deepFcnRuns().map((t) => {
    const s = t.series;
    const spikes = nonEmpty(
      detectCatapults(s.trainLoss).filter((e) => !e.diverged),
      `spike in deep-fcn-gd/${t.runKey}`,
    );
    const eta = t.summary.etaRatio * t.summary.etaCrit;
    const edge = s.lambdaMax.map((l) => (eta * l) / 2);
    const k = edge.findIndex((x) => x >= 1);
    const peak = need(t, 'peakStep');
    const at = s.measureStep.find((m) => m >= peak);
    return {
      etaRatio: t.summary.etaRatio,
      firstSpike: { start: s.step[spikes[0].start], peak: s.step[spikes[0].peak], ratio: spikes[0].ratio },
      edgeStep: k >= 0 ? s.measureStep[k] : NaN,
      edgeAtStart: edge[0],
      largestPeak: peak,
      plReadAt: at ?? NaN,
    };
  });
}

/** multi-catapult runs (seed 0) in the order shallow, fcn, cnn. */
export function ladderRuns() {
  const order = ['shallow', 'fcn', 'cnn'];
  const runs = getTraces('multi-catapult').filter((t) => t.seed === 0);
  return nonEmpty(runs, 'multi-catapult runs of seed 0').sort(
    (a, b) => order.indexOf(a.summary.arch) - order.indexOf(b.summary.arch),
  );
}

/** Per ladder run, what the chapter's prose states: a run that converged, or one that diverged after its first stage. */
export function ladderProse() {
  return ladderRuns().map((t) => {
    const s = t.summary;
    const common = {
      arch: s.arch,
      factor: t.config.factor,
      stagesWithLambdaDrop: s.stagesWithLambdaDrop,
      stagesComplete: s.stagesComplete,
      maxStageEtaLambdaEndOver2: need(t, 'maxStageEtaLambdaEndOver2'),
      // η·λ_max/2 at the end of each completed stage (1 = the edge 2/η).
      stageEtaLambdaEnd: t.series.stageEtaLambdaEnd,
      archSize: s.archSize,
      // the steps at which η is set: the first rate, then each raise
      atSteps: t.config.atSteps,
      lambda0: s.lambda0,
      finalEtaOverCrit0: s.finalEtaOverCrit0,
    };
    if (s.divergedAt === null) return { ...common, divergedAt: null, lambdaEnd: need(t, 'lambdaEnd') };
    return {
      ...common,
      divergedAt: s.divergedAt,
      firstLambdaEnd: nonEmpty(t.series.stageLambdaEnd, `completed stage of multi-catapult/${t.runKey}`)[0],
      channels: CONV_CHANNELS,
      liveChannelsStart: need(t, 'liveChannelsStart'),
      liveChannelsAfterFirstStage: need(t, 'liveChannelsAfterFirstStage'),
    };
  });
}

/** The numbers chapter 2's prose quotes (spike starts, PL_5 shares, the deep FCN's runs, the ladder). */
export function proseNumbers() {
  const { large } = anatomyRuns();
  const st = spikeStartStats(large);
  const sh = batchPlShares(large);
  const fcn = deepFcnRuns();
  return {
    st: {
      ...st,
      ratioMin: present(st.ratioMin, 'spike at the large rate'),
      ratioMax: present(st.ratioMax, 'spike at the large rate'),
    },
    sh: {
      ...sh,
      peakMean: present(sh.peakMean, 'spike peak at the large rate'),
      largest: present(sh.largest, 'spike with PL_5 measured at its start and peak'),
    },
    large0: large[0].summary,
    bLarge: large[0].config.batchSize,
    plS: large[0].config.plS,
    fcnHi: { ...fcn[fcn.length - 1].summary, plShareAtPeak: need(fcn[fcn.length - 1], 'plShareAtPeak') },
    fcnLo: fcn[0].summary,
    fcnStory: deepFcnStories(),
    ladder: ladderProse(),
  };
}

export const KERNEL_DROP_ORDER = ['fcn', 'cnn', 'resnet', 'vit', 'cnn-dense', 'resnet-dense'] as const;

export interface KernelDropRow {
  arch: string;
  archSize: string;
  numParams: number;
  seeds: number;
  spikes: MeanStdText;
  /** Mean over seeds of each seed's fraction of spikes followed by a lower probe λ_max (seeds without spikes skipped; null if none has one). */
  dropFraction: MeanStdText | null;
  /**
   * The same comparison for windows of the spikes' lengths at every position of the run, spike or
   * not (src/lib/windowBaseRate.ts): mean over the seeds with spikes, null if none has one.
   */
  baseRate: MeanStdText | null;
  /**
   * Permutation p-value of pooledDrops (src/lib/windowBaseRate.ts placementTest): each draw moves every
   * spike's window to a random place in its own run, PLACEMENT_DRAWS draws from a fixed seed (1 without spikes).
   */
  chance: number;
  seedsWithSpikes: number;
  pooledDrops: number;
  pooledSpikes: number;
  etaOverFullCrit: number;
  /** λ₂/λ₁ of K(w0) on the training set, mean over seeds (how far one direction dominates the kernel). */
  lambda2OverLambda1: MeanStdText;
  initialMse: MeanStdText;
  /** Last-layer channels alive on the training set at the start and the end, per seed ("a→b"), for pooled-channel models; null otherwise. */
  liveChannels: string | null;
  finalMse: MeanStdText;
}

/** Draws of the kernel-drop permutation test (p resolves to 1/10,001), from a fixed seed so the page is reproducible. */
export const PLACEMENT_DRAWS = 10_000;

/** A Prng's uniform as a plain function. */
export function uniformFrom(prng: Prng): () => number {
  return () => prng.uniform();
}

/** One run's judged spikes as windows: λ measurements, window lengths, last step (placementTest's input). */
function spikeWindows(t: KernelDropTrace): PlacementRun {
  const s = t.series;
  // The judged spikes, matched to their windows by peak step.
  const lengths = s.judgedPeak.map((peak) => {
    const i = s.spikePeak.indexOf(peak);
    if (i < 0) throw new Error(`${t.runKey}: judged spike at step ${peak} is not among its spikes`);
    return s.spikeEnd[i] - s.spikeStart[i];
  });
  return { lambdaStep: s.lambdaStep, lambda: s.probeLambda, lengths, lastStep: s.step[s.step.length - 1] };
}

/** Fewer spikes than this (pooled over seeds) are too few to call a per-spike fraction reproduced. */
export const MIN_SPIKES = 10;
/** The kernel-drop rule's thresholds: share of spikes followed by a drop, and permutation p, for each status. */
export const DROP_RULE = { reproduced: { share: 0.9, p: 0.01 }, partly: { share: 0.5, p: 0.05 } } as const;

/**
 * The status of "each spike is followed by a lower λ_max", one rule for every such claim: reproduced at
 * a share of at least DROP_RULE.reproduced.share of at least MIN_SPIKES spikes with a permutation p
 * (spike windows against windows of the same length anywhere in the same runs) below its p; partly at
 * DROP_RULE.partly's share and p; else not reproduced.
 */
export function kernelDropStatus(fraction: number, spikes: number, p: number): ClaimStatus {
  const { reproduced, partly } = DROP_RULE;
  if (spikes === 0) return 'not reproduced';
  if (fraction >= reproduced.share && spikes >= MIN_SPIKES && p < reproduced.p) return 'reproduced';
  return fraction >= partly.share && p < partly.p ? 'partly reproduced' : 'not reproduced';
}

/** The rule of kernelDropStatus in words, for the report's details. */
export const KERNEL_DROP_RULE = `Reproduced at ≥ ${pct(DROP_RULE.reproduced.share)} of at least ${MIN_SPIKES} spikes pooled over seeds with a permutation p below ${DROP_RULE.reproduced.p} (spike windows moved to random places of their runs); partly at ≥ ${pct(DROP_RULE.partly.share)} with p below ${DROP_RULE.partly.p}; not reproduced otherwise.`;

/** A permutation p as "0.031", or "< 0.0002" when no draw reached the observed count (p at its floor 1/(1 + draws)). */
export function permutationPValue(p: number): string {
  return p <= 1 / (1 + PLACEMENT_DRAWS) ? `< ${(2 / (1 + PLACEMENT_DRAWS)).toPrecision(1)}` : p.toPrecision(2);
}

/** "permutation p = 0.031", or "permutation p < 0.0002" at the floor (see permutationPValue). */
export function permutationPText(p: number): string {
  const v = permutationPValue(p);
  return `permutation p ${v.startsWith('<') ? v : `= ${v}`}`;
}

/** One run's base rate of a probe-λ_max drop over windows as long as its spikes (see KernelDropRow.baseRate). */
function windowBaseRate(t: KernelDropTrace): number {
  const w = spikeWindows(t);
  return present(windowDropRate(w.lambdaStep, w.lambda, w.lengths, w.lastStep), `base rate of ${t.runKey}`);
}

/** The last table and the traces it was computed from (kernelDropTable). */
let tableMemo: { traces: readonly KernelDropTrace[]; rows: KernelDropRow[] } | null = null;

/** Per architecture: spikes per run and the fraction followed by a drop of λ_max on the probe set. */
export function kernelDropTable(): KernelDropRow[] {
  const all = getTraces('kernel-drops');
  // The chapter asks for rows many times (prose, table, claims); the traces reader keeps unchanged files' objects, so identity says nothing changed.
  if (tableMemo && tableMemo.traces.length === all.length && tableMemo.traces.every((t, i) => t === all[i]))
    return tableMemo.rows;
  const rows = KERNEL_DROP_ORDER.map((arch) => all.filter((t) => t.summary.arch === arch))
    .filter((r) => r.length > 0)
    .map((r): KernelDropRow => {
      const withSpikes = r.filter((t) => t.summary.spikesJudged > 0);
      const n = r[0].summary.n;
      const baseRate = withSpikes.length ? meanStdText(withSpikes.map(windowBaseRate)) : null;
      const pooledDrops = r.reduce((s, t) => s + t.summary.spikesWithLambdaDrop, 0);
      const pooledSpikes = r.reduce((s, t) => s + t.summary.spikesJudged, 0);
      return {
        arch: r[0].summary.arch,
        archSize: r[0].summary.archSize,
        numParams: r[0].summary.numParams,
        seeds: r.length,
        spikes: meanStdText(
          r.map((t) => t.summary.spikes),
          1,
        ),
        dropFraction: withSpikes.length ? meanStdText(withSpikes.map((t) => need(t, 'dropFraction'))) : null,
        baseRate,
        // Chance of at least this many drops if each spike were a window at a random place of its run.
        chance: baseRate
          ? placementTest(withSpikes.map(spikeWindows), pooledDrops, PLACEMENT_DRAWS, uniformFrom(new Prng(0))).p
          : 1,
        seedsWithSpikes: withSpikes.length,
        pooledDrops,
        pooledSpikes,
        etaOverFullCrit: r.reduce((s, t) => s + t.summary.etaOverFullMeanCrit, 0) / r.length,
        lambda2OverLambda1: meanStdText(
          r.map((t) => t.summary.lambda2OverLambda1),
          2,
        ),
        initialMse: meanStdText(
          r.map((t) => mseFromHalfSum(t.series.trainLoss[0], n)),
          3,
        ),
        liveChannels:
          r[0].summary.liveChannelsStart == null
            ? null
            : r.map((t) => `${t.summary.liveChannelsStart}→${t.summary.liveChannelsEnd}`).join(', '),
        finalMse: meanStdText(
          r.map((t) => mseFromHalfSum(need(t, 'finalTrainLoss'), n)),
          3,
        ),
      };
    });
  tableMemo = { traces: all, rows: nonEmpty(rows, 'kernel-drops runs') };
  return tableMemo.rows;
}

/** The kernel-drop table's row of one architecture (throws naming the architecture when its runs are missing). */
export function kernelDropRow(arch: (typeof KERNEL_DROP_ORDER)[number]): KernelDropRow {
  const r = kernelDropTable().find((x) => x.arch === arch);
  if (!r) throw new Error(`kernel-drops has no runs of '${arch}': run npm run experiments -- --only kernel-drops`);
  return r;
}

/** Column heads and prose names of the kernel-drops architectures. */
export const ARCH_SHORT: Record<string, string> = {
  fcn: 'FCN',
  cnn: 'CNN',
  resnet: 'ResNet',
  vit: 'ViT',
  'cnn-dense': 'CNN, dense',
  'resnet-dense': 'ResNet, dense',
  shallow: 'shallow',
};

/** One architecture's spikes against the base rate, as a clause: counts, base rate, chance and what that chance means. */
export function kernelDropVerdict(r: KernelDropRow): string {
  const name = ARCH_SHORT[r.arch] ?? r.arch;
  if (!r.baseRate || r.pooledSpikes === 0) return `${name}: no spikes to judge`;
  const meaning =
    r.chance < 0.01
      ? 'far more than chance gives'
      : r.chance < 0.05
        ? 'more than chance at the 5 % level'
        : 'not distinguishable from chance';
  return `${name}: ${r.pooledDrops} of ${r.pooledSpikes} spikes against a base rate of ${r.baseRate.mean.toFixed(2)}, ${permutationPText(r.chance)}, ${meaning}`;
}

/** A model whose mean final training MSE is above this fraction of its mean initial one has stopped learning (stalledArchs). */
export const STALLED_FRACTION = 0.8;

/** Architectures of kernel-drops whose mean final training MSE is above `fraction` of the mean initial one (stopped learning). */
export function stalledArchs(fraction = STALLED_FRACTION): string[] {
  return kernelDropTable()
    .filter((r) => r.finalMse.mean > fraction * r.initialMse.mean)
    .map((r) => r.arch);
}

/** Fewest live last-layer channels at the end of any kernel-drops run of a pooled-channel model (CNN, ResNet), or null. */
export function minLiveChannelsEnd(): number | null {
  const ends = getTraces('kernel-drops')
    .map((t) => t.summary.liveChannelsEnd)
    .filter((v): v is number => typeof v === 'number');
  return ends.length ? Math.min(...ends) : null;
}

/** λ_max of the probe kernel at the end over its start, lowest and highest over every kernel-drops run of `archs` (null without runs). */
export function probeLambdaEndOverStart(archs: readonly string[]): { min: number; max: number; runs: number } | null {
  const ratios = getTraces('kernel-drops')
    .filter((t) => archs.includes(t.summary.arch))
    .map((t) => need(t, 'probeLambdaEnd') / t.summary.probeLambdaStart);
  return ratios.length ? { min: Math.min(...ratios), max: Math.max(...ratios), runs: ratios.length } : null;
}

/** The kernel-drops settings the chapter states: steps per run (one value over all runs; throws if they differ). */
export function kernelDropSettings(): { steps: number } {
  const steps = [...new Set(nonEmpty(getTraces('kernel-drops'), 'kernel-drops runs').map((t) => t.config.steps))];
  if (steps.length !== 1) throw new Error(`kernel-drops: runs of different lengths (${steps.join(', ')} steps)`);
  return { steps: steps[0] };
}
