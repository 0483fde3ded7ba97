/**
 * The three regimes of GD on a wide network (chapter 1), decided from a run's training loss with
 * the one catapult detector: 'diverged' if the run stopped on divergence or the detector saw a
 * spike that never came back; 'catapult' if it saw a spike that came back down; 'linear' otherwise.
 */
import { detectCatapults, type CatapultOptions } from './catapults';

export type Regime = 'linear' | 'catapult' | 'diverged';

/** Regime of a run from its loss series (any normalisation) and the step it diverged at, if any. */
export function classifyRegime(loss: ArrayLike<number>, divergedAt: number | null, opts: CatapultOptions = {}): Regime {
  if (divergedAt !== null) return 'diverged';
  const events = detectCatapults(loss, opts);
  if (events.some((e) => e.diverged)) return 'diverged';
  return events.length > 0 ? 'catapult' : 'linear';
}
