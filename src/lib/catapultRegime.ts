/**
 * Spikes and catapults are different words (docs/conventions.md):
 *
 * - a SPIKE is an event of the detector (catapults.ts): the loss rises above twice its running minimum;
 * - a CATAPULT is a spike whose start step was taken with η at or above that step's critical rate
 *   (the full set's for GD, the batch's for SGD), i.e. η / η_crit,t ≥ 1 at the step before the rise.
 *
 * Also here: the two step-size rules of the catapult-removal test. The CAPPED rule takes every step
 * whose batch is at or above its critical rate at a fraction c < 1 of that rate, so no step is in a
 * batch's catapult regime. The RATE-MATCHED rule leaves those steps alone and shrinks only stable
 * steps, so that the running sum of step sizes follows the capped run's: same mean step, catapults kept.
 * Factors φ are η_used / η, ratios ρ are η / η_crit of the step's batch (any loss scale: a ratio).
 */
import type { CatapultEvent } from './catapults';

/** Spikes (completed detector events) and, among them, catapults; `ratioAt(i)` is η_used/η_crit at loss index i. */
export function spikesAndCatapults(
  events: readonly CatapultEvent[],
  ratioAt: (lossIndex: number) => number,
): { spikes: number; catapults: number } {
  const done = events.filter((e) => !e.diverged);
  return { spikes: done.length, catapults: done.filter((e) => ratioAt(e.start) >= 1).length };
}

/** Capped rule: φ = c/ρ when ρ = η/η_crit,B ≥ 1 (so η_used = c·η_crit,B), else 1. */
export function cappedFactor(ratio: number, capFraction: number): number {
  if (!(capFraction > 0 && capFraction < 1))
    throw new Error(`cappedFactor: capFraction must lie in (0, 1), got ${capFraction}`);
  if (!(ratio >= 0) || !Number.isFinite(ratio))
    throw new Error(`cappedFactor: the ratio η/η_crit must be a finite number ≥ 0, got ${ratio}`);
  return ratio >= 1 ? capFraction / ratio : 1;
}

/**
 * Rate-matched rule at step t. `target` is the capped run's running sum of factors after step t
 * (Σ_{s≤t} φ_s; past its last step, continued at its mean factor) and `sofar` this run's sum before
 * step t. A step at or above its batch's critical rate keeps φ = 1 (its catapult stays); a stable step
 * takes whatever brings the sum back to the target, clamped to [0, 1] (0 skips the step).
 */
export function matchedFactor(ratio: number, target: number, sofar: number): number {
  if (!(ratio >= 0) || !Number.isFinite(ratio))
    throw new Error(`matchedFactor: the ratio η/η_crit must be a finite number ≥ 0, got ${ratio}`);
  if (ratio >= 1) return 1;
  return Math.min(1, Math.max(0, target - sofar));
}

/** The capped run's running factor sum after step t (0-based), continued past its end at its mean factor. */
export function cumulativeTarget(cumulative: ArrayLike<number>, t: number): number {
  const T = cumulative.length;
  if (T === 0) throw new Error('cumulativeTarget: the capped run took no step; nothing to match');
  if (t < T) return cumulative[t];
  return cumulative[T - 1] + ((t - T + 1) * cumulative[T - 1]) / T;
}
