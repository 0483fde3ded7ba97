import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { createVit } from '../../../../src/lib/models/vit';
import { checkInputGradients, checkLossGradients } from '../../helpers/gradientChecks';

before(async () => {
  await initBackend();
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
    a.map((row) =>
      Array.from({ length: cols }, (_, j) => row.reduce((sum, v, i) => sum + v * W[i * cols + j], 0) / Math.sqrt(fan)),
    );
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
  const m = mat(
    mat(h, w[6], 2, D).map((r) => r.map((x) => Math.max(0, x))),
    w[7],
    D,
    2,
  );
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
  assert.throws(
    () => createVit({ height: 5, width: 4, channels: 1, patch: 2, dim: 4, mlp: 4, blocks: 1, prng: new Prng(0) }),
    /patch = 2 must divide height = 5/,
  );
});
