/**
 * Chapter 1 (catapults in GD): the numbers its figures, tables, prose and report rows quote,
 * derived at build time from the uv-catapult, nqm-vs-network, shallow-gd-regimes and
 * shallow-eta-max traces. Pure reshaping and aggregation: every number shown comes from a run.
 */
import { asVariant, findRun, getTrace, getTraces, need, nonEmpty } from '../../traces';
import { UV_PHASE_OUTPUTS, UV_TRAJECTORY_OUTPUTS } from '../../../experiments/uvCatapult';
import { SHALLOW_GD_TRAJECTORY_OUTPUTS } from '../../../experiments/shallowGdRegimes';
import { PAPER_NQM_THRESHOLDS } from '../../paperNumbers';
import { byGridKey, meanStdText } from '../common';

/** uv-catapult trajectory runs of one seed (default 0), by η·λ0 ascending. */
export function uvTrajectories(seed = 0) {
  const runs = getTraces('uv-catapult')
    .filter((t) => t.runKey.startsWith('traj') && t.seed === seed)
    .map((t) => asVariant(t, UV_TRAJECTORY_OUTPUTS));
  return nonEmpty(runs, `uv-catapult trajectory runs of seed ${seed}`).sort(
    (a, b) => a.summary.etaLambda0 - b.summary.etaLambda0,
  );
}

/** uv-catapult phase-diagram runs, one per seed. */
export function uvPhaseRuns() {
  const runs = getTraces('uv-catapult')
    .filter((t) => t.runKey.startsWith('phase'))
    .map((t) => asVariant(t, UV_PHASE_OUTPUTS));
  return nonEmpty(runs, 'uv-catapult phase-diagram runs');
}

/** The NQM-vs-network runs (seed 0): per model and η regime, loss, λ1 and λ2 per step, plus the thresholds. */
export function nqmVsNetworkData() {
  const traces = getTraces('nqm-vs-network');
  const first = nonEmpty(traces, 'nqm-vs-network runs')[0];
  const s = first.summary;
  // Relative gap of each of our mean-squared thresholds from the paper's (negative: ours is lower), and the larger in size.
  const paperGap1 = s.threshold1MeanSquared / PAPER_NQM_THRESHOLDS.twoOverLambda1 - 1;
  const paperGap2 = s.threshold2MeanSquared / PAPER_NQM_THRESHOLDS.twoOverLambda2 - 1;
  const paperGap = Math.max(Math.abs(paperGap1), Math.abs(paperGap2));
  return {
    traces,
    threshold1: s.threshold1,
    threshold2: s.threshold2,
    threshold1MeanSquared: s.threshold1MeanSquared,
    threshold2MeanSquared: s.threshold2MeanSquared,
    threshold1HalfMean: s.threshold1HalfMean,
    threshold2HalfMean: s.threshold2HalfMean,
    paperGap,
    paperGap1,
    paperGap2,
    n: first.config.n,
    m: first.config.m,
    get: (model: 'network' | 'nqm', regime: 'below' | 'between' | 'above') =>
      findRun(
        traces,
        `of the ${model} at η ${regime}`,
        (t) => t.summary.model === model && t.summary.etaRegime === regime,
      ),
  };
}

/** Trajectory runs of shallow-gd-regimes (seed 0), ordered by η/η_crit. */
export function regimeTrajectories() {
  const runs = getTraces('shallow-gd-regimes')
    .filter((t) => t.runKey.startsWith('traj-') && t.seed === 0)
    .map((t) => asVariant(t, SHALLOW_GD_TRAJECTORY_OUTPUTS));
  return nonEmpty(runs, 'shallow-gd-regimes trajectory runs of seed 0').sort(
    (a, b) => a.summary.etaRatio - b.summary.etaRatio,
  );
}

/** A trajectory run of shallow-gd-regimes (λ_max and PL_s recorded per step). */
export type RegimeTrajectory = ReturnType<typeof regimeTrajectories>[number];

export interface PhaseRow {
  m: number;
  etaRatio: number;
  seeds: number;
  regimes: Record<'linear' | 'catapult' | 'diverged', number>;
  /** log10(peak loss / initial loss): mean, min, max over the seeds that did not diverge (null if all did). */
  logPeak: { mean: number; min: number; max: number } | null;
  /** final λ_max / λ0 over non-diverged seeds (null if all diverged). */
  lambdaRatio: { mean: number; min: number; max: number } | null;
}

