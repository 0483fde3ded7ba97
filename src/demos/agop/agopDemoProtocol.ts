/**
 * Messages of the "Watch the AGOP learn" demo: the shared request set and envelope of kit/protocol.ts
 * with this demo's ready and progress fields, plus how a run's alignment is read across its
 * catapults (used by the island, the tests and the session alike). No tfjs here, so the page can
 * import it. Units: η̄ is the rate on the batch mean loss (1/2b)Σ_{i∈B}(f−y)²; losses are mean losses.
 */
import type { CatapultEvent } from '../../lib/catapults';
import type { ProgressBase, ReadyBase } from '../kit/protocol';
import type { AgopDemoState } from './agopDemoState';

export interface AgopReadyMessage extends ReadyBase<AgopDemoState> {
  /** 2n/λ_max(K(w0)): the full-set critical rate of the mean loss, the unit of the η̄ control. */
  etaCrit: number;
  /** λ_max(K(w0)) on the n training points. */
  lambda0: number;
  /** (1/2n)Σ(f(w0) − y)². */
  loss0: number;
  /** Side of the AGOP blocks sent: min(10, d). */
  k: number;
  /** Top-left k×k block of the true AGOP G* on the training inputs (row-major). */
  trueAgopBlock: number[];
}

/**
 * A batch of steps; the per-step arrays are aligned with `steps`, all measured at w_t before its
 * update. The AGOP arrays hold only the steps at which the AGOP was refreshed (every agopEvery steps).
 */
export interface AgopProgressMessage extends ProgressBase {
  /** (1/2n)Σ(f − y)² over the training set (NaN where the step blew up before it was measured). */
  trainLoss: number[];
  /** (1/2b)Σ_{i∈B}(f − y)² on the step's batch. */
  batchLoss: number[];
  /** The batch size b in force at each step (n for GD; an epoch's last batch may be shorter when b does not divide n). */
  batchSize: number[];
  /** Steps at which the AGOP was refreshed. */
  agopStep: number[];
  /** cos(G(w_t), G*) at those steps. */
  align: number[];
  /** Top-left k×k block of G(w_t) at those steps (row-major). */
  agopBlocks: number[][];
}

/** The alignment just before and just after one completed catapult. */
export interface AlignmentAcross {
  /** Step indices (not series positions) where the spike starts and ends. */
  start: number;
  end: number;
  /** Alignment at the last AGOP refresh at or before the start, and at the first one at or after the end. */
  before: number;
  after: number;
}

/**
 * For every completed catapult (positions in the loss series, as detectCatapults returns them), the
 * alignment at the last refresh at or before its start and the first at or after its end; a catapult
 * whose end has no refresh yet is left out.
 */
export function alignmentAcross(
  steps: readonly number[],
  spikes: readonly CatapultEvent[],
  agopStep: readonly number[],
  align: readonly number[],
): AlignmentAcross[] {
  // agopStep increases, so binary searches keep this cheap enough for every frame of a long run.
  const firstAtOrAfter = (s: number): number => {
    let lo = 0;
    let hi = agopStep.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (agopStep[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const out: AlignmentAcross[] = [];
  for (const e of spikes) {
    if (e.diverged || e.end === null) continue;
    const start = steps[e.start];
    const end = steps[e.end];
    const i = firstAtOrAfter(start + 1) - 1;
    const j = firstAtOrAfter(end);
    if (i < 0 || j >= agopStep.length) continue;
    const before = align[i];
    const after = align[j];
    if (Number.isFinite(before) && Number.isFinite(after)) out.push({ start, end, before, after });
  }
  return out;
}
