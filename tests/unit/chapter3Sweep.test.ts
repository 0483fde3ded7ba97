/**
 * Chapter 3 sweep: the interlacing fact that motivates the mean-loss normalisation (a batch kernel
 * never has a larger λ_max than the full one). The sweep's table and orderings are tested in
 * tests/unit/site/chapters/agop/readouts.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { rank2Task, sampleTask } from '../../src/lib/tasks';
import { createShallowNet } from '../../src/lib/models/shallow';
import { lambdaMax } from '../../src/lib/tangentKernel';

test('interlacing: λ_max of a batch kernel never exceeds λ_max of the full kernel (½Σ convention)', async () => {
  await initBackend();
  const prng = new Prng(3);
  const data = sampleTask(rank2Task(20), 64, prng.fork(1));
  const net = createShallowNet({ d: 20, m: 128, prng: prng.fork(2) });
  const X = tf.tensor2d(data.X, [64, 20]);
  const full = lambdaMax(net, X);
  for (let k = 0; k < 10; k++) {
    const idx = Array.from(prng.permutation(64).slice(0, 5));
    const Xb = tf.gather(X, idx) as tf.Tensor2D;
    const lb = lambdaMax(net, Xb);
    assert.ok(lb <= full * (1 + 1e-9), `batch λ ${lb} > full λ ${full}`);
    // ... yet per sample (mean-loss units) a batch can be heavier than the full set.
    Xb.dispose();
  }
  X.dispose();
  net.dispose();
});
