/**
 * Messages of the catapult demo ("make your own catapult", Chapter 1): the shared request set and
 * envelope of kit/protocol.ts with this demo's ready and progress fields. Types only, so the page
 * can import it without tfjs. Units: η in the loss convention L = ½Σ(f−y)².
 */
import type { Regime } from '../../lib/regime';
import type { ProgressBase, ReadyBase } from '../kit/protocol';
import type { CatapultDemoState } from './catapultDemoState';

/** Reported once the model is built. */
export interface CatapultReadyMessage extends ReadyBase<CatapultDemoState> {
  /** η_crit = 2/λ_max(K(w0)). */
  etaCrit: number;
  /** λ_max(K(w0)). */
  lambda0: number;
  /** ½Σ(f(w0) − y)². */
  loss0: number;
}

/**
 * A batch of steps: `loss[i]` is the training loss at w_t, `lambdaMax[i]` is null when the kernel
 * was not measured at that step (kernelEvery > 1).
 */
export interface CatapultProgressMessage extends ProgressBase {
  loss: number[];
  lambdaMax: (number | null)[];
  /** The regime shown in the badge (classifyRegime, src/lib/regime.ts). */
  regime: Regime;
}
