/**
 * The training loop, written as a stepper so a Web Worker can drive it frame by frame and Node can
 * run it to the end. Loss convention: L = ½Σ(f−y)² on the batch (criticalLearningRate.ts).
 *
 * Step t: draw batch B_t, compute L_B and grads at w_t, record (every `record.every` steps) the
 * requested measures AT w_t (before the update), then w_{t+1} = optimizer(w_t, grads, η_t).
 * Batches: an epoch is a seeded permutation of 0..n−1 cut into consecutive batches (the last one
 * may be smaller); batchSize ≥ n means full-batch GD with no shuffling.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, ScalarModel } from './models/model';
import { Prng } from './prng';
import {
  criticalLearningRate,
  criticalLearningRateUnchecked,
  halfSumSquaredLoss,
  meanSquaredError,
  mseFromHalfSum,
} from './criticalLearningRate';
import { lambdaMax, topKernelEigen } from './tangentKernel';
import { projectedLoss } from './projectedLoss';
import { agop, agopAlignment } from './agop';
import { createOptimizer, type Optimizer, type OptimizerSpec } from './optimizers';

/** Default divergence rule: a loss above this multiple of the initial ½Σ training loss stops the run. */
export const DIVERGENCE_FACTOR = 1e6;

/** Learning-rate schedule; all η in absolute units of our loss convention. */
export type LrSchedule =
  | { kind: 'constant'; eta: number }
  /** Piecewise constant: η = points[i].eta from step points[i].step on (first point must be step 0). */
  | { kind: 'steps'; points: { step: number; eta: number }[] }
  /**
   * Multiple catapults: at step 0 and every `everySteps` steps, or at the listed `atSteps` (which
   * must include 0), at most `maxRaises` times in total (default unlimited), set
   * η = factor × η_crit(w_t) = factor × 2/λ_max(K(w_t; full train set)).
   */
  | { kind: 'catapult-ladder'; factor: number; everySteps?: number; atSteps?: number[]; maxRaises?: number };

/** What can be recorded; see TrainTrace.series for the resulting series names. */
export type RecordKey =
  | 'trainLoss'
  | 'batchLoss'
  | 'lambdaMax'
  | 'batchLambdaMax'
  | 'batchEtaCrit'
  | 'projectedLoss'
  | 'agopAlignment'
  | 'testLoss'
  | 'batchIndices';

export interface RecordOptions {
  /** Record every k-th step (default 1). */
  every?: number;
  what: RecordKey[];
  /** Projected loss PL_s (default s = 5) on the full training kernel or on the batch kernel. */
  projectedLoss?: { s?: number; on?: 'full' | 'batch' };
  /** G* (d×d row-major) for 'agopAlignment'. */
  agopTarget?: ArrayLike<number>;
  /** Inputs on which the model's AGOP is taken (default: the training inputs). */
  agopData?: Dataset;
  /** Test set for 'testLoss' (MSE). */
  test?: Dataset;
}

export interface TrainOptions {
  /** Mini-batch size b; b ≥ n (or omitted) is full-batch GD. */
  batchSize?: number;
  /** Seed of the batch shuffling (default 0). */
  seed?: number;
  schedule: LrSchedule;
  /** Default plain SGD. */
  optimizer?: OptimizerSpec;
  maxSteps: number;
  /** Stop at an epoch end when the full training MSE (1/n)Σ(f−y)² is below this. */
  stopMse?: number;
  /** Divergence: stop when a loss is non-finite or above this (default divergeFactor × initial ½Σ training loss). */
  divergeAbove?: number;
  /** Without divergeAbove, the threshold is this multiple of the initial ½Σ training loss (default DIVERGENCE_FACTOR). */
  divergeFactor?: number;
  record?: RecordOptions;
}

/** What one call to step() did. */
export interface StepInfo {
  /** Index t of the step just taken (or attempted). */
  step: number;
  epoch: number;
  eta: number;
  /** ½Σ loss on the batch at w_t; NaN if the run stopped before computing it. */
  batchLoss: number;
  batchSize: number;
  /** Values recorded at this step (series name → value), or null if not a record step. */
  recorded: Record<string, number> | null;
  done: boolean;
  reason: StopReason | null;
}

export type StopReason = 'maxSteps' | 'converged' | 'diverged';