/** Phase diagram rows: one per (width, η/η_crit), aggregated over seeds. */
export function phaseDiagram(): PhaseRow[] {
  const groups = byGridKey(getTraces('shallow-gd-regimes').filter((t) => t.runKey.startsWith('grid-')));
  const rows: PhaseRow[] = [];
  for (const runs of groups.values()) {
    const regimes = { linear: 0, catapult: 0, diverged: 0 };
    for (const t of runs) regimes[t.summary.regime]++;
    // A diverged run's "peak" is only where it was stopped, so it is not a value to plot.
    const lp = runs.filter((t) => t.summary.regime !== 'diverged').map((t) => Math.log10(t.summary.peakLossRatio));
    const lr = runs.map((t) => t.summary.finalLambdaRatio).filter((v): v is number => v !== null);
    const agg = (xs: number[]) => ({
      mean: xs.reduce((a, b) => a + b, 0) / xs.length,
      min: Math.min(...xs),
      max: Math.max(...xs),
    });
    rows.push({
      m: runs[0].summary.m,
      etaRatio: runs[0].summary.etaRatio,
      seeds: runs.length,
      regimes,
      logPeak: lp.length ? agg(lp) : null,
      lambdaRatio: lr.length ? agg(lr) : null,
    });
  }
  return nonEmpty(rows, 'shallow-gd-regimes grid runs').sort((a, b) => a.m - b.m || a.etaRatio - b.etaRatio);
}

/** What the phase diagram's grid shows, read from its runs (every width and seed at each η/η_crit). */
export interface PhaseSummary {
  /** Largest η/η_crit up to which every run is linear (null: none is). */
  linearUpTo: number | null;
  /** Over those linear runs: the largest peak / initial loss and the largest |λ_max(end)/λ_0 − 1|. */
  linearPeakMax: number;
  linearLambdaChangeMax: number;
  /** Smallest η/η_crit with a catapult run, and whether every run from there on either catapults or diverges. */
  catapultFrom: number | null;
  noLinearAbove: boolean;
  /** Smallest η/η_crit at which some run diverged, and from which every run diverged (null: never). */
  firstDivergence: number | null;
  allDivergeFrom: number | null;
  /** The grid's settings, from its traces' config. */
  n: number;
  d: number;
}

/** The phase diagram's regimes by η/η_crit, pooled over widths and seeds (shallow-gd-regimes grid runs). */
export function phaseSummary(): PhaseSummary {
  const grid = nonEmpty(
    getTraces('shallow-gd-regimes').filter((t) => t.runKey.startsWith('grid-')),
    'shallow-gd-regimes grid runs',
  );
  const etas = [...new Set(grid.map((t) => t.summary.etaRatio))].sort((a, b) => a - b);
  const at = (eta: number) => grid.filter((t) => t.summary.etaRatio === eta);
  const all = (eta: number, regime: string) => at(eta).every((t) => t.summary.regime === regime);
  const some = (eta: number, regime: string) => at(eta).some((t) => t.summary.regime === regime);
  const firstNonLinear = etas.findIndex((e) => !all(e, 'linear'));
  const linearEtas = firstNonLinear < 0 ? etas : etas.slice(0, firstNonLinear);
  const linearRuns = grid.filter((t) => linearEtas.includes(t.summary.etaRatio));
  const catapultFrom = etas.find((e) => some(e, 'catapult')) ?? null;
  return {
    linearUpTo: linearEtas.length ? linearEtas[linearEtas.length - 1] : null,
    linearPeakMax: Math.max(...linearRuns.map((t) => t.summary.peakLossRatio)),
    linearLambdaChangeMax: Math.max(...linearRuns.map((t) => Math.abs(need(t, 'finalLambdaRatio') - 1))),
    catapultFrom,
    noLinearAbove: catapultFrom !== null && etas.filter((e) => e >= catapultFrom).every((e) => !some(e, 'linear')),
    firstDivergence: etas.find((e) => some(e, 'diverged')) ?? null,
    allDivergeFrom: etas.find((_, i) => etas.slice(i).every((x) => all(x, 'diverged'))) ?? null,
    n: grid[0].config.n,
    d: grid[0].config.d,
  };
}

/** η_max/η_crit that bisection found for one width and seed of the shallow net (shallow-eta-max). */
export function shallowEtaMaxOf(m: number, seed: number): number {
  return findRun(
    getTraces('shallow-eta-max'),
    `of width ${m} and seed ${seed}`,
    (t) => t.summary.m === m && t.seed === seed,
  ).summary.etaMaxRatio;
}

