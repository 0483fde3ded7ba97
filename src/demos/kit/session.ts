/**
 * What a demo's run is to the worker host (workerHost.ts), independent of messaging so Node can
 * drive it too, and how a run that blew up is reported. The divergence rule is the Trainer's own
 * (DIVERGENCE_FACTOR of src/lib/train.ts).
 */
import { DIVERGENCE_FACTOR } from '../../lib/train';
import type { DivergedInfo } from './protocol';
import type { CatapultEvent } from '../../lib/catapults';
import { demoSpikes } from './demoDetector';

/**
 * Most steps one run may take, extensions included (the upper bound of every demo's max-steps
 * field): a finished run continues for another max-steps steps when η changes, up to this.
 */
export const MAX_RUN_STEPS = 20000;

/** What the host needs from a run: stepping, η changes, its end conditions. */
export interface DemoSession<S, Rec> {
  readonly state: S;
  /** The unit of η: η = etaRatio × etaCrit. */
  readonly etaCrit: number;
  readonly numParams: number;
  /** True once the step budget (maxSteps, plus any extensions) is used up. */
  readonly finished: boolean;
  /** Set once the run blew up; no more steps are taken. */
  readonly diverged: DivergedInfo | null;
  step(): Rec;
  setEtaRatio(ratio: number): void;
  /** Applies settings that may change mid-run (the island's liveKeys); absent when a demo has none. */
  setLive?(patch: Partial<S>): void;
  /** Allows `steps` more steps (at most MAX_RUN_STEPS in all); returns the steps actually added. */
  extend(steps: number): number;
  dispose(): void;
}

/** The reason shown when a run stops on divergence, for the loss value that tripped the rule. */
export function divergenceReason(loss: number): string {
  return Number.isFinite(loss)
    ? `the loss exceeded ${DIVERGENCE_FACTOR.toExponential(0)} × its initial value`
    : 'the loss became NaN or infinite';
}

/**
 * The step budget of a run: maxSteps at the start, raised by extend() (a finished run continuing
 * after an η change), never above MAX_RUN_STEPS.
 */
export class StepBudget {
  private limit: number;
  constructor(maxSteps: number) {
    this.limit = Math.min(maxSteps, MAX_RUN_STEPS);
  }
  get steps(): number {
    return this.limit;
  }
  /** Raises the budget by `steps` (capped); returns how many were added. */
  extend(steps: number): number {
    if (!Number.isInteger(steps) || steps < 0) throw new Error(`extend: steps must be an integer ≥ 0, got ${steps}`);
    const next = Math.min(this.limit + steps, MAX_RUN_STEPS);
    const added = next - this.limit;
    this.limit = next;
    return added;
  }
}

/**
 * Size of step t's batch under the Trainer's batching (src/lib/train.ts): each epoch is cut into
 * consecutive batches of b, the last holding the n mod b left-over points when b does not divide n.
 */
export function batchSizeAtStep(t: number, n: number, b: number): number {
  const k = t % Math.ceil(n / b);
  return Math.min(b, n - k * b);
}

/** η = ratio × etaCrit for a demo's η control; a ratio that is not a positive number is refused. */
export function rateFromRatio(ratio: number, etaCrit: number): number {
  if (!(ratio > 0) || !Number.isFinite(ratio))
    throw new Error(`setEtaRatio: etaRatio must be a positive number, got ${ratio}`);
  return ratio * etaCrit;
}

/**
 * What the mean-loss SGD demos keep the same way: steps taken, the step budget, the full-train mean
 * loss of every step, and η̄ as a multiple of the unit etaCrit (2n/λ_max(K(w0)), fixed at initialisation).
 */
export class MeanLossRun {
  /** Steps taken. */
  t = 0;
  readonly budget: StepBudget;
  /** Full-train mean losses recorded so far, one per step. */
  readonly losses: number[] = [];
  /** Current η̄ (absolute). */
  etaBar: number;

  constructor(
    maxSteps: number,
    readonly etaCrit: number,
    etaRatio: number,
  ) {
    this.budget = new StepBudget(maxSteps);
    this.etaBar = rateFromRatio(etaRatio, etaCrit);
  }

  /** True once the step budget (maxSteps, plus extensions) is used up. */
  get finished(): boolean {
    return this.t >= this.budget.steps;
  }

  /** Catapults of the full training loss found by the one detector, with the demos' floor (demoDetector.ts). */
  spikes(): CatapultEvent[] {
    return demoSpikes(this.losses);
  }
}