/** A finished or partial run: recorded steps and named series of equal length. */
export interface TrainTrace {
  /** Step index t of every record (measures taken at w_t, before its update). */
  steps: number[];
  /**
   * Series keyed by name: eta, epoch; trainLoss (½Σ) and trainMse; batchLoss (½Σ); lambdaMax and
   * etaCrit (full kernel); batchLambdaMax; batchEtaCrit; pl, plPerp, plTotal (MSE scale);
   * agopAlignment; testLoss (MSE). Only requested ones appear (eta and epoch always do).
   */
  series: Record<string, number[]>;
  /** Sample indices of each recorded batch (when 'batchIndices' is requested). */
  batchIndices?: number[][];
  /** Step at which a non-finite or too-large loss was seen, else null. */
  divergedAt: number | null;
  /** Steps taken (updates applied). */
  stepsTaken: number;
  reason: StopReason | null;
  /** ½Σ and MSE training loss at the final weights (NaN if diverged). */
  finalTrainLoss: number;
  finalTrainMse: number;
}

const RECORD_KEYS: RecordKey[] = [
  'trainLoss',
  'batchLoss',
  'lambdaMax',
  'batchLambdaMax',
  'batchEtaCrit',
  'projectedLoss',
  'agopAlignment',
  'testLoss',
  'batchIndices',
];

function checkDataset(field: string, data: Dataset, d: number): void {
  if (data.X.length !== data.n * data.d || data.y.length !== data.n) {
    throw new Error(
      `Trainer: ${field} must have X of n·d = ${data.n}·${data.d} entries and n targets, got ${data.X.length} and ${data.y.length}`,
    );
  }
  if (data.d !== d) throw new Error(`Trainer: ${field}.d = ${data.d} but the model takes inputs of dimension ${d}`);
}

function positiveFinite(field: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`Trainer: ${field} must be a positive finite number, got ${v}`);
}

/** f(X) − y as float64, for a model and dataset tensors, or from outputs f(X) already computed. */
function residual(
  model: ScalarModel,
  X: tf.Tensor2D,
  y: Float32Array,
  outputs: ArrayLike<number> | null = null,
): Float64Array {
  let fv = outputs;
  if (fv === null) {
    const f = model.predict(X);
    fv = f.dataSync();
    f.dispose();
  }
  const r = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) r[i] = fv[i] - y[i];
  return r;
}

/** A stepper over one training run; owns its tensors (call dispose(), not the model's). */
export class Trainer {
  readonly model: ScalarModel;
  readonly data: Dataset;
  readonly opts: TrainOptions;
  private readonly Xfull: tf.Tensor2D;
  private readonly yfull: tf.Tensor1D;
  private readonly batchSize: number;
  private readonly isGD: boolean;
  private readonly prng: Prng;
  private readonly optimizer: Optimizer;
  private readonly every: number;
  private readonly what: Set<RecordKey>;
  private readonly testX: tf.Tensor2D | null = null;
  private readonly agopX: tf.Tensor2D | null = null;
  private readonly divergeAbove: number;
  private perm: Int32Array;
  private pos = 0;
  private t = 0;
  private epochIndex = 0;
  private eta: number;
  private raises = 0;
  private finished: StopReason | null = null;
  private divergedAtStep: number | null = null;
  private readonly trace: TrainTrace;

