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
  if (lambdaStep.length !== lambda.length) {
    throw new Error(`windowDropRate: ${lambdaStep.length} steps but ${lambda.length} λ values`);
  }
  const steps: number[] = [];
  const values: number[] = [];
  lambda.forEach((v, i) => {
    if (Number.isFinite(v)) {
      steps.push(lambdaStep[i]);
      values.push(v);
    }
  });
  const rates: number[] = [];
  for (const L of lengths) {
    let judged = 0;
    let dropped = 0;
    for (let s = 0; s + L <= lastStep; s++) {
      const b = lastAtOrBefore(steps, s);
      const e = s + L;
      const ia = lastAtOrBefore(steps, e);
      // First measurement at or after the window's end.
      const a = ia >= 0 && steps[ia] === e ? ia : ia + 1;
      if (b < 0 || a >= steps.length) continue;
      judged++;
      if (values[a] < values[b]) dropped++;
    }
    if (judged > 0) rates.push(dropped / judged);
  }
  return rates.length ? rates.reduce((x, y) => x + y, 0) / rates.length : null;
}
