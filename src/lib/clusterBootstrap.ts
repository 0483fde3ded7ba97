/**
 * Correlation when observations come in clusters (runs sharing a seed share its data and initial
 * weights, so they are not independent): the correlation within each cluster, a percentile interval
 * from resampling whole clusters with replacement, and the correlation with each group of
 * observations left out (does a conclusion rest on one configuration?).
 */
import { pearson } from './stats';

/** One observation: its cluster (e.g. the seed), its group (e.g. the optimizer and rate) and the pair. */
export interface ClusteredPoint {
  cluster: string | number;
  group?: string;
  x: number;
  y: number;
}

const byKey = <T>(xs: readonly T[], key: (x: T) => string | number): Map<string | number, T[]> => {
  const out = new Map<string | number, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
};

const r = (ps: readonly ClusteredPoint[]) =>
  pearson(
    ps.map((p) => p.x),
    ps.map((p) => p.y),
  );

/** Pearson r within each cluster (clusters of fewer than 3 points give none), in order of first appearance. */
export function withinClusterCorrelations(
  points: readonly ClusteredPoint[],
): { cluster: string | number; r: number; n: number }[] {
  return [...byKey(points, (p) => p.cluster)]
    .filter(([, ps]) => ps.length >= 3)
    .map(([cluster, ps]) => ({ cluster, r: r(ps), n: ps.length }));
}

/**
 * Pearson r over all points with a (1 − alpha) percentile interval from `draws` cluster bootstrap
 * resamples: each draws as many clusters as there are, with replacement, and pools their points.
 * `uniform` returns numbers in [0, 1) (a seeded Prng's, for a reproducible interval). Resamples whose
 * r is undefined (constant x or y) are skipped; NaN bounds when none is defined.
 */
export function clusterBootstrapCorrelation(
  points: readonly ClusteredPoint[],
  draws: number,
  uniform: () => number,
  alpha = 0.05,
): { r: number; lo: number; hi: number; clusters: number } {
  const clusters = [...byKey(points, (p) => p.cluster).values()];
  const rs: number[] = [];
  for (let d = 0; d < draws; d++) {
    const pooled: ClusteredPoint[] = [];
    for (let k = 0; k < clusters.length; k++) pooled.push(...clusters[Math.floor(uniform() * clusters.length)]);
    const v = r(pooled);
    if (Number.isFinite(v)) rs.push(v);
  }
  rs.sort((a, b) => a - b);
  const at = (q: number) => (rs.length ? rs[Math.min(rs.length - 1, Math.max(0, Math.floor(q * rs.length)))] : NaN);
  return { r: r(points), lo: at(alpha / 2), hi: at(1 - alpha / 2), clusters: clusters.length };
}

/** Pearson r with each group left out in turn (points without a group are always kept). */
export function leaveOneGroupOut(points: readonly ClusteredPoint[]): { group: string; r: number }[] {
  const groups = [...new Set(points.map((p) => p.group).filter((g): g is string => g !== undefined))];
  return groups.map((group) => ({ group, r: r(points.filter((p) => p.group !== group)) }));
}