  constructor(model: ScalarModel, train: Dataset, opts: TrainOptions) {
    checkDataset('train', train, model.inputDim);
    if (!Number.isInteger(opts.maxSteps) || opts.maxSteps < 0) {
      throw new Error(`Trainer: maxSteps must be an integer ≥ 0, got ${opts.maxSteps}`);
    }
    const b = opts.batchSize ?? train.n;
    if (!Number.isInteger(b) || b <= 0) throw new Error(`Trainer: batchSize must be a positive integer, got ${b}`);
    this.model = model;
    this.data = train;
    this.opts = opts;
    this.batchSize = Math.min(b, train.n);
    this.isGD = this.batchSize === train.n;
    this.prng = new Prng(opts.seed ?? 0);
    this.perm = this.isGD ? Int32Array.from({ length: train.n }, (_, i) => i) : this.prng.permutation(train.n);
    this.checkSchedule(opts.schedule);
    const rec = opts.record ?? { what: [] };
    this.every = rec.every ?? 1;
    if (!Number.isInteger(this.every) || this.every <= 0)
      throw new Error(`Trainer: record.every must be a positive integer, got ${this.every}`);
    for (const k of rec.what) {
      if (!RECORD_KEYS.includes(k))
        throw new Error(`Trainer: record.what has unknown key '${k}' (use ${RECORD_KEYS.join(', ')})`);
    }
    this.what = new Set(rec.what);
    if (this.what.has('agopAlignment')) {
      if (!rec.agopTarget)
        throw new Error("Trainer: record.agopTarget (G*, d×d) is required to record 'agopAlignment'");
      const d = model.inputDim;
      if (rec.agopTarget.length !== d * d)
        throw new Error(`Trainer: record.agopTarget has ${rec.agopTarget.length} entries, expected d² = ${d * d}`);
      const ad = rec.agopData ?? train;
      checkDataset('record.agopData', ad, d);
      this.agopX = tf.tensor2d(ad.X, [ad.n, ad.d]);
    }
    if (this.what.has('testLoss')) {
      if (!rec.test) throw new Error("Trainer: record.test (a Dataset) is required to record 'testLoss'");
      checkDataset('record.test', rec.test, model.inputDim);
      this.testX = tf.tensor2d(rec.test.X, [rec.test.n, rec.test.d]);
    }
    if (this.what.has('projectedLoss')) {
      const s = rec.projectedLoss?.s ?? 5;
      const on = rec.projectedLoss?.on ?? 'full';
      const limit = on === 'full' ? train.n : this.batchSize;
      if (!Number.isInteger(s) || s < 1 || s > limit)
        throw new Error(`Trainer: record.projectedLoss.s must be an integer in 1..${limit}, got ${s}`);
    }
    this.Xfull = tf.tensor2d(train.X, [train.n, train.d]);
    this.yfull = tf.tensor1d(train.y);
    this.optimizer = createOptimizer(opts.optimizer ?? { kind: 'sgd' }, model.params);
    if (opts.divergeFactor !== undefined) positiveFinite('divergeFactor', opts.divergeFactor);
    const initial = halfSumSquaredLoss(this.predictFull(), train.y);
    this.divergeAbove = opts.divergeAbove ?? (opts.divergeFactor ?? DIVERGENCE_FACTOR) * Math.max(initial, 1e-12);
    this.eta = this.scheduledEta(0) ?? 0;
    this.trace = {
      steps: [],
      series: { eta: [], epoch: [] },
      divergedAt: null,
      stepsTaken: 0,
      reason: null,
      finalTrainLoss: NaN,
      finalTrainMse: NaN,
    };
    if (this.what.has('batchIndices')) this.trace.batchIndices = [];
  }

  /** Current learning rate η (absolute units). */
  get learningRate(): number {
    return this.eta;
  }

  /** Overrides η from the next step on, until the schedule's next change point (if any). */
  setLearningRate(eta: number): void {
    if (!Number.isFinite(eta) || eta < 0)
      throw new Error(`Trainer.setLearningRate: eta must be a finite number ≥ 0, got ${eta}`);
    this.eta = eta;
  }

  /** Progress: next step index, current epoch, whether and why the run stopped. */
  get state(): {
    step: number;
    epoch: number;
    eta: number;
    done: boolean;
    reason: StopReason | null;
    divergedAt: number | null;
  } {
    return {
      step: this.t,
      epoch: this.epochIndex,
      eta: this.eta,
      done: this.finished !== null,
      reason: this.finished,
      divergedAt: this.divergedAtStep,
    };
  }

  /** The trace so far (live object; copy it before posting across threads if you keep stepping). */
  getTrace(): TrainTrace {
    return this.trace;
  }

