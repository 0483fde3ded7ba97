/**
 * The line under the SGD demo's plots: spikes of the full-train loss so far and how many are
 * catapults (η̄ at or above the critical rate 2b/λ_max(K(w; X_B)) of the batch that made the rise),
 * and, when batches above their own critical rate bring no spike, why: the detector watches the
 * full-train loss, which such a step need not double, and ignores rises under its floor.
 */
import type { DivergedInfo } from '../kit/protocol';
import { DEMO_FLOOR_TEXT, DEMO_RELATIVE_FLOOR, demoSpikesAndCatapults, type DemoSpike } from '../kit/demoDetector';
import { countText, divergedText, kindText, num, plural } from '../kit/summaryText';

/** The series the summary reads (a recorded SGD run; rates absolute, in the same units). */
export interface SgdSummaryRun {
  diverged: DivergedInfo | null;
  series: { steps: number[]; trainLoss: number[]; batchEtaCrit: number[]; eta: number[] };
}

/** Steps looked back over for "recent" batches. */
export const RECENT_STEPS = 100;

/** Spikes of the full-train loss, each marked catapult or not by its start step's batch. */
export function sgdRunSpikes(run: SgdSummaryRun): DemoSpike[] {
  const s = run.series;
  return demoSpikesAndCatapults(s.trainLoss, (i) => {
    const c = s.batchEtaCrit[i];
    return c > 0 && Number.isFinite(c) ? s.eta[i] / c : null;
  });
}

const RATE = "its batch's critical rate";

/** One or two sentences on the run so far; '' before the first step. */
export function sgdSpikeSummary(run: SgdSummaryRun): string {
  const s = run.series;
  const n = s.trainLoss.length;
  if (run.diverged) return divergedText(run.diverged);
  if (n === 0) return '';
  const spikes = sgdRunSpikes(run);
  const last = spikes.at(-1);
  // Of the recent steps, how many were taken above their batch's critical rate.
  const from = Math.max(0, n - RECENT_STEPS);
  let above = 0;
  for (let i = from; i < n; i++) if (s.eta[i] >= s.batchEtaCrit[i]) above++;
  const recent = `${above} of the last ${plural(n - from, 'step')} were above their batch's critical rate`;
  const head = last
    ? last.diverged
      ? `${countText(spikes)}; the full-train loss is rising since step ${s.steps[last.start]} (${kindText(last, RATE)})`
      : `${countText(spikes)}; the last, at step ${s.steps[last.start]}, rose ${num(last.ratio)}×: ${kindText(last, RATE)}`
    : 'No spike of the full-train loss yet';
  const quiet = !last || (last.end !== null && last.end < from);
  if (!quiet || above === 0) return `${head}. ${cap(recent)}.`;
  // Steps above their batch's rate without a spike: say which of the detector's two conditions failed.
  const floor = DEMO_RELATIVE_FLOOR * s.trainLoss[0];
  const why =
    s.trainLoss[n - 1] < floor
      ? `the full-train loss is below ${DEMO_FLOOR_TEXT} of its start, under the detector's floor, so its rises there are not counted`
      : 'none of them doubled the full-train loss, which is what the detector counts (such a step raises its own batch’s loss first)';
  return `${head}. ${cap(recent)}, yet no spike: ${why}.`;
}

const cap = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);
