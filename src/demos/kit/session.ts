/**
 * What a demo's run is to the worker host (workerHost.ts), independent of messaging so Node can
 * drive it too, and how a run that blew up is reported. The divergence rule is the Trainer's own
 * (DIVERGENCE_FACTOR of src/lib/train.ts).
 */
import { DIVERGENCE_FACTOR } from '../../lib/train';
import type { DivergedInfo } from './protocol';

/** What the host needs from a run: stepping, η changes, its end conditions. */
export interface DemoSession<S, Rec> {
  readonly state: S;
  /** The unit of η: η = etaRatio × etaCrit. */
  readonly etaCrit: number;
  readonly numParams: number;
  /** True once maxSteps steps have been taken. */
  readonly finished: boolean;
  /** Set once the run blew up; no more steps are taken. */
  readonly diverged: DivergedInfo | null;
  step(): Rec;
  setEtaRatio(ratio: number): void;
  dispose(): void;
}

/** The reason shown when a run stops on divergence, for the loss value that tripped the rule. */
export function divergenceReason(loss: number): string {
  return Number.isFinite(loss) ? `the loss exceeded ${DIVERGENCE_FACTOR.toExponential(0)} × its initial value` : 'the loss became NaN or infinite';
}
