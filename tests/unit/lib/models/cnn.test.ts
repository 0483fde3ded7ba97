import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { createCnn } from '../../../../src/lib/models/cnn';
import { assertNoLeaks, data, fdGrads, halfSse, modelGrads, relErr } from '../../helpers/modelReference';

before(async () => {
  await initBackend();
});

/** Direct 3×3 'same' convolution net (no im2col), HWC layout, kernels [(3·di+dj)·Cin + c, F]. */
function cnnForward64(
  W: Float64Array[],
  X: ArrayLike<number>,
  n: number,
  H: number,
  Wd: number,
  C: number,
  F: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = Float64Array.from({ length: H * Wd * C }, (_, t) => X[i * H * Wd * C + t]);
    let cin = C;
    for (let l = 0; l < W.length - 1; l++) {
      const h = new Float64Array(H * Wd * F);
      for (let r = 0; r < H; r++) {
        for (let c = 0; c < Wd; c++) {
          for (let o = 0; o < F; o++) {
            let s = 0;
            for (let di = 0; di < 3; di++) {
              for (let dj = 0; dj < 3; dj++) {
                const rr = r + di - 1;
                const cc = c + dj - 1;
                if (rr < 0 || rr >= H || cc < 0 || cc >= Wd) continue;
                for (let q = 0; q < cin; q++)
                  s += a[(rr * Wd + cc) * cin + q] * W[l][((3 * di + dj) * cin + q) * F + o];
              }
            }
            h[(r * Wd + c) * F + o] = Math.max(s / Math.sqrt(9 * cin), 0);
          }
        }
      }
      a = h;
      cin = F;
    }
    let f = 0;
    for (let o = 0; o < F; o++) {
      let pool = 0;
      for (let t = 0; t < H * Wd; t++) pool += a[t * F + o];
      f += (pool / (H * Wd)) * W[W.length - 1][o];
    }
    out[i] = f / Math.sqrt(F);
  }
  return out;
}

test('CNN: im2col forward equals tf.conv2d and a direct float64 convolution; gradients match central differences', () => {
  const prng = new Prng(51);
  const H = 5,
    W = 4,
    C = 2,
    F = 3,
    depth = 3,
    n = 3;
  const cnn = createCnn({ height: H, width: W, channels: C, filters: F, depth, prng });
  assert.equal(cnn.kind, 'cnn');
  assert.equal(cnn.inputDim, H * W * C);
  const d = H * W * C;
  const { X, y, x, yv } = data(prng, n, d);
  const w = cnn.getWeights();
  const w64 = w.map((a) => Float64Array.from(a));
  const f = Float64Array.from(cnn.predict(X).dataSync());
  assert.ok(relErr(f, cnnForward64(w64, x, n, H, W, C, F)) < 1e-5);
  const viaConv = tf.tidy(() => {
    let a = tf.reshape(X, [n, H, W, C]) as tf.Tensor4D;
    let cin = C;
    for (let l = 0; l < depth - 1; l++) {
      const k = tf.tensor4d(w[l], [3, 3, cin, F]);
      a = tf.relu(tf.mul(tf.conv2d(a, k, 1, 'same'), 1 / Math.sqrt(9 * cin))) as tf.Tensor4D;
      cin = F;
    }
    return tf.mul(tf.matMul(tf.mean(a, [1, 2]) as tf.Tensor2D, tf.tensor2d(w[depth - 1], [F, 1])), 1 / Math.sqrt(F));
  });
  assert.ok(relErr(f, viaConv.dataSync()) < 1e-5);
  viaConv.dispose();
  const { grads } = modelGrads(cnn, X, y);
  const fd = fdGrads((ww) => halfSse(cnnForward64(ww, x, n, H, W, C, F), yv), w64);
  grads.forEach((g, l) => assert.ok(relErr(g, fd[l]) < 1e-3, `layer ${l} rel err ${relErr(g, fd[l])}`));
  const gi = cnn.inputGradients(X);
  const [fdx] = fdGrads(
    (xx) => cnnForward64(w64, xx[0], n, H, W, C, F).reduce((a, b) => a + b, 0),
    [Float64Array.from(x)],
  );
  assert.ok(relErr(gi, fdx) < 1e-3, `input-gradient rel err ${relErr(gi, fdx)}`);
  assert.throws(() => createCnn({ height: 28, width: 28, channels: 0, filters: 4, depth: 5, prng }), /channels/);
  cnn.dispose();
  X.dispose();
  y.dispose();
});

test('no tensors leak across repeated lossAndGrads, predict, tangentKernel and inputGradients, nor from create + dispose', () => {
  const prng = new Prng(61);
  const cnn = createCnn({ height: 2, width: 2, channels: 1, filters: 2, depth: 2, prng });
  const { X, y } = data(prng, 6, 4);
  assertNoLeaks(cnn, X, y);
  [cnn, X, y].forEach((t) => t.dispose());
  const start = tf.memory().numTensors;
  createCnn({ height: 2, width: 2, channels: 1, filters: 2, depth: 3, prng }).dispose();
  assert.equal(tf.memory().numTensors, start);
});
