/**
 * The catapult detector as the demos use it: the one detector of src/lib/catapults.ts with a
 * relative floor, so float noise in a converged run (losses ~1e-6 and below) is not counted as a
 * spike while a catapult that starts from a tiny loss still is. The help texts quote DEMO_DETECTOR_RULE.
 */
import { DEFAULT_RISE_FACTOR, detectCatapults, type CatapultEvent, type CatapultOptions } from '../../lib/catapults';

/** A rise counts only if the loss exceeds this fraction of its initial value (and a spike ends back below it). */
export const DEMO_RELATIVE_FLOOR = 1e-3;

/** Detector options of both demos. */
export const DEMO_DETECTOR_OPTIONS: Readonly<CatapultOptions> = Object.freeze({ relativeFloor: DEMO_RELATIVE_FLOOR });

/** The floor as readers see it: "0.1 %". */
export const DEMO_FLOOR_TEXT = `${+(DEMO_RELATIVE_FLOOR * 100).toPrecision(3)} %`;

/** The rule in one sentence, for help texts and downloaded runs. */
export const DEMO_DETECTOR_RULE =
  `a spike is a rise of the loss above ${DEFAULT_RISE_FACTOR}× its lowest value so far and above ${DEMO_FLOOR_TEXT} of its initial value; ` +
  'it ends once the loss is back below both';

/** Spikes of a loss series by the demos' rule. */
export function demoSpikes(loss: ArrayLike<number>): CatapultEvent[] {
  return detectCatapults(loss, DEMO_DETECTOR_OPTIONS);
}
