/**
 * The line under the AGOP demo's plots: spikes of the full-train loss so far, the alignment now, and
 * the newest earlier run's alignment at the same step, so that "GD against batch 8" reads off one line.
 * This demo does not measure each batch's critical rate, so it counts spikes and does not class any
 * of them as a catapult.
 */
import type { DivergedInfo } from '../kit/protocol';
import { demoSpikes } from '../kit/demoDetector';
import { divergedText, num, plural } from '../kit/summaryText';

/** The series the summary reads (a recorded AGOP run). */
export interface AgopSummaryRun {
  diverged: DivergedInfo | null;
  state: { n: number };
  series: { steps: number[]; trainLoss: number[]; batchSize: number[]; agopStep: number[]; align: number[] };
}

/** "GD" or "batch 8" (the batch size in force at the run's last step). */
export function batchName(run: AgopSummaryRun): string {
  const b = run.series.batchSize.at(-1);
  return b === undefined ? 'this run' : b >= run.state.n ? 'GD' : `batch ${b}`;
}

/** The alignment at the last AGOP refresh at or before `step`, or null. */
export function alignmentAt(run: AgopSummaryRun, step: number): number | null {
  const s = run.series;
  let j = -1;
  for (let i = 0; i < s.agopStep.length && s.agopStep[i] <= step; i++) j = i;
  return j < 0 ? null : s.align[j];
}

/** One or two sentences on the run so far, compared with `earlier` (the newest earlier run) if given. */
export function agopSummary(run: AgopSummaryRun, earlier?: AgopSummaryRun): string {
  const s = run.series;
  if (run.diverged) return divergedText(run.diverged);
  if (s.steps.length === 0) return '';
  const spikes = demoSpikes(s.trainLoss);
  const done = spikes.filter((e) => !e.diverged).length;
  const rising = spikes.some((e) => e.diverged) ? ' (one rising now)' : '';
  const step = s.steps[s.steps.length - 1];
  const a = alignmentAt(run, step);
  const name = batchName(run);
  let text = `${name}: ${plural(done, 'spike')} of the full-train loss${rising}; alignment ${a === null ? 'not measured yet' : num(a)} at step ${step}.`;
  if (earlier && a !== null) {
    // Compared at one step both runs reached: this one's, or where the earlier run stopped.
    const end = earlier.series.steps.at(-1) ?? -1;
    const at = Math.min(step, end);
    const mine = alignmentAt(run, at);
    const theirs = alignmentAt(earlier, at);
    if (mine !== null && theirs !== null) {
      const other = batchName(earlier);
      const gap = `${name} is ${mine >= theirs ? 'ahead' : 'behind'} by ${num(Math.abs(mine - theirs))}`;
      text +=
        at === step
          ? ` The earlier run (${other}) had ${num(theirs)} at the same step: ${gap}.`
          : ` At step ${at}, where the earlier run (${other}) stopped, it had ${num(theirs)} and this run ${num(mine)}: ${gap}.`;
    }
  }
  return text;
}
