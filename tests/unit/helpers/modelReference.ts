/**
 * Float64 references for the model tests, written independently of the library: the gated ReLU
 * forward pass, ½Σ loss, central differences, a relative error, and a tensor-leak check.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../../../src/lib/prng';
import type { ScalarModel } from '../../../src/lib/models/model';

/** f(x) = (1/√m) Σ_j v_j 1[g_jᵀx > 0] u_jᵀx/√d; g = U gives the ReLU net, g = U0 the NQM. */
export function gatedForward64(
  U: ArrayLike<number>,
  v: ArrayLike<number>,
  G: ArrayLike<number>,
  X: ArrayLike<number>,
  n: number,
  d: number,
): Float64Array {
  const m = v.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      let z = 0;
      let g = 0;
      for (let k = 0; k < d; k++) {
        z += U[j * d + k] * X[i * d + k];
        g += G[j * d + k] * X[i * d + k];
      }
      if (g > 0) s += (v[j] * z) / Math.sqrt(d);
    }
    f[i] = s / Math.sqrt(m);
  }
  return f;
}

export function halfSse(f: Float64Array, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < f.length; i++) s += 0.5 * (f[i] - y[i]) ** 2;
  return s;
}

/** Central differences of a float64 loss over every entry of every weight array. */
export function fdGrads(loss: (w: Float64Array[]) => number, w: Float64Array[], eps = 1e-6): Float64Array[] {
  return w.map((arr, a) => {
    const g = new Float64Array(arr.length);
    for (let k = 0; k < arr.length; k++) {
      const keep = arr[k];
      arr[k] = keep + eps;
      const up = loss(w);
      arr[k] = keep - eps;
      const down = loss(w);
      arr[k] = keep;
      g[k] = (up - down) / (2 * eps);
      void a;
    }
    return g;
  });
}

export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

export function modelGrads(
  model: ScalarModel,
  X: tf.Tensor2D,
  y: tf.Tensor1D,
): { loss: number; grads: Float32Array[] } {
  const { loss, grads } = model.lossAndGrads(X, y);
  const out = { loss: loss.dataSync()[0], grads: grads.map((g) => Float32Array.from(g.dataSync())) };
  loss.dispose();
  grads.forEach((g) => g.dispose());
  return out;
}

export function data(
  prng: Prng,
  n: number,
  d: number,
): { X: tf.Tensor2D; y: tf.Tensor1D; x: Float32Array; yv: Float32Array } {
  const x = prng.normalArray(n * d);
  const yv = prng.normalArray(n);
  return { X: tf.tensor2d(x, [n, d]), y: tf.tensor1d(yv), x, yv };
}

/** Runs every model method once, then three times more, and fails if the live tensor count moved. */
export function assertNoLeaks(model: ScalarModel, X: tf.Tensor2D, y: tf.Tensor1D): void {
  const once = () => {
    modelGrads(model, X, y);
    model.predict(X).dispose();
    model.tangentKernel(X);
    model.inputGradients(X);
    model.setWeights(model.getWeights());
    model.tangentKernelMatvec?.(X).dispose();
  };
  once();
  const before = tf.memory().numTensors;
  for (let r = 0; r < 3; r++) once();
  assert.equal(tf.memory().numTensors, before, `${model.kind} leaks tensors`);
}
