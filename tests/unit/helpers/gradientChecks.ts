/** Directional finite-difference checks of loss and input gradients, for the autodiff models. */
import * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../../../src/lib/prng';
import type { ScalarModel } from '../../../src/lib/models/model';

/** ½Σ(f−y)² evaluated at weights w (float32 forward, float64 sum). */
function lossAt(model: ScalarModel, w: Float32Array[], X: tf.Tensor2D, y: Float32Array): number {
  model.setWeights(w);
  const f = model.predict(X);
  const fv = f.dataSync();
  f.dispose();
  let s = 0;
  for (let i = 0; i < y.length; i++) s += 0.5 * (fv[i] - y[i]) ** 2;
  return s;
}

/**
 * Directional check: (L(w + εv) − L(w − εv)) / 2ε against ⟨∇L, v⟩ along random unit directions v.
 * ReLU kinks are crossed with probability ~ε, so a few directions with ε = 1e-3 are enough.
 */
export function checkLossGradients(model: ScalarModel, X: tf.Tensor2D, y: Float32Array, prng: Prng): number {
  const w0 = model.getWeights();
  const yt = tf.tensor1d(y);
  const { loss, grads } = model.lossAndGrads(X, yt);
  loss.dispose();
  const g = grads.map((t) => Float64Array.from(t.dataSync()));
  grads.forEach((t) => t.dispose());
  yt.dispose();
  let worst = 0;
  for (let trial = 0; trial < 3; trial++) {
    const v = w0.map((a) => prng.normalArray(a.length));
    let norm = 0;
    v.forEach((a) => a.forEach((x) => (norm += x * x)));
    norm = Math.sqrt(norm);
    const eps = 1e-3;
    const shift = (sign: number) => w0.map((a, k) => Float32Array.from(a, (x, j) => x + (sign * eps * v[k][j]) / norm));
    const fd = (lossAt(model, shift(1), X, y) - lossAt(model, shift(-1), X, y)) / (2 * eps);
    let dir = 0;
    g.forEach((a, k) => a.forEach((x, j) => (dir += (x * v[k][j]) / norm)));
    worst = Math.max(worst, Math.abs(fd - dir) / Math.max(Math.abs(dir), 1e-3));
  }
  model.setWeights(w0);
  return worst;
}

/** Directional check of ∇_x f against central differences of f along a random input direction. */
export function checkInputGradients(model: ScalarModel, Xv: Float32Array, n: number, d: number, prng: Prng): number {
  const X = tf.tensor2d(Xv, [n, d]);
  const gi = model.inputGradients(X);
  X.dispose();
  const raw = prng.normalArray(n * d);
  const norm = Math.sqrt(raw.reduce((a, b) => a + b * b, 0));
  const v = Float32Array.from(raw, (x) => x / norm);
  const eps = 1e-3;
  const f = (sign: number) => {
    const Xs = tf.tensor2d(
      Float32Array.from(Xv, (x, j) => x + sign * eps * v[j]),
      [n, d],
    );
    const out = model.predict(Xs);
    let s = 0;
    for (const y of out.dataSync()) s += y;
    out.dispose();
    Xs.dispose();
    return s;
  };
  const fd = (f(1) - f(-1)) / (2 * eps);
  let dir = 0;
  gi.forEach((x, j) => (dir += x * v[j]));
  return Math.abs(fd - dir) / Math.max(Math.abs(dir), 1e-3);
}
