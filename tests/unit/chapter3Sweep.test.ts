/**
 * Chapter 3 sweep: the statistics behind its table and report rows, and the interlacing fact that
 * motivates the mean-loss normalisation (a batch kernel never has a larger λ_max than the full one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { rank2Task, sampleTask } from '../../src/lib/tasks';
import { createShallowNet } from '../../src/lib/models/shallow';
import { lambdaMax } from '../../src/lib/tangentKernel';
import { batchTable, monotoneSeeds, pearson, sweepRuns } from '../../src/site/chapter3';
import { committedTracesStale } from './committedTraces';

test('pearson: exact values on known samples', () => {
  assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12);
});

test('batch table and orderings agree with the raw traces', { skip: committedTracesStale(['agop-batch-sweep']) }, () => {
  const runs = sweepRuns('rank2');
  const rows = batchTable('rank2');
  for (const r of rows) {
    const xs = runs.filter((t) => t.summary.batchSize === r.b).map((t) => t.summary.alignTrain as number);
    assert.equal(xs.length, r.seeds);
    assert.ok(Math.abs(r.align.mean - xs.reduce((a, b) => a + b, 0) / xs.length) < 1e-12);
  }
  const m = monotoneSeeds('rank2', 'alignTrain', true);
  assert.ok(m.holds <= m.seeds && m.seeds === rows[0].seeds);
});

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
