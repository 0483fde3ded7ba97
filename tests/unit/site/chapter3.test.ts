/** Chapter 3 sweep: the statistics behind its table and report rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchTable, monotoneSeeds, pearson, sweepRuns } from '../../../src/site/chapter3';

test('pearson: exact values on known samples', () => {
  assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12);
});

test('batch table and orderings agree with the raw traces', () => {
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
