/**
 * Words shared by the demos' one-line summaries under the plots (each demo's …Summary.ts): numbers
 * as the summaries print them, and the sentences about a spike and a catapult. A spike is the
 * detector's rise; a catapult is a spike whose start step was taken above that step's critical rate
 * (kit/demoDetector.ts): the summaries never call one the other.
 */
import type { DivergedInfo } from './protocol';
import type { DemoSpike } from './demoDetector';

/** A ratio or loss in a sentence: 3 significant digits, exponent outside [1e-3, 1e5). */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(1) : String(+v.toPrecision(3));
}

/** "1 spike", "3 spikes". */
export const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;

/** The sentence of a run stopped on divergence. */
export function divergedText(d: DivergedInfo): string {
  return `Diverged at step ${d.step}: ${d.reason}, so the run was stopped.`;
}

/**
 * What the start of a spike says: "a catapult" when its start step was at or above that step's
 * critical rate, else "a spike, not a catapult"; `rate` names that critical rate for the reader.
 */
export function kindText(e: DemoSpike, rate: string): string {
  if (e.catapult === null) return `a spike (${rate} was not measured at its start, so it is not classed)`;
  const r = num(e.startRatio as number);
  return e.catapult
    ? `it began on a step with η at ${r}× ${rate}: a catapult`
    : `it began on a step with η at ${r}× ${rate}, below it: a spike, not a catapult`;
}

/** Spikes so far and how many of them are catapults, e.g. "3 spikes so far, 2 of them catapults". */
export function countText(spikes: readonly DemoSpike[]): string {
  const done = spikes.filter((e) => !e.diverged);
  const cats = done.filter((e) => e.catapult === true).length;
  const unknown = done.some((e) => e.catapult === null);
  return `${plural(done.length, 'spike')} so far, ${cats} of them ${cats === 1 ? 'a catapult' : 'catapults'}${unknown ? ' (some not classed)' : ''}`;
}
