/**
 * Shared set-up of chapter 1's shallow-network runs: rank-2 data and an NTK-parameterised ReLU net
 * from one seed. Data come from stream SEED_STREAM.data and weights from SEED_STREAM.weights, so runs with the same
 * seed share data and initialisation across learning rates and (for the data) across widths.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SEED_STREAM, type Prng } from '../lib/prng';
import { rank2Task, sampleTask, type Task } from '../lib/tasks';
import { createShallowNet, type ShallowNet } from '../lib/models/shallow';
import { lambdaMax } from '../lib/tangentKernel';
import type { Dataset } from '../lib/models/model';

export interface ShallowSetup {
  data: Dataset;
  net: ShallowNet;
  /** The training inputs as a tensor (caller disposes through `dispose`). */
  X: tf.Tensor2D;
  /** λ_max(K(w0)) on the training set; η_crit = 2/λ0 under L = ½Σ(f−y)². */
  lambda0: number;
  dispose(): void;
}

/**
 * Rank-2 data (x ~ N(0, I_d), y = x1·x2) and a shallow net with v ~ N(0,1), u ~ N(0, I_d).
 * `knownLambda0`: λ0 of an earlier set-up from an equal Prng and sizes (the same data and weights),
 * so repeated set-ups (bisection probes) do not recompute the kernel.
 */
export function rank2ShallowSetup(prng: Prng, n: number, d: number, m: number, knownLambda0?: number): ShallowSetup {
  const data = sampleTask(rank2Task(d), n, prng.fork(SEED_STREAM.data));
  const net = createShallowNet({ d, m, prng: prng.fork(SEED_STREAM.weights) });
  const X = tf.tensor2d(data.X, [n, d]);
  const lambda0 = knownLambda0 ?? lambdaMax(net, X);
  return {
    data,
    net,
    X,
    lambda0,
    dispose() {
      X.dispose();
      net.dispose();
    },
  };
}

export interface RegressionSetup {
  data: Dataset;
  test: Dataset;
  net: ShallowNet;
  X: tf.Tensor2D;
  Xt: tf.Tensor2D;
  /** Variance (1/nTest)Σ(y − ȳ)² of the test targets, the scale test losses are reported against. */
  testVariance: number;
  dispose(): void;
}

/**
 * Training set, test set and a shallow net for a synthetic regression task, paired by seed: the
 * training data come from stream SEED_STREAM.data, the weights from .weights, the test set from .test
 * (in that order), so runs with the same seed share all three whatever else they vary.
 */
export function regressionSetup(prng: Prng, task: Task, n: number, nTest: number, m: number): RegressionSetup {
  const data = sampleTask(task, n, prng.fork(SEED_STREAM.data));
  const net = createShallowNet({ d: task.d, m, prng: prng.fork(SEED_STREAM.weights) });
  const test = sampleTask(task, nTest, prng.fork(SEED_STREAM.test));
  const X = tf.tensor2d(data.X, [n, task.d]);
  const Xt = tf.tensor2d(test.X, [nTest, task.d]);
  return {
    data,
    test,
    net,
    X,
    Xt,
    testVariance: variance(test.y),
    dispose() {
      X.dispose();
      Xt.dispose();
      net.dispose();
    },
  };
}

/** Population variance (1/n)Σ(y − ȳ)², accumulated term by term as (1/n)-weighted sums. */
function variance(y: ArrayLike<number>): number {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (y[i] - mean) ** 2 / n;
  return v;
}
