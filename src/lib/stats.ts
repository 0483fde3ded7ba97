/**
 * Small statistics shared by experiments and site read-outs: median, mean ± standard deviation,
 * Pearson correlation and the binomial tail.
 */

/** Upper median: the element at ⌊len/2⌋ of the sorted values (the middle one for odd lengths); NaN if empty. Does not modify xs. */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  const a = Array.from(xs).sort((p, q) => p - q);
  return a[Math.floor(a.length / 2)];
}

/** Mean and sample standard deviation (divisor n − 1; 0 for one value) of xs, with n; mean NaN and std 0 if empty. */
export function meanStd(xs: readonly number[]): { mean: number; std: number; n: number } {
  const n = xs.length;
  const mean = n ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** Pearson correlation coefficient of two equal-length samples (NaN if either is constant). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`pearson: samples differ in length (${x.length} vs ${y.length})`);
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialTail(n: number, k: number, p: number): number {
  let total = 0;
  let c = 1; // C(n, j), updated incrementally
  for (let j = 0; j <= n; j++) {
    if (j > 0) c = (c * (n - j + 1)) / j;
    if (j >= k) total += c * p ** j * (1 - p) ** (n - j);
  }
  return total;
}
