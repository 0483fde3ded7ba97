/**
 * The catapult detector as the demos use it: the one detector of src/lib/catapults.ts, run on the
 * loss floored at a fraction of its initial value, so float noise in a converged run (losses ~1e-6
 * and below) is not counted as a spike while a catapult that starts from a tiny loss still is. The
 * help texts quote DEMO_DETECTOR_RULE.
 */
import { detectCatapults, type CatapultEvent, type CatapultOptions } from '../../lib/catapults';

/** Losses below this fraction of the initial loss count as the floor itself. */
export const DEMO_RELATIVE_FLOOR = 1e-3;

/** The detector's rise factor, passed explicitly so the help text states the value the demos use. */
export const DEMO_RISE_FACTOR = 2;

/** Detector options of both demos (on the floored loss, see demoFlooredLoss). */
export const DEMO_DETECTOR_OPTIONS: Readonly<CatapultOptions> = Object.freeze({ riseFactor: DEMO_RISE_FACTOR });

/** The floor as readers see it: "0.1 %". */
export const DEMO_FLOOR_TEXT = `${+(DEMO_RELATIVE_FLOOR * 100).toPrecision(3)} %`;

/** The rule in one sentence, for help texts and downloaded runs. */
export const DEMO_DETECTOR_RULE =
  `a spike is a rise of the loss above ${DEMO_RISE_FACTOR}× the larger of its lowest value so far and ${DEMO_FLOOR_TEXT} of its initial value; ` +
  'it ends once the loss is back below that level';

/** The loss with every value below DEMO_RELATIVE_FLOOR × loss[0] raised to it (non-finite values kept). */
export function demoFlooredLoss(loss: ArrayLike<number>): number[] {
  const floor = loss.length ? DEMO_RELATIVE_FLOOR * Math.abs(loss[0]) : 0;
  return Array.from(loss, (v) => (Number.isFinite(v) && v < floor ? floor : v));
}

/** Spikes of a loss series by the demos' rule. */
export function demoSpikes(loss: ArrayLike<number>): CatapultEvent[] {
  return detectCatapults(demoFlooredLoss(loss), DEMO_DETECTOR_OPTIONS);
}
