import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { createFcn } from '../../../../src/lib/models/fcn';
import { assertNoLeaks, data, fdGrads, halfSse, modelGrads, relErr } from '../../helpers/modelReference';

before(async () => {
  await initBackend();
});

function fcnForward64(W: Float64Array[], X: ArrayLike<number>, n: number, d: number, width: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = Array.from({ length: d }, (_, k) => X[i * d + k]);
    let fanIn = d;
    for (let l = 0; l < W.length; l++) {
      const outDim = l === W.length - 1 ? 1 : width;
      const h = new Array<number>(outDim).fill(0);
      for (let o = 0; o < outDim; o++) {
        for (let k = 0; k < fanIn; k++) h[o] += W[l][k * outDim + o] * a[k];
        h[o] /= Math.sqrt(fanIn);
      }
      a = l === W.length - 1 ? h : h.map((z) => Math.max(z, 0));
      fanIn = width;
    }
    out[i] = a[0];
  }
  return out;
}

test('FCN: value and autodiff gradients match a float64 reference and central differences', () => {
  const prng = new Prng(41);
  const n = 4,
    d = 5,
    width = 6,
    depth = 4;
  const fcn = createFcn({ d, width, depth, prng });
  assert.equal(fcn.kind, 'fcn');
  assert.equal(fcn.numParams, d * width + width * width * 2 + width);
  const { X, y, x, yv } = data(prng, n, d);
  const w64 = fcn.getWeights().map((w) => Float64Array.from(w));
  const f = fcn.predict(X);
  assert.ok(relErr(f.dataSync(), fcnForward64(w64, x, n, d, width)) < 1e-5);
  f.dispose();
  const { loss, grads } = modelGrads(fcn, X, y);
  assert.ok(Math.abs(loss - halfSse(fcnForward64(w64, x, n, d, width), yv)) < 1e-4 * loss);
  const fd = fdGrads((w) => halfSse(fcnForward64(w, x, n, d, width), yv), w64);
  grads.forEach((g, l) => assert.ok(relErr(g, fd[l]) < 1e-3, `layer ${l} rel err ${relErr(g, fd[l])}`));
  const gi = fcn.inputGradients(X);
  const [fdx] = fdGrads((w) => fcnForward64(w64, w[0], n, d, width).reduce((a, b) => a + b, 0), [Float64Array.from(x)]);
  assert.ok(relErr(gi, fdx) < 1e-3, `input-gradient rel err ${relErr(gi, fdx)}`);
  assert.throws(() => createFcn({ d, width, depth: 1, prng }), /depth/);
  fcn.dispose();
  X.dispose();
  y.dispose();
});

test('no tensors leak across repeated lossAndGrads, predict, tangentKernel and inputGradients, nor from create + dispose', () => {
  const prng = new Prng(61);
  const fcn = createFcn({ d: 4, width: 5, depth: 3, prng });
  const { X, y } = data(prng, 6, 4);
  assertNoLeaks(fcn, X, y);
  [fcn, X, y].forEach((t) => t.dispose());
  const start = tf.memory().numTensors;
  createFcn({ d: 4, width: 5, depth: 3, prng }).dispose();
  assert.equal(tf.memory().numTensors, start);
});
