/**
 * One run of the "Watch SGD spike" demo, independent of messaging so Node can drive it too: rank-2
 * data and a shallow ReLU net from the seed (kit/shallowDemoSetup.ts, as in Chapter 1's demo), then SGD with
 * batch size b on the batch MEAN loss L̄_B = (1/2b)Σ_{i∈B}(f−y)².
 *
 * Normalisation (see src/experiments/agopBatchSweep.ts). A step on L̄_B with rate η̄ is the step of
 * the code base's ½Σ convention at η = η̄/b, so the Trainer runs at η̄/b. In η̄ units the critical
 * rate of a set of k points is 2k/λ_max(K) (criticalLearningRateFor('half-mean-squared', λ, k)):
 * the control's unit is the full-set value 2n/λ_max(K(w0)) and each batch has its own
 * 2b/λ_max(K(w_t; X_B)). Under the mean loss a small batch can have a critical rate below the
 * full set's, and a step with η̄ above it is a step in the batch's catapult regime.
 *
 * Everything numerical comes from src/lib (Trainer records the losses, the batch kernel's λ_max and
 * the batch indices at w_t, before the update); this file only orchestrates and converts units.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { CatapultEvent } from '../../lib/catapults';
import { halfSumRateForMeanLoss, halfSumSquaredLoss, meanLossCriticalRate } from '../../lib/criticalLearningRate';
import type { ShallowNet } from '../../lib/models/shallow';
import { lambdaMax } from '../../lib/tangentKernel';
import { rank2Task, sampleTask } from '../../lib/tasks';
import { DIVERGENCE_FACTOR, Trainer } from '../../lib/train';
import type { DivergedInfo } from '../kit/protocol';
import { validateSgdSpikeDemoState, type SgdSpikeDemoState } from './sgdSpikeDemoState';
import { shallowDemoSetup } from '../kit/shallowDemoSetup';
import {
  batchSizeAtStep,
  rateFromRatio,
  divergenceReason,
  MAX_RUN_STEPS,
  MeanLossRun,
  type DemoSession,
} from '../kit/session';

/** What one SGD step records, all at w_t (before the update). Losses are mean losses (½ · mean squared error). */
export interface SgdSpikeStepRecord {
  step: number;
  /** (1/2n)Σ_i (f(x_i) − y_i)² over the n training points; NaN if the step blew up before it was measured. */
  trainLoss: number;
  /** (1/2b)Σ_{i∈B}(f − y)² on this step's batch: the loss whose gradient the step follows. */
  batchLoss: number;
  /** The batch's critical rate 2b/λ_max(K(w_t; X_B)) in absolute η̄ units; NaN if not measured. */
  batchEtaCrit: number;
  /** η̄ used for this step (absolute). */
  eta: number;
  /** Indices (into the training set) of this step's batch. */
  batch: number[];
}

/** Mean loss (1/2k)Σ(f−y)² from the code base's ½Σ(f−y)² over the same k points. */
function meanLossFromHalfSum(halfSum: number, k: number): number {
  return halfSum / k;
}

export class SgdSpikeSession implements DemoSession<SgdSpikeDemoState, SgdSpikeStepRecord> {
  readonly state: SgdSpikeDemoState;
  /** The control's unit: 2n/λ_max(K(w0)), the full-set critical rate of the mean loss. */
  readonly etaCrit: number;
  /** λ_max(K(w0)) on the full training set, float64 dense eigensolver. */
  readonly lambda0: number;
  /** (1/2n)Σ(f(w0) − y)². */
  readonly loss0: number;
  readonly numParams: number;
  diverged: DivergedInfo | null = null;
  private readonly run: MeanLossRun;
  private readonly model: ShallowNet;
  private readonly X: tf.Tensor2D;
  private readonly trainer: Trainer;

