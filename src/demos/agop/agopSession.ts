/**
 * One run of the "Watch the AGOP learn" demo, independent of messaging so Node can drive it too:
 * rank-2 data and a shallow ReLU net from the seed (kit/shallowDemoSetup.ts, as in the other demos),
 * then SGD with batch size b, or GD, on the batch MEAN loss L̄_B = (1/2b)Σ_{i∈B}(f−y)², with the
 * model's AGOP G(w_t) and its alignment cos(G, G*) with the true AGOP every agopEvery steps.
 *
 * Normalisation (see src/experiments/agopBatchSweep.ts): a step on L̄_B at rate η̄ is the ½Σ
 * convention's step at η = η̄/b (halfSumRateForMeanLoss), so the Trainer runs at η̄/b for a batch of b;
 * the control's unit is the full set's critical rate of the mean loss, 2n/λ_max(K(w0)). G* is the
 * empirical true AGOP on the same training inputs, as in agop-batch-sweep.
 *
 * The batch size may change mid-run (setLive): the weights carry on and a new Trainer, seeded like the
 * first, draws the batches from then on. Everything numerical comes from src/lib; this file only
 * orchestrates and converts units.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { agop, agopAlignment, agopBlock, trueAgopEmpirical } from '../../lib/agop';
import type { CatapultEvent } from '../../lib/catapults';
import { halfSumRateForMeanLoss, halfSumSquaredLoss, meanLossCriticalRate } from '../../lib/criticalLearningRate';
import type { Dataset } from '../../lib/models/model';
import type { ShallowNet } from '../../lib/models/shallow';
import { lambdaMax } from '../../lib/tangentKernel';
import { rank2Task, sampleTask } from '../../lib/tasks';
import { DIVERGENCE_FACTOR, Trainer } from '../../lib/train';
import type { DivergedInfo } from '../kit/protocol';
import { shallowDemoSetup } from '../kit/shallowDemoSetup';
import {
  batchSizeAtStep,
  rateFromRatio,
  divergenceReason,
  MAX_RUN_STEPS,
  MeanLossRun,
  type DemoSession,
} from '../kit/session';
import {
  AgopDemoStateSchema,
  batchSizeOf,
  validateAgopDemoState,
  type AgopBatchChoice,
  type AgopDemoState,
} from './agopDemoState';

/** Largest AGOP block the demo shows and sends: the top-left 10×10 (the task uses the first two coordinates). */
export const AGOP_BLOCK_MAX = 10;

/** What one step records, all at w_t (before the update). Losses are mean losses (½ · mean squared error). */
export interface AgopStepRecord {
  step: number;
  /** (1/2n)Σ_i (f(x_i) − y_i)² over the n training points; NaN if the step blew up before it was measured. */
  trainLoss: number;
  /** (1/2b)Σ_{i∈B}(f − y)² on this step's batch: the loss whose gradient the step follows. */
  batchLoss: number;
  /** The batch size b in force at this step (n for GD); when b does not divide n, an epoch's last batch holds n mod b points. */
  batchSize: number;
  /** η̄ used for this step (absolute). */
  eta: number;
  /** cos(G(w_t), G*) when the AGOP was refreshed at this step, else null. */
  align: number | null;
  /** Top-left k×k block of G(w_t), row-major, when refreshed at this step, else null. */
  agopBlock: number[] | null;
}

/** Mean loss (1/2k)Σ(f−y)² from the code base's ½Σ(f−y)² over the same k points. */
function meanLossFromHalfSum(halfSum: number, k: number): number {
  return halfSum / k;
}

export class AgopSession implements DemoSession<AgopDemoState, AgopStepRecord> {
  readonly state: AgopDemoState;
  /** The control's unit: 2n/λ_max(K(w0)), the full-set critical rate of the mean loss. */
  readonly etaCrit: number;
  /** λ_max(K(w0)) on the full training set, float64 dense eigensolver. */
  readonly lambda0: number;
  /** (1/2n)Σ(f(w0) − y)². */
  readonly loss0: number;
  readonly numParams: number;
  /** Side of the blocks recorded: min(10, d). */
  readonly k: number;
  /** Top-left k×k block of G*. */
  readonly trueAgopBlock: number[];
  diverged: DivergedInfo | null = null;
  private readonly run: MeanLossRun;
  private batch: AgopBatchChoice;
  private readonly data: Dataset;
  private readonly model: ShallowNet;
  private readonly X: tf.Tensor2D;
  /** The true AGOP on the training inputs, d×d. */
  private readonly Gstar: Float64Array;
  private readonly divergeAbove: number;
  private trainer: Trainer;

  private constructor(state: AgopDemoState) {
    this.state = state;
    const task = rank2Task(state.d);
    const { data, model, X } = shallowDemoSetup(state.seed, state.m, (prng) => sampleTask(task, state.n, prng));
    this.data = data;
    this.model = model;
    this.X = X;
    this.numParams = model.numParams;
    this.lambda0 = lambdaMax(model, X);
    this.etaCrit = meanLossCriticalRate(this.lambda0, state.n);
    const f0 = model.predict(X);
    const halfSum0 = halfSumSquaredLoss(f0.dataSync(), data.y);
    f0.dispose();
    this.loss0 = meanLossFromHalfSum(halfSum0, state.n);
    // Chapter 1's rule for every Trainer of the run: a loss above DIVERGENCE_FACTOR × the initial ½Σ loss stops it.
    this.divergeAbove = DIVERGENCE_FACTOR * halfSum0;
    this.run = new MeanLossRun(state.maxSteps, this.etaCrit, state.etaRatio);
    this.k = Math.min(AGOP_BLOCK_MAX, state.d);
    this.Gstar = trueAgopEmpirical(task, data.X, state.n);
    this.trueAgopBlock = Array.from(agopBlock(this.Gstar, state.d, this.k));
    this.batch = state.b;
    this.trainer = this.newTrainer();
  }