  /** One optimisation step (see module doc); a no-op returning done once the run has stopped. */
  step(): StepInfo {
    const base = { step: this.t, epoch: this.epochIndex, eta: this.eta, batchSize: 0, recorded: null, batchLoss: NaN };
    if (this.finished) return { ...base, done: true, reason: this.finished };
    if (this.t >= this.opts.maxSteps) return { ...base, done: true, reason: this.stop('maxSteps') };
    const t = this.t;
    // f(X) on the full training set at w_t when a step needs it twice (stop rule and record)
    let fullOutputs: Float32Array | null = null;
    if (this.pos === 0 && this.t > 0 && this.opts.stopMse !== undefined && !this.isGD) {
      // epoch end for SGD: one full-set pass decides the stop rule (GD checks its batch loss below)
      fullOutputs = this.predictFull();
      const mse = meanSquaredError(fullOutputs, this.data.y);
      if (mse < this.opts.stopMse) return { ...base, done: true, reason: this.stop('converged') };
    }
    const idx = this.nextBatch();
    const b = idx.length;
    const [Xb, yb] = this.isGD ? [this.Xfull, this.yfull] : this.gather(idx);
    let recorded: Record<string, number> | null = null;
    let batchLoss = NaN;
    try {
      // full-batch GD: the record's training residual is the step's own forward pass
      const wantOutputs = this.isGD && t % this.every === 0 && this.recordNeedsResidual();
      const { loss, grads, outputs } = this.model.lossAndGrads(Xb, yb, wantOutputs ? { outputs: true } : undefined);
      batchLoss = loss.dataSync()[0];
      loss.dispose();
      if (outputs) {
        fullOutputs = outputs.dataSync() as Float32Array;
        outputs.dispose();
      }
      try {
        // the step that ends the run, before its update
        const end = (reason: StopReason) => ({
          step: t,
          epoch: this.epochIndex,
          eta: this.eta,
          batchSize: b,
          recorded,
          batchLoss,
          done: true,
          reason: this.stop(reason),
        });
        if (this.isGD && this.opts.stopMse !== undefined && t > 0 && mseFromHalfSum(batchLoss, b) < this.opts.stopMse) {
          return end('converged');
        }
        const diverged = () => {
          this.divergedAtStep = t;
          this.trace.divergedAt = t;
          return end('diverged');
        };
        // a blown-up batch loss stops the run before any kernel is formed from non-finite weights
        if (!Number.isFinite(batchLoss) || batchLoss > this.divergeAbove) return diverged();
        // the constructor already applied step 0's schedule, so a setLearningRate before step 0 sticks
        const sched = t === 0 ? null : this.scheduledEta(t);
        if (sched !== null) this.eta = sched;
        if (t % this.every === 0) recorded = this.recordAt(t, idx, Xb, batchLoss, fullOutputs);
        if (recorded && this.badRecord(recorded)) return diverged();
        this.optimizer.apply(grads, this.eta);
      } finally {
        for (const g of grads) g.dispose();
      }
    } finally {
      if (!this.isGD) {
        Xb.dispose();
        yb.dispose();
      }
    }
    const epoch = this.epochIndex;
    this.t++;
    this.trace.stepsTaken = this.t;
    this.pos += b;
    if (this.pos >= this.data.n) {
      this.pos = 0;
      this.epochIndex++;
      if (!this.isGD) this.perm = this.prng.permutation(this.data.n);
    }
    const done = this.t >= this.opts.maxSteps;
    return {
      step: t,
      epoch,
      eta: this.eta,
      batchSize: b,
      recorded,
      batchLoss,
      done,
      reason: done ? this.stop('maxSteps') : null,
    };
  }

  /** Frees the trainer's tensors and optimizer state (the model stays alive). */
  dispose(): void {
    this.Xfull.dispose();
    this.yfull.dispose();
    this.testX?.dispose();
    this.agopX?.dispose();
    this.optimizer.dispose();
  }

  private stop(reason: StopReason): StopReason {
    if (this.finished) return this.finished;
    this.finished = reason;
    this.trace.reason = reason;
    if (reason === 'diverged') {
      this.trace.finalTrainLoss = NaN;
      this.trace.finalTrainMse = NaN;
    } else {
      const f = this.predictFull();
      this.trace.finalTrainLoss = halfSumSquaredLoss(f, this.data.y);
      this.trace.finalTrainMse = meanSquaredError(f, this.data.y);
    }
    return reason;
  }

  private badRecord(r: Record<string, number>): boolean {
    const v = r.trainLoss;
    return v !== undefined && (!Number.isFinite(v) || v > this.divergeAbove);
  }

  private predictFull(): Float32Array {
    const f = this.model.predict(this.Xfull);
    const out = f.dataSync() as Float32Array;
    f.dispose();
    return Float32Array.from(out);
  }

