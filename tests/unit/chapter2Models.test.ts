import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { createResNet } from '../../src/lib/models/resnet';
import { createVit } from '../../src/lib/models/vit';
import { createCnn } from '../../src/lib/models/cnn';
import { jacobian } from '../../src/lib/tangentKernel';
import type { ScalarModel } from '../../src/lib/models/model';

before(async () => {
  await initBackend();
});

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
function checkLossGradients(model: ScalarModel, X: tf.Tensor2D, y: Float32Array, prng: Prng): number {
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
function checkInputGradients(model: ScalarModel, Xv: Float32Array, n: number, d: number, prng: Prng): number {
  const X = tf.tensor2d(Xv, [n, d]);
  const gi = model.inputGradients(X);
  X.dispose();
  const raw = prng.normalArray(n * d);
  const norm = Math.sqrt(raw.reduce((a, b) => a + b * b, 0));
  const v = Float32Array.from(raw, (x) => x / norm);
  const eps = 1e-3;
  const f = (sign: number) => {
    const Xs = tf.tensor2d(Float32Array.from(Xv, (x, j) => x + sign * eps * v[j]), [n, d]);
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

test('ResNet: loss and input gradients match central differences; K = JJᵀ', () => {
  const prng = new Prng(3);
  const net = createResNet({ height: 6, width: 6, channels: 1, filters: 4, blocks: 2, prng: prng.fork(1) });
  assert.equal(net.numParams, 9 * 4 + 4 * 36 * 4 + 4);
  const n = 3;
  const Xv = prng.normalArray(n * 36);
  const y = prng.normalArray(n);
  const X = tf.tensor2d(Xv, [n, 36]);
  const e = checkLossGradients(net, X, y, prng);
  assert.ok(e < 2e-2, `ResNet loss-gradient rel err ${e}`);
  const ei = checkInputGradients(net, Xv, n, 36, prng);
  assert.ok(ei < 2e-2, `ResNet input-gradient rel err ${ei}`);
  const J = jacobian(net, X);
  const K = net.tangentKernel(X);
  const p = net.numParams;
  let s01 = 0;
  for (let a = 0; a < p; a++) s01 += J[a] * J[p + a];
  assert.ok(Math.abs(K[1] - s01) < 1e-6 * Math.max(1, Math.abs(s01)));
  X.dispose();
  net.dispose();
});

test('ResNet with no residual effect reduces to a CNN: zero second convs give the CNN of the same stem', () => {
  const prng = new Prng(5);
  const net = createResNet({ height: 5, width: 5, channels: 1, filters: 3, blocks: 1, prng: prng.fork(1) });
  const w = net.getWeights();
  // a_1 = a_0/√2 when the block's second conv is zero; f = readout·mean relu(a_0)/√2/√F.
  w[2] = new Float32Array(w[2].length);
  net.setWeights(w);
  const cnn = createCnn({ height: 5, width: 5, channels: 1, filters: 3, depth: 2, prng: prng.fork(2) });
  cnn.setWeights([w[0], Float32Array.from(w[3], (x) => x * Math.SQRT1_2)]);
  const X = tf.tensor2d(prng.normalArray(2 * 25), [2, 25]);
  const a = net.predict(X);
  const b = cnn.predict(X);
  const av = a.dataSync();
  const bv = b.dataSync();
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(av[i] - bv[i]) < 1e-5, `resnet ${av[i]} vs cnn ${bv[i]}`);
  [a, b, X].forEach((t) => t.dispose());
  net.dispose();
  cnn.dispose();
});

test('ViT: loss and input gradients match central differences; parameter count', () => {
  const prng = new Prng(4);
  const shape = { height: 4, width: 4, channels: 1, patch: 2, dim: 6, mlp: 8, blocks: 2 };
  const vit = createVit({ ...shape, prng: prng.fork(1) });
  assert.equal(vit.tokens, 4);
  assert.equal(vit.numParams, 4 * 6 + 4 * 6 + 2 * (4 * 36 + 2 * 48) + 6);
  const n = 3;
  const Xv = prng.normalArray(n * 16);
  const y = prng.normalArray(n);
  const X = tf.tensor2d(Xv, [n, 16]);
  const e = checkLossGradients(vit, X, y, prng);
  assert.ok(e < 2e-2, `ViT loss-gradient rel err ${e}`);
  const ei = checkInputGradients(vit, Xv, n, 16, prng);
  assert.ok(ei < 2e-2, `ViT input-gradient rel err ${ei}`);
  X.dispose();
  vit.dispose();
});

test('ViT forward equals a float64 reference on a 1-block model', () => {
  const prng = new Prng(9);
  const s = { height: 4, width: 2, channels: 1, patch: 2, dim: 3, mlp: 2, blocks: 1 };
  const vit = createVit({ ...s, prng: prng.fork(1) });
  const w = vit.getWeights();
  const x = prng.normalArray(8);
  // tokens: patch (r, c) = pixels rows 2r..2r+1, cols 2c..2c+1, in (row, col) order
  const T = 2;
  const D = 3;
  const toks = [0, 1].map((r) => [0, 1, 2, 3].map((k) => x[(2 * r + (k >> 1)) * 2 + (k & 1)]));
  const mat = (a: number[][], W: Float32Array, cols: number, fan: number) =>
    a.map((row) => Array.from({ length: cols }, (_, j) => row.reduce((sum, v, i) => sum + v * W[i * cols + j], 0) / Math.sqrt(fan)));
  let h = mat(toks, w[0], D, 4).map((row, t) => row.map((v, j) => v + w[1][t * D + j]));
  const q = mat(h, w[2], D, D);
  const k = mat(h, w[3], D, D);
  const v = mat(h, w[4], D, D);
  const att = q.map((qi) => {
    const e = k.map((kj) => Math.exp(qi.reduce((sum, a, c) => sum + a * kj[c], 0) / Math.sqrt(D)));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
  const av = att.map((row) => Array.from({ length: D }, (_, c) => row.reduce((sum, a, j) => sum + a * v[j][c], 0)));
  const o = mat(av, w[5], D, D);
  h = h.map((row, t) => row.map((x, c) => (x + o[t][c]) * Math.SQRT1_2));
  const m = mat(mat(h, w[6], 2, D).map((r) => r.map((x) => Math.max(0, x))), w[7], D, 2);
  h = h.map((row, t) => row.map((x, c) => (x + m[t][c]) * Math.SQRT1_2));
  const pooled = [0, 1, 2].map((c) => (h[0][c] + h[1][c]) / T);
  const ref = pooled.reduce((sum, x, c) => sum + x * w[8][c], 0) / Math.sqrt(D);
  const X = tf.tensor2d(x, [1, 8]);
  const f = vit.predict(X);
  assert.ok(Math.abs(f.dataSync()[0] - ref) < 1e-5, `vit ${f.dataSync()[0]} vs reference ${ref}`);
  f.dispose();
  X.dispose();
  vit.dispose();
});

test('bad shapes name the field', () => {
  assert.throws(() => createVit({ height: 5, width: 4, channels: 1, patch: 2, dim: 4, mlp: 4, blocks: 1, prng: new Prng(0) }), /patch = 2 must divide height = 5/);
  assert.throws(() => createResNet({ height: 4, width: 4, channels: 1, filters: 0, blocks: 1, prng: new Prng(0) }), /filters must be a positive integer/);
});

test('liveChannels: exact counts, and a CNN whose last conv layer is dead has a zero tangent kernel', async () => {
  const { countLiveColumns } = await import('../../src/lib/models/liveChannels');
  const { Cnn } = await import('../../src/lib/models/cnn');
  const { jacobian } = await import('../../src/lib/tangentKernel');
  assert.equal(countLiveColumns(tf.tensor2d([0, 1, 0, 0, 0, 2, 0, 0, 3], [3, 3])), 2);
  const prng = new Prng(5);
  const shape = { height: 4, width: 4, channels: 1, filters: 3, depth: 3 };
  const first = prng.normalArray(9 * 3);
  const X = tf.tensor2d(Float32Array.from(prng.normalArray(2 * 16), (v) => Math.abs(v)), [2, 16]);
  // Last conv layer with only negative weights: its inputs are ReLU outputs (≥ 0), so every channel is 0.
  const dead = new Cnn(shape, [first, Float32Array.from(prng.normalArray(27 * 3), (v) => -Math.abs(v) - 0.1), prng.normalArray(3)]);
  assert.equal(dead.liveChannels(X), 0);
  assert.ok(jacobian(dead, X).every((v) => v === 0));
  // Flip the sign of one output channel's weights: that channel comes alive on these positive inputs.
  const w = Float32Array.from(prng.normalArray(27 * 3), (v) => -Math.abs(v) - 0.1);
  for (let r = 0; r < 27; r++) w[r * 3 + 1] = -w[r * 3 + 1];
  const oneLive = new Cnn(shape, [Float32Array.from(first, Math.abs), w, prng.normalArray(3)]);
  assert.equal(oneLive.liveChannels(X), 1);
  for (const m of [dead, oneLive]) m.dispose();
  X.dispose();
});
