import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { createShallowNet } from '../../../src/lib/models/shallow';
import { batchLambdaMax } from '../../../src/lib/tangentKernel';
import { epochBatchLambdas } from '../../../src/lib/batchKernels';

before(async () => {
  await initBackend();
});

test('one λ_max per full batch of consecutive permutation indices, each equal to batchLambdaMax of that batch', () => {
  const net = createShallowNet({ d: 3, m: 16, prng: new Prng(1) });
  const X = tf.tensor2d(new Prng(2).normalArray(10 * 3), [10, 3]);
  const perm = new Prng(3).permutation(10);
  const lams = epochBatchLambdas(net, X, 4, perm);
  // 10 points in batches of 4: two full batches, the last 2 points dropped.
  assert.equal(lams.length, 2);
  assert.equal(lams[0], batchLambdaMax(net, X, perm.subarray(0, 4)));
  assert.equal(lams[1], batchLambdaMax(net, X, perm.subarray(4, 8)));
  X.dispose();
  net.dispose();
});
