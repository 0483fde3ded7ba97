/** agop-gd-converged read-outs: the pairing with the batch sweep picks the same seed and counts seeds where SGD wins. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convergedMeans, convergedRows, seedsBeatingConvergedGd } from '../../../src/experiments/agopGdConvergedSummary';

test('pairing read-outs pick the same seed and count seeds where SGD beats converged GD', () => {
  const conv = [0, 1].map((seed) => ({ seed, runKey: `rank2-s${seed}`, summary: { task: 'rank2', steps: 100 + seed, alignTrain: 0.8, testLossOverVar: 0.7 }, series: {} }));
  const sw = (seed: number, b: number, a: number, l: number) => ({ seed, runKey: `rank2-b${b}-s${seed}`, summary: { task: 'rank2', batchSize: b, alignTrain: a, testLossOverVar: l }, series: {} });
  const sweep = [sw(0, 2000, 0.7, 0.9), sw(0, 10, 0.85, 0.6), sw(0, 5, 0.9, 0.5), sw(1, 2000, 0.6, 0.95), sw(1, 10, 0.75, 0.8), sw(1, 5, 0.95, 0.4)];
  const rows = convergedRows(conv as never, sweep as never, 'rank2');
  assert.deepEqual(rows[1], { seed: 1, gdSteps: 101, gd: { align: 0.8, testOverVar: 0.7 }, budgetGd: { align: 0.6, testOverVar: 0.95 }, sgd: [{ b: 10, align: 0.75, testOverVar: 0.8 }, { b: 5, align: 0.95, testOverVar: 0.4 }] });
  assert.deepEqual(seedsBeatingConvergedGd(rows, [5], 'align'), { holds: 2, seeds: 2 });
  assert.deepEqual(seedsBeatingConvergedGd(rows, [10, 5], 'align'), { holds: 1, seeds: 2 });
  assert.deepEqual(seedsBeatingConvergedGd(rows, [10, 5], 'testOverVar'), { holds: 1, seeds: 2 });
  const m = convergedMeans(rows);
  assert.ok(Math.abs(m.budgetGd.align.mean - 0.65) < 1e-12);
  assert.deepEqual(m.sgd.map((x) => x.b), [10, 5]);
});
