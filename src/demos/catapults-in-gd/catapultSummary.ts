/**
 * The line under the catapult demo's plots: what the run did so far, from its series. GD's critical
 * rate at step t is 2/λ_max(K(w_t)), so η / η_crit,t = η·λ_max/2 with the λ_max measured at w_t.
 */
import type { DivergedInfo } from '../kit/protocol';
import { demoSpikesAndCatapults, type DemoSpike } from '../kit/demoDetector';
import { countText, divergedText, kindText, num } from '../kit/summaryText';

/** The series the summary reads (a recorded catapult run). */
export interface CatapultSummaryRun {
  diverged: DivergedInfo | null;
  series: { steps: number[]; loss: number[]; lambdaMax: (number | null)[]; eta: number[] };
}

/** η / η_crit at loss index i (null where λ_max was not measured). */
function ratioAt(run: CatapultSummaryRun, i: number): number | null {
  const lam = run.series.lambdaMax[i];
  return lam === null || lam === undefined ? null : (run.series.eta[i] * lam) / 2;
}

/** Spikes of the run's loss, each marked catapult or not. */
export function catapultRunSpikes(run: CatapultSummaryRun): DemoSpike[] {
  return demoSpikesAndCatapults(run.series.loss, (i) => ratioAt(run, i), run.series.lambdaMax);
}

const RATE = 'its critical rate 2/λ_max';

/** One sentence (or two) on the run so far; '' before the first step. */
export function catapultSummary(run: CatapultSummaryRun): string {
  const s = run.series;
  const n = s.loss.length;
  if (run.diverged) return divergedText(run.diverged);
  if (n === 0) return '';
  const spikes = catapultRunSpikes(run);
  const last = spikes.at(-1);
  if (!last) {
    let now: number | null = null;
    for (let i = n - 1; i >= 0 && now === null; i--) now = ratioAt(run, i);
    const rate = now === null ? '' : `; η is ${num(now)}× ${RATE} now${now < 1 ? ', below it' : ''}`;
    return `No spike yet: the loss went from ${num(s.loss[0])} to ${num(s.loss[n - 1])} in ${n} steps${rate}.`;
  }
  const count = spikes.length > 1 ? `${countText(spikes)}. Last: ` : '';
  const from = s.steps[last.start];
  if (last.diverged) {
    const rise = s.loss[n - 1] / last.runningMin;
    return `${count}The loss is rising since step ${from}: ${num(rise)}× its lowest value so far; ${kindText(last, RATE)}.`;
  }
  const lam =
    last.lambdaBefore !== null && last.lambdaAfter !== null
      ? `; λ_max went from ${num(last.lambdaBefore)} to ${num(last.lambdaAfter)}${
          last.lambdaAfter < 2 / s.eta[last.end as number] ? ', below 2/η' : ', still above 2/η'
        }`
      : '';
  return `${count}At step ${from} the loss rose ${num(last.ratio)}× and was back down by step ${s.steps[last.end as number]}${lam}; ${kindText(last, RATE)}.`;
}
