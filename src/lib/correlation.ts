/**
 * Pearson correlation with a confidence interval by Fisher's z-transform: z = atanh r is close to
 * normal with standard error 1/√(n − 3) for bivariate-normal data, so the interval is
 * tanh(z ± q/√(n − 3)) with q the normal quantile of the level.
 */
import { pearson } from './stats';

/** Two-sided standard-normal quantiles for the levels we report. */
const NORMAL_QUANTILE: Record<string, number> = { '0.9': 1.6448536269514722, '0.95': 1.959963984540054 };

/** Pearson r of x and y with its Fisher-z interval at `level` (0.9 or 0.95); needs n ≥ 4 points. */
export function pearsonWithInterval(
  x: readonly number[],
  y: readonly number[],
  level: 0.9 | 0.95 = 0.95,
): { r: number; lo: number; hi: number; n: number; level: number } {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearsonWithInterval: x has ${n} values but y has ${y.length}`);
  if (n < 4) throw new Error(`pearsonWithInterval: needs at least 4 points for an interval, got ${n}`);
  const r = pearson(x, y);
  if (!Number.isFinite(r)) throw new Error('pearsonWithInterval: r is not finite (a constant or non-finite series)');
  const q = NORMAL_QUANTILE[String(level)];
  const z = Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, r)));
  const h = q / Math.sqrt(n - 3);
  return { r, lo: Math.tanh(z - h), hi: Math.tanh(z + h), n, level };
}
