/**
 * The base rate of "λ_max fell over a window": a spike counts as followed by a kernel drop when the
 * λ_max measured at or after its end is below the one at or before its start (src/lib/catapults.ts).
 * Whether that says anything about spikes depends on how often the same comparison holds for a
 * window of the same length placed anywhere in the run, spike or not; this is that rate.
 */

/** Index of the last entry of ascending `xs` that is ≤ x, or -1. */
function lastAtOrBefore(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let out = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) {
      out = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return out;
}

/** Finite λ measurements only, steps ascending (the placements below skip non-finite values). */
function finiteMeasurements(
  lambdaStep: readonly number[],
  lambda: readonly number[],
): { steps: number[]; values: number[] } {
  if (lambdaStep.length !== lambda.length) {
    throw new Error(`window placements: ${lambdaStep.length} steps but ${lambda.length} λ values`);
  }
  const steps: number[] = [];
  const values: number[] = [];
  lambda.forEach((v, i) => {
    if (Number.isFinite(v)) {
      steps.push(lambdaStep[i]);
      values.push(v);
    }
  });
  return { steps, values };
}

/**
 * For every placement [s, s + L] (s = 0 … lastStep − L) that has a measurement at or before s and
 * one at or after s + L: 1 if the λ measured at or after s + L is below the one at or before s, else 0.
 */
function placementDrops(m: { steps: number[]; values: number[] }, L: number, lastStep: number): Uint8Array {
  const { steps, values } = m;
  const out: number[] = [];
  for (let s = 0; s + L <= lastStep; s++) {
    const b = lastAtOrBefore(steps, s);
    const e = s + L;
    const ia = lastAtOrBefore(steps, e);
    // First measurement at or after the window's end.
    const a = ia >= 0 && steps[ia] === e ? ia : ia + 1;
    if (b < 0 || a >= steps.length) continue;
    out.push(values[a] < values[b] ? 1 : 0);
  }
  return Uint8Array.from(out);
}

/**
 * Fraction of window placements [s, s + L] (s = 0, 1, …, lastStep − L; every L of `lengths` weighted
 * equally) for which the λ measured at or after s + L is below the λ measured at or before s.
 * `lambdaStep` are the steps (ascending) at which `lambda` was measured; non-finite values are
 * skipped. Null when no placement has both measurements.
 */
export function windowDropRate(
  lambdaStep: readonly number[],
  lambda: readonly number[],
  lengths: readonly number[],
  lastStep: number,
): number | null {
  const m = finiteMeasurements(lambdaStep, lambda);
  const rates: number[] = [];
  for (const L of lengths) {
    const drops = placementDrops(m, L, lastStep);
    if (drops.length > 0) rates.push(drops.reduce((x, y) => x + y, 0) / drops.length);
  }
  return rates.length ? rates.reduce((x, y) => x + y, 0) / rates.length : null;
}

/** One run's spikes for placementTest: λ measurements, each judged spike's length in steps, the last step. */
export interface PlacementRun {
  lambdaStep: readonly number[];
  lambda: readonly number[];
  lengths: readonly number[];
  lastStep: number;
}

/** Result of placementTest: the p-value and the mean pooled drop count under the null. */
export interface PlacementTestResult {
  p: number;
  nullMean: number;
  draws: number;
}

/**
 * Permutation (placement) test of "spikes are followed by λ drops more often than windows anywhere":
 * each draw moves every spike's window, keeping its length and run, to a uniformly random placement
 * of that run and counts the pooled drops. p = (1 + #draws with ≥ `observed` drops)/(1 + draws), so p
 * is never 0. `uniform` returns numbers in [0, 1) (a seeded Prng's uniform for reproducible p).
 * Spikes whose length has no judged placement are left out of every draw.
 */
export function placementTest(
  runs: readonly PlacementRun[],
  observed: number,
  draws: number,
  uniform: () => number,
): PlacementTestResult {
  if (!Number.isInteger(draws) || draws <= 0)
    throw new Error(`placementTest: draws must be a positive integer, got ${draws}`);
  const tables: Uint8Array[] = [];
  for (const r of runs) {
    const m = finiteMeasurements(r.lambdaStep, r.lambda);
    for (const L of r.lengths) {
      const t = placementDrops(m, L, r.lastStep);
      if (t.length > 0) tables.push(t);
    }
  }
  let atLeast = 0;
  let total = 0;
  for (let k = 0; k < draws; k++) {
    let drops = 0;
    for (const t of tables) drops += t[Math.floor(uniform() * t.length)];
    total += drops;
    if (drops >= observed) atLeast++;
  }
  return { p: (1 + atLeast) / (1 + draws), nullMean: total / draws, draws };
}