  private checkSchedule(s: LrSchedule): void {
    const kind = (s as { kind?: string } | undefined)?.kind;
    if (kind === 'constant') {
      const eta = (s as { eta: number }).eta;
      if (!Number.isFinite(eta) || eta < 0)
        throw new Error(`Trainer: schedule.eta must be a finite number ≥ 0, got ${eta}`);
    } else if (kind === 'steps') {
      const pts = (s as { points: { step: number; eta: number }[] }).points;
      if (!Array.isArray(pts) || pts.length === 0 || pts[0].step !== 0) {
        throw new Error('Trainer: schedule.points must be a non-empty list starting at step 0');
      }
      for (let i = 0; i < pts.length; i++) {
        if (!Number.isFinite(pts[i].eta) || pts[i].eta < 0)
          throw new Error(`Trainer: schedule.points[${i}].eta must be a finite number ≥ 0, got ${pts[i].eta}`);
        if (i > 0 && !(pts[i].step > pts[i - 1].step))
          throw new Error(
            `Trainer: schedule.points[${i}].step must increase, got ${pts[i].step} after ${pts[i - 1].step}`,
          );
      }
    } else if (kind === 'catapult-ladder') {
      const l = s as { factor: number; everySteps?: number; atSteps?: number[] };
      positiveFinite('schedule.factor', l.factor);
      if ((l.everySteps === undefined) === (l.atSteps === undefined)) {
        throw new Error('Trainer: a catapult-ladder schedule needs exactly one of everySteps or atSteps');
      }
      if (l.everySteps !== undefined && (!Number.isInteger(l.everySteps) || l.everySteps <= 0)) {
        throw new Error(`Trainer: schedule.everySteps must be a positive integer, got ${l.everySteps}`);
      }
      if (
        l.atSteps !== undefined &&
        (l.atSteps[0] !== 0 || l.atSteps.some((v, i) => !Number.isInteger(v) || (i > 0 && v <= l.atSteps![i - 1])))
      ) {
        throw new Error(
          `Trainer: schedule.atSteps must be increasing integers starting at 0, got [${l.atSteps.join(', ')}]`,
        );
      }
    } else {
      throw new Error(`Trainer: schedule.kind must be 'constant', 'steps' or 'catapult-ladder', got '${String(kind)}'`);
    }
  }

  /** η the schedule sets at step t, or null when the schedule leaves η unchanged at t. */
  private scheduledEta(t: number): number | null {
    const s = this.opts.schedule;
    if (s.kind === 'constant') return t === 0 ? s.eta : null;
    if (s.kind === 'steps') {
      const p = s.points.find((q) => q.step === t);
      return p ? p.eta : null;
    }
    const due = s.atSteps ? s.atSteps.includes(t) : t % (s.everySteps as number) === 0;
    if (!due || (s.maxRaises !== undefined && this.raises >= s.maxRaises)) return null;
    this.raises++;
    return s.factor * criticalLearningRate(lambdaMax(this.model, this.Xfull));
  }

  private nextBatch(): number[] {
    const end = Math.min(this.pos + this.batchSize, this.data.n);
    return Array.from(this.perm.subarray(this.pos, end));
  }

  private gather(idx: number[]): [tf.Tensor2D, tf.Tensor1D] {
    return tf.tidy(() => {
      const i = tf.tensor1d(idx, 'int32');
      return [tf.gather(this.Xfull, i) as tf.Tensor2D, tf.gather(this.yfull, i) as tf.Tensor1D];
    });
  }

  private push(name: string, v: number, out: Record<string, number>): void {
    (this.trace.series[name] ??= []).push(v);
    out[name] = v;
  }

  /** Whether a record step evaluates the training residual f(X) − y on the full set. */
  private recordNeedsResidual(): boolean {
    const w = this.what;
    return (
      w.has('trainLoss') ||
      w.has('lambdaMax') ||
      (w.has('projectedLoss') && (this.opts.record?.projectedLoss?.on ?? 'full') === 'full')
    );
  }

