import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { createResNet } from '../../../../src/lib/models/resnet';
import { createCnn } from '../../../../src/lib/models/cnn';
import { jacobian } from '../../../../src/lib/tangentKernel';
import { checkInputGradients, checkLossGradients } from '../../helpers/gradientChecks';

before(async () => {
  await initBackend();
});

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

test('bad shapes name the field', () => {
  assert.throws(
    () => createResNet({ height: 4, width: 4, channels: 1, filters: 0, blocks: 1, prng: new Prng(0) }),
    /filters must be a positive integer/,
  );
});
