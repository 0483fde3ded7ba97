/**
 * Messages of the "Watch SGD spike" demo: the shared request set and envelope of kit/protocol.ts
 * with this demo's ready and progress fields. Types only, so the page can import it without tfjs.
 * Units: η̄ is the rate on the batch mean loss (1/2b)Σ_{i∈B}(f−y)²; losses are mean losses.
 */
import type { ProgressBase, ReadyBase } from '../kit/protocol';
import type { SgdSpikeDemoState } from './sgdSpikeDemoState';

export interface SgdSpikeReadyMessage extends ReadyBase<SgdSpikeDemoState> {
  /** 2n/λ_max(K(w0)): the full-set critical rate of the mean loss, the unit of the η̄ control. */
  etaCrit: number;
  /** λ_max(K(w0)) on the n training points. */
  lambda0: number;
  /** (1/2n)Σ(f(w0) − y)². */
  loss0: number;
}

/** A batch of SGD steps; every array is aligned with `steps`, all measured at w_t before its update. */
export interface SgdSpikeProgressMessage extends ProgressBase {
  /** (1/2n)Σ(f − y)² over the training set (NaN where the step blew up before it was measured). */
  trainLoss: number[];
  /** (1/2b)Σ_{i∈B}(f − y)² on the step's batch. */
  batchLoss: number[];
  /** 2b/λ_max(K(w_t; X_B)), absolute η̄ units. */
  batchEtaCrit: number[];
  /** Training-set indices of each step's batch. */
  batches: number[][];
}