/** Catapult runs of shallow-gd-regimes (every width, η and seed) and how many end with η·λ_max < 2. */
export function catapultsEndBelowEdge(): { runs: number; below: number; grid: number; trajectories: number } {
  const all = getTraces('shallow-gd-regimes');
  const cat = all.filter((t) => t.summary.regime === 'catapult');
  const grid = all.filter((t) => t.runKey.startsWith('grid-')).length;
  // A catapult run converged, so its final η·λ_max is recorded.
  return {
    runs: cat.length,
    below: cat.filter((t) => need(t, 'finalEtaLambda') < 2).length,
    grid,
    trajectories: all.length - grid,
  };
}

/** η_max/η_crit of one width of a bisection experiment, over its seeds. */
export interface BisectionRow {
  seeds: number;
  values: number[];
  mean: number;
  std: number;
  text: string;
  /** Bisection resolution (bracket width) in units of η_crit. */
  resolution: number;
}

/** Per grid point of a bisection experiment: η_max/η_crit over its seeds, with `extra` fields from its first run. */
function bisectionRows<
  T extends { runKey: string; summary: { etaMaxRatio: number; etaMaxRatioLow: number; etaMaxRatioHigh: number } },
  E,
>(traces: readonly T[], extra: (first: T) => E): (BisectionRow & E)[] {
  return [...byGridKey(traces).values()].map((runs) => {
    const values = runs.map((t) => t.summary.etaMaxRatio);
    const ms = meanStdText(values, 2);
    const s = runs[0].summary;
    return {
      ...extra(runs[0]),
      seeds: runs.length,
      values,
      mean: ms.mean,
      std: ms.std,
      text: ms.text,
      resolution: s.etaMaxRatioHigh - s.etaMaxRatioLow,
    };
  });
}

export type EtaMaxRow = BisectionRow & { m: number };

/** η_max/η_crit per width of the shallow net (shallow-eta-max), ascending width. */
export function etaMaxTable(): EtaMaxRow[] {
  const rows = bisectionRows(getTraces('shallow-eta-max'), (t) => ({ m: t.summary.m }));
  return nonEmpty(rows, 'shallow-eta-max runs').sort((a, b) => a.m - b.m);
}

/** Width-independent summary: η_max/η_crit over every width and seed. */
export function etaMaxOverall(): { mean: number; std: number; min: number; max: number; runs: number; text: string } {
  const all = etaMaxTable().flatMap((r) => r.values);
  const ms = meanStdText(all, 2);
  return { mean: ms.mean, std: ms.std, min: Math.min(...all), max: Math.max(...all), runs: all.length, text: ms.text };
}

export type DeepEtaMaxRow = BisectionRow & { width: number; hiddenLayers: number; n: number };

/** η_max/η_crit per width of the 3-hidden-layer FCN on MNIST (deep-eta-max), ascending width. */
export function deepEtaMaxTable(): DeepEtaMaxRow[] {
  const rows = bisectionRows(getTraces('deep-eta-max'), (t) => ({
    width: t.summary.width,
    hiddenLayers: t.summary.hiddenLayers,
    n: t.summary.n,
  }));
  return nonEmpty(rows, 'deep-eta-max runs').sort((a, b) => a.width - b.width);
}

/** The trajectory run used for "where the catapult lives" (the catapult run closest to 1.5 η_crit). */
export function projectedLossRun(): RegimeTrajectory {
  const cats = regimeTrajectories().filter((t) => t.summary.regime === 'catapult');
  if (!cats.length) throw new Error('chapter 1: no catapult trajectory in shallow-gd-regimes; check its etaRatios');
  return cats.sort((a, b) => Math.abs(a.summary.etaRatio - 1.5) - Math.abs(b.summary.etaRatio - 1.5))[0];
}

/** Share of the loss carried by PL_s at the spike's peak of a trajectory run. */
export function plShareAtPeak(t: RegimeTrajectory): { step: number; share: number } {
  const tot = t.series.plTotal;
  let peak = 0;
  for (let i = 1; i < tot.length; i++) if (tot[i] > tot[peak]) peak = i;
  return { step: t.series.step[peak], share: t.series.pl[peak] / tot[peak] };
}

/** The precomputed run drawn under the live catapult demo (its default settings: m = 1024, 1.5 η_crit, seed 0). */
export function catapultDemoReference() {
  return getTrace('shallow-gd-regimes', 'traj-m1024-eta1p5-s0');
}