  /** Measures at w_t; `fullOutputs` is f(X) on the full training set at w_t if the step already has it. */
  private recordAt(
    t: number,
    idx: number[],
    Xb: tf.Tensor2D,
    batchLoss: number,
    fullOutputs: Float32Array | null,
  ): Record<string, number> {
    const w = this.what;
    const rec: RecordOptions = this.opts.record ?? { what: [] };
    const out: Record<string, number> = {};
    this.trace.steps.push(t);
    this.push('eta', this.eta, out);
    this.push('epoch', this.epochIndex, out);
    if (w.has('batchLoss')) this.push('batchLoss', batchLoss, out);
    if (w.has('batchIndices')) this.trace.batchIndices!.push(idx);
    const plOn = rec.projectedLoss?.on ?? 'full';
    const s = rec.projectedLoss?.s ?? 5;
    const wantPl = w.has('projectedLoss');
    let fullFinite = true;
    if (this.recordNeedsResidual()) {
      const r = residual(this.model, this.Xfull, this.data.y, fullOutputs);
      let r2 = 0;
      for (const x of r) r2 += x * x;
      fullFinite = Number.isFinite(r2);
      if (w.has('trainLoss')) {
        this.push('trainLoss', 0.5 * r2, out);
        this.push('trainMse', mseFromHalfSum(0.5 * r2, r.length), out);
      }
      if (!Number.isFinite(r2)) {
        // weights have blown up (SGD: the batch was still finite); the step is marked diverged
        if (w.has('lambdaMax')) ['lambdaMax', 'etaCrit'].forEach((k) => this.push(k, NaN, out));
        if (wantPl && plOn === 'full') ['pl', 'plPerp', 'plTotal'].forEach((k) => this.push(k, NaN, out));
      } else if (w.has('lambdaMax') || (wantPl && plOn === 'full')) {
        const eig = topKernelEigen(this.model, this.Xfull, wantPl && plOn === 'full' ? s : 1);
        if (w.has('lambdaMax')) {
          this.push('lambdaMax', eig.values[0], out);
          this.push('etaCrit', criticalLearningRateUnchecked(eig.values[0]), out);
        }
        if (wantPl && plOn === 'full') this.pushPl(projectedLoss(eig, r, s), out);
      }
    }
    if (fullFinite && (w.has('batchLambdaMax') || w.has('batchEtaCrit') || (wantPl && plOn === 'batch'))) {
      const eig = topKernelEigen(this.model, Xb, wantPl && plOn === 'batch' ? s : 1);
      if (w.has('batchLambdaMax')) this.push('batchLambdaMax', eig.values[0], out);
      if (w.has('batchEtaCrit')) this.push('batchEtaCrit', criticalLearningRateUnchecked(eig.values[0]), out);
      if (wantPl && plOn === 'batch') {
        const yb = idx.map((i) => this.data.y[i]);
        this.pushPl(projectedLoss(eig, residual(this.model, Xb, Float32Array.from(yb)), s), out);
      }
    }
    if (!fullFinite) {
      for (const k of ['batchLambdaMax', 'batchEtaCrit', 'agopAlignment', 'testLoss'] as const)
        if (w.has(k)) this.push(k, NaN, out);
      if (wantPl && plOn === 'batch') ['pl', 'plPerp', 'plTotal'].forEach((k) => this.push(k, NaN, out));
      return out;
    }
    if (w.has('agopAlignment'))
      this.push('agopAlignment', agopAlignment(agop(this.model, this.agopX!), rec.agopTarget!), out);
    if (w.has('testLoss')) {
      const f = this.model.predict(this.testX!);
      this.push('testLoss', meanSquaredError(f.dataSync(), rec.test!.y), out);
      f.dispose();
    }
    return out;
  }

  private pushPl(p: { pl: number; plPerp: number; total: number }, out: Record<string, number>): void {
    this.push('pl', p.pl, out);
    this.push('plPerp', p.plPerp, out);
    this.push('plTotal', p.total, out);
  }
}

/** Runs a Trainer to the end (maxSteps, stop rule or divergence) and returns its trace. */
export function train(model: ScalarModel, data: Dataset, opts: TrainOptions): TrainTrace {
  const trainer = new Trainer(model, data, opts);
  try {
    while (!trainer.step().done);
    return trainer.getTrace();
  } finally {
    trainer.dispose();
  }
}

/**
 * Steps a Trainer to the end, calling `measure(t)` at w_t (before step t's update) on the steps where
 * `measureAt(t)` holds, and `progress(t)` every `progressEvery` steps; returns the trace. The caller
 * still owns the trainer (dispose it).
 */
export function runWithMeasurements(
  trainer: Trainer,
  measureAt: (t: number) => boolean,
  measure: (t: number) => void,
  progress: (t: number) => void = () => {},
  progressEvery = 10,
): TrainTrace {
  let info: StepInfo;
  do {
    const t = trainer.state.step;
    if (measureAt(t)) measure(t);
    info = trainer.step();
    if (t % progressEvery === 0) progress(t);
  } while (!info.done);
  return trainer.getTrace();
}
