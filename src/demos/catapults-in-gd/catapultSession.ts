/**
 * One run of the catapult demo, independent of messaging so Node can drive it too: data and a
 * shallow ReLU net from the seed, η in units of η_crit = 2/λ_max(K(w0)), and a step() that records
 * loss, λ_max(K) and η. Everything numerical comes from src/lib; this file only orchestrates.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { criticalLearningRate, halfSumSquaredLoss } from '../../lib/criticalLearningRate';
import { lanczosTopK } from '../../lib/eigen';
import type { ShallowNet } from '../../lib/models/shallow';
import type { Prng } from '../../lib/prng';
import { lambdaMax } from '../../lib/tangentKernel';
import type { DivergedInfo } from '../kit/protocol';
import { validateCatapultDemoState, type CatapultDemoState } from './catapultDemoState';
import { rank2Task, sampleTask, sampleTwoGaussians } from '../../lib/tasks';
import type { Dataset } from '../../lib/models/model';
import { classifyRegime, type Regime } from '../../lib/regime';
import { DIVERGENCE_FACTOR, Trainer } from '../../lib/train';
import { shallowDemoSetup } from '../kit/shallowDemoSetup';
import { rateFromRatio, divergenceReason, MAX_RUN_STEPS, StepBudget, type DemoSession } from '../kit/session';
import { DEMO_DETECTOR_OPTIONS } from '../kit/demoDetector';

/** What one step records: loss and λ_max at w_t (before the update), and the η used for it. */
export interface CatapultStepRecord {
  step: number;
  loss: number;
  /** λ_max(K(w_t)), or null when this step is not a multiple of kernelEvery. */
  lambdaMax: number | null;
  eta: number;
}

/** The demo's training set: rank-2 regression in d dimensions, or the 1-D two-Gaussian mixture. */
function sampleCatapultData(state: CatapultDemoState, prng: Prng): Dataset {
  return state.task === 'rank2' ? sampleTask(rank2Task(state.d), state.n, prng) : sampleTwoGaussians(state.n, prng);
}

/** Data and weights come from the seed as in every shallow-net demo (kit/shallowDemoSetup.ts). */
export class CatapultSession implements DemoSession<CatapultDemoState, CatapultStepRecord> {
  readonly state: CatapultDemoState;
  /** η_crit = 2/λ_max(K(w0)) in the loss convention L = ½Σ(f−y)². */
  readonly etaCrit: number;
  /** λ_max(K(w0)), float64 dense eigensolver. */
  readonly lambda0: number;
  /** L(w0) = ½Σ(f(w0) − y)². */
  readonly loss0: number;
  readonly numParams: number;
  /** Set once the run blew up; no more steps are taken. */
  diverged: DivergedInfo | null = null;
  private t = 0;
  private readonly budget: StepBudget;
  private readonly losses: number[] = [];
  private readonly model: ShallowNet;
  private readonly trainer: Trainer;
  /** Inputs as a tensor for the kernel matvec (the Trainer keeps its own copy). */
  private readonly X: tf.Tensor2D;

  private constructor(state: CatapultDemoState) {
    this.state = state;
    this.budget = new StepBudget(state.maxSteps);
    const { data, model, X } = shallowDemoSetup(state.seed, state.m, (prng) => sampleCatapultData(state, prng));
    this.X = X;
    this.model = model;
    this.numParams = this.model.numParams;
    this.lambda0 = lambdaMax(this.model, this.X);
    this.etaCrit = criticalLearningRate(this.lambda0);
    const f0 = this.model.predict(this.X);
    this.loss0 = halfSumSquaredLoss(f0.dataSync(), data.y);
    f0.dispose();
    // Full-batch GD; the Trainer's divergence rule: DIVERGENCE_FACTOR × the initial ½Σ loss.
    this.trainer = new Trainer(this.model, data, {
      schedule: { kind: 'constant', eta: state.etaRatio * this.etaCrit },
      // The session keeps the step budget (maxSteps, raised by extend()); the Trainer never stops first.
      maxSteps: MAX_RUN_STEPS,
      divergeAbove: DIVERGENCE_FACTOR * this.loss0,
    });
  }

  /** Builds data and model for a validated state (throws naming the field if it is invalid). */
  static create(state: CatapultDemoState): CatapultSession {
    return new CatapultSession(validateCatapultDemoState(state, 'CatapultSession.create'));
  }

  /** True once the step budget (maxSteps, plus extensions) is used up. */
  get finished(): boolean {
    return this.t >= this.budget.steps;
  }

  /** Lets a finished run continue for `steps` more steps (kit/session.ts MAX_RUN_STEPS in all). */
  extend(steps: number): number {
    return this.budget.extend(steps);
  }

  /**
   * The regime by classifyRegime (the one detector, with the demos' relative floor: kit/demoDetector.ts).
   * A spike that has not come back down YET is shown as 'catapult', also when the step budget ran
   * out mid-spike (a finished run can be continued): only the session's own stop rule says 'diverged'.
   */
  get regime(): Regime {
    const r = classifyRegime(this.losses, this.diverged ? this.diverged.step : null, DEMO_DETECTOR_OPTIONS);
    return r === 'diverged' && !this.diverged ? 'catapult' : r;
  }

  /** Changes η mid-run; the unit η_crit stays the one measured at initialisation. */
  setEtaRatio(ratio: number): void {
    this.trainer.setLearningRate(rateFromRatio(ratio, this.etaCrit));
  }

  /**
   * λ_max(K(w_t)) by Lanczos on the model's matrix-free kernel matvec: a handful of float32 matvecs
   * instead of the O(n²m) dense float64 kernel, which is what makes "λ_max every step" affordable
   * in the browser. η_crit itself uses the dense float64 value.
   */
  private currentLambdaMax(): number {
    const mv = this.model.tangentKernelMatvec(this.X);
    try {
      // tol bounds the Ritz residual; the eigenvalue error is ~residual²/gap. Measured on the
      // default run against the dense float64 kernel: worst relative error 7.5e-6 for tol 1e-3
      // and for 1e-4 alike (float32 round-off), but 1e-4 needs 10 matvecs instead of 5 after a catapult.
      return lanczosTopK(mv, this.X.shape[0], 1, { tol: 1e-3, maxIter: 30 }).values[0];
    } finally {
      mv.dispose();
    }
  }

  /** One full-batch GD step; records loss and λ_max at w_t, then updates to w_{t+1}. */
  step(): CatapultStepRecord {
    if (this.diverged) throw new Error('CatapultSession.step: the run diverged; reset or reseed it');
    const measureKernel = this.t % this.state.kernelEvery === 0;
    const lam = measureKernel ? this.currentLambdaMax() : null;
    const info = this.trainer.step();
    const loss = info.batchLoss;
    const rec: CatapultStepRecord = { step: info.step, loss, lambdaMax: lam, eta: info.eta };
    this.losses.push(loss);
    if (info.reason === 'diverged' || (lam !== null && !Number.isFinite(lam))) {
      this.diverged = { step: info.step, loss, reason: divergenceReason(loss) };
    }
    this.t++;
    return rec;
  }

  dispose(): void {
    this.trainer.dispose();
    this.model.dispose();
    this.X.dispose();
  }
}
