import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { createShallowNet, shallowNetFromWeights } from '../../../../src/lib/models/shallow';
import {
  assertNoLeaks,
  data,
  fdGrads,
  gatedForward64,
  halfSse,
  modelGrads,
  relErr,
} from '../../helpers/modelReference';

before(async () => {
  await initBackend();
});

test('shallow net: value, loss and hand-written gradients match a float64 reference and central differences', () => {
  const prng = new Prng(11);
  const n = 7,
    d = 5,
    m = 16;
  const net = createShallowNet({ d, m, prng });
  const { X, y, x, yv } = data(prng, n, d);
  const [U, v] = net.getWeights();
  const f64 = gatedForward64(U, v, U, x, n, d);
  const f = net.predict(X);
  assert.ok(relErr(f.dataSync(), f64) < 1e-5, 'predict');
  f.dispose();
  const { loss, grads } = modelGrads(net, X, y);
  assert.ok(Math.abs(loss - halfSse(f64, yv)) / halfSse(f64, yv) < 1e-5, 'loss');
  const w64 = [Float64Array.from(U), Float64Array.from(v)];
  const fd = fdGrads((w) => halfSse(gatedForward64(w[0], w[1], w[0], x, n, d), yv), w64);
  assert.ok(relErr(grads[0], fd[0]) < 1e-3, `dL/dU rel err ${relErr(grads[0], fd[0])}`);
  assert.ok(relErr(grads[1], fd[1]) < 1e-3, `dL/dv rel err ${relErr(grads[1], fd[1])}`);
  net.dispose();
  X.dispose();
  y.dispose();
});

test('shallow net: vInit sign gives ±1 readout weights; shallowNetFromWeights round-trips', () => {
  const net = createShallowNet({ d: 3, m: 50, prng: new Prng(2), vInit: 'sign' });
  const [U, v] = net.getWeights();
  assert.ok(v.every((s) => s === 1 || s === -1));
  assert.ok(v.some((s) => s === 1) && v.some((s) => s === -1));
  const copy = shallowNetFromWeights(U, v, 3);
  assert.deepEqual(copy.getWeights(), [U, v]);
  assert.equal(copy.numParams, 50 * 3 + 50);
  assert.equal(copy.kind, 'shallow-relu-ntk');
  net.dispose();
  copy.dispose();
});

test('shallow net: input gradients match central differences of the float64 forward', () => {
  const prng = new Prng(5);
  const n = 4,
    d = 6,
    m = 20;
  const net = createShallowNet({ d, m, prng });
  const { X, y, x } = data(prng, n, d);
  const [U, v] = net.getWeights();
  const g = net.inputGradients(X);
  const x64 = Float64Array.from(x);
  const [fd] = fdGrads((w) => gatedForward64(U, v, U, w[0], n, d).reduce((a, b) => a + b, 0), [x64]);
  assert.ok(relErr(g, fd) < 1e-4, `input-gradient rel err ${relErr(g, fd)}`);
  net.dispose();
  X.dispose();
  y.dispose();
});

test('shallow net: bad shapes and options throw errors that name the field', () => {
  assert.throws(() => createShallowNet({ d: 0, m: 4, prng: new Prng(1) }), /d must be a positive integer/);
  assert.throws(() => createShallowNet({ d: 2, m: 4, prng: new Prng(1), vInit: 'uniform' as 'sign' }), /vInit/);
  assert.throws(() => shallowNetFromWeights(new Float32Array(5), new Float32Array(2), 3), /U has 5 entries/);
  const net = createShallowNet({ d: 3, m: 4, prng: new Prng(1) });
  const X = tf.zeros([2, 4]) as tf.Tensor2D;
  assert.throws(() => net.predict(X), /X must be an n×3 tensor/);
  assert.throws(() => net.setWeights([new Float32Array(3)]), /setWeights/);
  X.dispose();
  net.dispose();
});

test('no tensors leak across repeated lossAndGrads, predict, tangentKernel and inputGradients, nor from create + dispose', () => {
  const prng = new Prng(61);
  const net = createShallowNet({ d: 4, m: 8, prng });
  const { X, y } = data(prng, 6, 4);
  assertNoLeaks(net, X, y);
  [net, X, y].forEach((t) => t.dispose());
  const start = tf.memory().numTensors;
  createShallowNet({ d: 4, m: 8, prng }).dispose();
  assert.equal(tf.memory().numTensors, start);
});