  /** Builds data and model for a validated state (throws naming the field if it is invalid). */
  static create(state: AgopDemoState): AgopSession {
    return new AgopSession(validateAgopDemoState(state, 'AgopSession.create'));
  }

  /** A Trainer on the current batch size, from the current weights; batches in the seed's order. */
  private newTrainer(): Trainer {
    return new Trainer(this.model, this.data, {
      batchSize: this.batchSize,
      seed: this.state.seed,
      schedule: { kind: 'constant', eta: halfSumRateForMeanLoss(this.run.etaBar, this.batchSizeAt(0)) },
      // The session keeps the step budget (maxSteps, raised by extend()); the Trainer never stops first.
      maxSteps: MAX_RUN_STEPS,
      divergeAbove: this.divergeAbove,
      record: { every: 1, what: ['trainLoss'] },
    });
  }

  get numSteps(): number {
    return this.run.t;
  }

  /** Points per batch now (n for GD). */
  get batchSize(): number {
    return Math.min(batchSizeOf(this.batch, this.state.n), this.state.n);
  }

  /** The batch choice now ('gd' or a size), which may differ from state.b after setLive. */
  get batchChoice(): AgopBatchChoice {
    return this.batch;
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

  /** Catapults of the full training loss found by the one detector, with the demos' floor (kit/demoDetector.ts). */
  spikes(): CatapultEvent[] {
    return this.run.spikes();
  }

  /**
   * Size of the current Trainer's step `t` batch: an epoch is cut into consecutive batches of b, the
   * last one holding the n mod b left-over points when b does not divide n (the Trainer's batching).
   */
  batchSizeAt(t: number): number {
    return batchSizeAtStep(t, this.state.n, this.batchSize);
  }

  /** Changes η̄ mid-run; the unit 2n/λ_max(K(w0)) stays the one measured at initialisation. */
  setEtaRatio(ratio: number): void {
    this.run.etaBar = rateFromRatio(ratio, this.etaCrit);
  }

  /** Mid-run settings: only the batch size `b`; the weights and the steps so far carry on. */
  setLive(patch: Partial<AgopDemoState>): void {
    const other = Object.keys(patch).filter((k) => k !== 'b');
    if (other.length) throw new Error(`AgopSession.setLive: only b can change mid-run, got ${other.join(', ')}`);
    if (patch.b === undefined) return;
    const b = AgopDemoStateSchema.shape.b.safeParse(patch.b);
    if (!b.success)
      throw new Error(`AgopSession.setLive: b = ${JSON.stringify(patch.b)} must be one of the batch choices`);
    const before = this.batchSize;
    this.batch = b.data;
    if (this.batchSize === before) return;
    // A fresh Trainer on the same model: the weights are kept, the next batch starts a new epoch.
    this.trainer.dispose();
    this.trainer = this.newTrainer();
  }

  /** One step: the AGOP (every agopEvery steps) and the losses at w_t, then the update to w_{t+1}. */
  step(): AgopStepRecord {
    if (this.diverged) throw new Error('AgopSession.step: the run diverged; reset or reseed it');
    let align: number | null = null;
    let block: number[] | null = null;
    if (this.run.t % this.state.agopEvery === 0) {
      const G = agop(this.model, this.X);
      align = agopAlignment(G, this.Gstar);
      block = Array.from(agopBlock(G, this.state.d, this.k));
    }
    // The mean over a short last batch divides by its own size, so the ½Σ rate follows the batch size.
    const size = this.batchSizeAt(this.trainer.state.step);
    this.trainer.setLearningRate(halfSumRateForMeanLoss(this.run.etaBar, size));
    const info = this.trainer.step();
    const rec = info.recorded;
    const trainLoss = rec?.trainLoss !== undefined ? meanLossFromHalfSum(rec.trainLoss, this.state.n) : NaN;
    if (info.batchSize !== size && info.reason !== 'diverged') {
      throw new Error(
        `AgopSession.step: the Trainer drew a batch of ${info.batchSize} at step ${this.run.t}, expected ${size}`,
      );
    }
    const record: AgopStepRecord = {
      step: this.run.t,
      trainLoss,
      batchLoss: meanLossFromHalfSum(info.batchLoss, size),
      batchSize: this.batchSize,
      eta: this.run.etaBar,
      align,
      agopBlock: block,
    };
    this.run.losses.push(trainLoss);
    if (info.reason === 'diverged') {
      // A blown-up batch loss stops the Trainer before the full loss is measured: report the batch loss then.
      const loss = rec ? trainLoss : record.batchLoss;
      this.diverged = { step: this.run.t, loss, reason: divergenceReason(loss) };
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
