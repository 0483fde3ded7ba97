/**
 * Chapter 1's figure data and reported numbers, derived at build time from committed traces
 * (uv-catapult, nqm-vs-network, shallow-gd-regimes, shallow-eta-max). Pure reshaping and
 * aggregation: every number shown comes from a run.
 */
import { getTraces, type Trace } from './traces';
import { meanStd } from './claims/types';

const num = (t: Trace, k: string): number => t.summary[k] as number;

/** Runs of an experiment grouped by their key without the seed suffix ("-s<seed>"). */
function byGridKey(traces: Trace[]): Map<string, Trace[]> {
  const out = new Map<string, Trace[]>();
  for (const t of traces) {
    const k = t.runKey.replace(/-s\d+$/, '');
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(t);
  }
  return out;
}

/** The NQM-vs-network runs (seed 0): per model and η regime, loss, λ1 and λ2 per step. */
export function nqmVsNetworkData() {
  const traces = getTraces('nqm-vs-network');
  const first = traces[0];
  return {
    traces,
    threshold1: num(first, 'threshold1'),
    threshold2: num(first, 'threshold2'),
    threshold1MeanSquared: num(first, 'threshold1MeanSquared'),
    threshold2MeanSquared: num(first, 'threshold2MeanSquared'),
    threshold1HalfMean: num(first, 'threshold1HalfMean'),
    threshold2HalfMean: num(first, 'threshold2HalfMean'),
    n: first.config.n as number,
    m: first.config.m as number,
    get: (model: 'network' | 'nqm', regime: 'below' | 'between' | 'above') =>
      traces.find((t) => t.summary.model === model && t.summary.etaRegime === regime)!,
  };
}

/** Trajectory runs of shallow-gd-regimes (seed 0), ordered by η/η_crit. */
export function regimeTrajectories(): Trace[] {
  return getTraces('shallow-gd-regimes')
    .filter((t) => t.runKey.startsWith('traj-') && t.seed === 0)
    .sort((a, b) => num(a, 'etaRatio') - num(b, 'etaRatio'));
}

export interface PhaseRow {
  m: number;
  etaRatio: number;
  seeds: number;
  regimes: Record<'linear' | 'catapult' | 'diverged', number>;
  /** log10(peak loss / initial loss): mean, min, max over seeds (diverged runs included: their peak is where they stopped). */
  logPeak: { mean: number; min: number; max: number };
  /** final λ_max / λ0 over non-diverged seeds (null if all diverged). */
  lambdaRatio: { mean: number; min: number; max: number } | null;
}

/** Phase diagram rows: one per (width, η/η_crit), aggregated over seeds. */
export function phaseDiagram(): PhaseRow[] {
  const groups = byGridKey(getTraces('shallow-gd-regimes').filter((t) => t.runKey.startsWith('grid-')));
  const rows: PhaseRow[] = [];
  for (const runs of groups.values()) {
    const regimes = { linear: 0, catapult: 0, diverged: 0 };
    for (const t of runs) regimes[t.summary.regime as keyof typeof regimes]++;
    const lp = runs.map((t) => Math.log10(num(t, 'peakLossRatio')));
    const lr = runs.filter((t) => t.summary.finalLambdaRatio !== null).map((t) => num(t, 'finalLambdaRatio'));
    const agg = (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) });
    rows.push({
      m: num(runs[0], 'm'),
      etaRatio: num(runs[0], 'etaRatio'),
      seeds: runs.length,
      regimes,
      logPeak: agg(lp),
      lambdaRatio: lr.length ? agg(lr) : null,
    });
  }
  return rows.sort((a, b) => a.m - b.m || a.etaRatio - b.etaRatio);
}

export interface EtaMaxRow {
  m: number;
  seeds: number;
  values: number[];
  mean: number;
  std: number;
  text: string;
  /** Bisection resolution (bracket width) in units of η_crit. */
  resolution: number;
}

/** η_max/η_crit per width from the bisection runs (mean ± std over seeds). */
export function etaMaxTable(): EtaMaxRow[] {
  const groups = byGridKey(getTraces('shallow-eta-max'));
  return [...groups.values()]
    .map((runs) => {
      const values = runs.map((t) => num(t, 'etaMaxRatio'));
      const ms = meanStd(values, 2);
      return {
        m: num(runs[0], 'm'),
        seeds: runs.length,
        values,
        mean: ms.mean,
        std: ms.std,
        text: ms.text,
        resolution: num(runs[0], 'etaMaxRatioHigh') - num(runs[0], 'etaMaxRatioLow'),
      };
    })
    .sort((a, b) => a.m - b.m);
}

/** Width-independent summary: η_max/η_crit over every width and seed. */
export function etaMaxOverall(): { mean: number; std: number; min: number; max: number; runs: number; text: string } {
  const all = etaMaxTable().flatMap((r) => r.values);
  const ms = meanStd(all, 2);
  return { mean: ms.mean, std: ms.std, min: Math.min(...all), max: Math.max(...all), runs: all.length, text: ms.text };
}

/** The trajectory run used for "where the catapult lives" (the catapult run closest to 1.5 η_crit). */
export function projectedLossRun(): Trace {
  const cats = regimeTrajectories().filter((t) => t.summary.regime === 'catapult');
  if (!cats.length) throw new Error('chapter 1: no catapult trajectory in shallow-gd-regimes; check its etaRatios');
  return cats.sort((a, b) => Math.abs(num(a, 'etaRatio') - 1.5) - Math.abs(num(b, 'etaRatio') - 1.5))[0];
}

/** Share of the loss carried by PL_s at the spike's peak of a trajectory run. */
export function plShareAtPeak(t: Trace): { step: number; share: number } {
  const tot = t.series.plTotal;
  let peak = 0;
  for (let i = 1; i < tot.length; i++) if (tot[i] > tot[peak]) peak = i;
  return { step: t.series.step[peak], share: t.series.pl[peak] / tot[peak] };
}