  private constructor(state: SgdSpikeDemoState) {
    this.state = state;
    const { data, model, X } = shallowDemoSetup(state.seed, state.m, (prng) =>
      sampleTask(rank2Task(state.d), state.n, prng),
    );
    this.model = model;
    this.X = X;
    this.numParams = model.numParams;
    this.lambda0 = lambdaMax(model, X);
    this.etaCrit = meanLossCriticalRate(this.lambda0, state.n);
    const f0 = model.predict(X);
    const halfSum0 = halfSumSquaredLoss(f0.dataSync(), data.y);
    f0.dispose();
    this.loss0 = meanLossFromHalfSum(halfSum0, state.n);
    this.run = new MeanLossRun(state.maxSteps, this.etaCrit, state.etaRatio);
    // The batch order comes from the seed too (the Trainer's own shuffling stream).
    this.trainer = new Trainer(model, data, {
      batchSize: state.b,
      seed: state.seed,
      schedule: { kind: 'constant', eta: halfSumRateForMeanLoss(this.run.etaBar, this.batchSizeAt(0)) },
      // The session keeps the step budget (maxSteps, raised by extend()); the Trainer never stops first.
      maxSteps: MAX_RUN_STEPS,
      // Chapter 1's rule: stop once a loss exceeds DIVERGENCE_FACTOR × the initial training loss (½Σ).
      divergeAbove: DIVERGENCE_FACTOR * halfSum0,
      record: { every: 1, what: ['trainLoss', 'batchLoss', 'batchLambdaMax', 'batchIndices'] },
    });
  }

  /** Builds data and model for a validated state (throws naming the field if it is invalid). */
  static create(state: SgdSpikeDemoState): SgdSpikeSession {
    return new SgdSpikeSession(validateSgdSpikeDemoState(state, 'SgdSpikeSession.create'));
  }

  get numSteps(): number {
    return this.run.t;
  }

  /** True once the step budget (maxSteps, plus extensions) is used up. */
  get finished(): boolean {
    return this.run.finished;
  }

  /** Lets a finished run continue for `steps` more steps (kit/session.ts MAX_RUN_STEPS in all). */
  extend(steps: number): number {
    return this.run.budget.extend(steps);
  }

  /** Full-train mean losses recorded so far, one per step. */
  get trainLoss(): readonly number[] {
    return this.run.losses;
  }

  /** Spikes of the full training loss found by the one detector, with the demos' relative floor (kit/demoDetector.ts). */
  spikes(): CatapultEvent[] {
    return this.run.spikes();
  }

  /**
   * Size of step t's batch: an epoch is cut into consecutive batches of b, the last one holding the
   * n mod b left-over points when b does not divide n (the Trainer's batching).
   */
  batchSizeAt(t: number): number {
    return batchSizeAtStep(t, this.state.n, this.state.b);
  }

  /** Changes η̄ mid-run; the unit 2n/λ_max(K(w0)) stays the one measured at initialisation. */
  setEtaRatio(ratio: number): void {
    this.run.etaBar = rateFromRatio(ratio, this.etaCrit);
  }

  /** One SGD step: records at w_t, then updates to w_{t+1}. */
  step(): SgdSpikeStepRecord {
    if (this.diverged) throw new Error('SgdSpikeSession.step: the run diverged; reset or reseed it');
    // The mean over a short last batch divides by its own size, so the ½Σ rate follows the batch size.
    const size = this.batchSizeAt(this.run.t);
    this.trainer.setLearningRate(halfSumRateForMeanLoss(this.run.etaBar, size));
    const info = this.trainer.step();
    const rec = info.recorded;
    const trainLoss = rec?.trainLoss !== undefined ? meanLossFromHalfSum(rec.trainLoss, this.state.n) : NaN;
    const lam = rec?.batchLambdaMax;
    const batchIndices = this.trainer.getTrace().batchIndices;
    const record: SgdSpikeStepRecord = {
      step: info.step,
      trainLoss,
      batchLoss: meanLossFromHalfSum(info.batchLoss, size),
      batchEtaCrit: lam !== undefined && lam > 0 && Number.isFinite(lam) ? meanLossCriticalRate(lam, size) : NaN,
      eta: this.run.etaBar,
      batch: rec && batchIndices ? batchIndices[batchIndices.length - 1] : [],
    };
    if (info.batchSize !== size && info.reason !== 'diverged') {
      throw new Error(
        `SgdSpikeSession.step: the Trainer drew a batch of ${info.batchSize} at step ${info.step}, expected ${size}`,
      );
    }
    this.run.losses.push(trainLoss);
    if (info.reason === 'diverged') {
      // A blown-up batch loss stops the Trainer before the full loss is measured: report the batch loss then.
      const loss = rec ? trainLoss : record.batchLoss;
      this.diverged = { step: info.step, loss, reason: divergenceReason(loss) };
    }
    this.run.t++;
    return record;
  }

  dispose(): void {
    this.trainer.dispose();
    this.model.dispose();
    this.X.dispose();
  }
}
