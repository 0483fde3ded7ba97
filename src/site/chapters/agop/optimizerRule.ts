/**
 * The status rule of chapter 3's optimizer rows ("across optimizers, test loss is lower where AGOP
 * alignment is higher"), in its own module so that the date it was last changed can be compared with
 * the traces it judges. Runs that share a seed share its data and initial weights, so the rule rests
 * on the seed level, not on runs as if independent.
 */
import type { ClaimStatus } from '../../claims/types';

/** The rule in words, for the report. */
export const OPTIMIZER_RULE =
  'Reproduced when, for every alignment target (on MNIST, both proxies), the seed-level bootstrap interval of the correlation between alignment and test loss lies below 0 and the correlation stays below 0 with any one configuration (optimizer and rate) left out; partly when that holds for some targets; not reproduced when for none.';

/** One target's verdict: negative at the seed level (interval's upper end below 0) and without any one configuration. */
export function negativeAtSeedLevel(boot: { hi: number }, leaveOneOut: readonly { r: number }[]): boolean {
  return boot.hi < 0 && leaveOneOut.every((l) => l.r < 0);
}

/** The claim's status from each target's verdict. */
export function optimizerStatus(holds: readonly boolean[]): ClaimStatus {
  const k = holds.filter(Boolean).length;
  return holds.length > 0 && k === holds.length ? 'reproduced' : k > 0 ? 'partly reproduced' : 'not reproduced';
}
