import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { relativeFrobeniusError, matMulTransposeA, matMulTransposeB } from '../../../src/lib/linalg';

before(async () => {
  await initBackend();
});

test('explicit-transpose matmul helpers equal the transpose-flag products', () => {
  const prng = new Prng(107);
  const a = tf.tensor2d(prng.normalArray(12), [4, 3]);
  const b = tf.tensor2d(prng.normalArray(15), [5, 3]);
  const c = tf.tensor2d(prng.normalArray(8), [4, 2]);
  const abT = matMulTransposeB(a, b);
  const aTc = matMulTransposeA(a, c);
  assert.deepEqual(abT.shape, [4, 5]);
  assert.deepEqual(aTc.shape, [3, 2]);
  const ref1 = tf.matMul(a, b, false, true);
  const ref2 = tf.matMul(a, c, true, false);
  assert.ok(relativeFrobeniusError(abT.dataSync(), ref1.dataSync()) < 1e-6);
  assert.ok(relativeFrobeniusError(aTc.dataSync(), ref2.dataSync()) < 1e-6);
  [a, b, c, abT, aTc, ref1, ref2].forEach((t) => t.dispose());
});
