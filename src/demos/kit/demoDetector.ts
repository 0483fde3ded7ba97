/**
 * The catapult detector as the demos use it: the one detector of src/lib/catapults.ts with a
 * relative floor, so float noise in a converged run (losses ~1e-6 and below) is not counted as a
 * spike while a catapult that starts from a tiny loss still is. The help texts quote DEMO_DETECTOR_RULE.
 * A spike is what this detector finds; a catapult is a spike whose start step was taken above that
 * step's critical rate (demoSpikesAndCatapults, with the rule of src/lib/catapultRegime.ts).
 */
import { DEFAULT_RISE_FACTOR, detectCatapults, type CatapultEvent, type CatapultOptions } from '../../lib/catapults';
import { spikesAndCatapults } from '../../lib/catapultRegime';

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

/** A spike of the demos' detector, with what its start step says about it. */
export interface DemoSpike extends CatapultEvent {
  /** η / η_crit of the step that made the rise (that step's own critical rate), or null where it was not measured. */
  startRatio: number | null;
  /**
   * A catapult: a spike whose start step was taken with η at or above that step's critical rate
   * (the rule of src/lib/catapultRegime.ts); null when that rate was not measured.
   */
  catapult: boolean | null;
}

/**
 * Spikes of `loss` by the demos' rule, each marked catapult or not from `ratioAt(i)`, η / η_crit of
 * step i (null where not measured). A spike still rising is marked too, from the step that began it.
 * With `lambdaMax` (per step, null where not measured) each spike also carries λ_max before and after it.
 */
export function demoSpikesAndCatapults(
  loss: ArrayLike<number>,
  ratioAt: (i: number) => number | null,
  lambdaMax?: (number | null)[],
): DemoSpike[] {
  return detectCatapults(loss, { ...DEMO_DETECTOR_OPTIONS, lambdaMax }).map((e) => {
    const r = ratioAt(e.start);
    const known = r !== null && Number.isFinite(r);
    return {
      ...e,
      startRatio: known ? r : null,
      // The one rule, asked about this event alone (as completed, so a rising spike is judged by its start too).
      catapult: known ? spikesAndCatapults([{ ...e, diverged: false }], () => r).catapults === 1 : null,
    };
  });
}
