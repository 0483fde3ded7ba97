import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median } from '../../../src/lib/stats';

test('median: upper median of unsorted values, input untouched', () => {
  const xs = [5, 1, 4, 2];
  assert.equal(median(xs), 4);
  assert.deepEqual(xs, [5, 1, 4, 2]);
  assert.equal(median([3, 1, 2]), 2);
  assert.ok(Number.isNaN(median([])));
});
