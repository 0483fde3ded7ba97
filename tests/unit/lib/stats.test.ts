/**
 * src/lib/stats.ts: median, mean ± sample standard deviation, Pearson correlation and the binomial
 * tail against exact values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialTail, meanStd, median, pearson } from '../../../src/lib/stats';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

test('median: upper median of unsorted values, input untouched', () => {
  const xs = [5, 1, 4, 2];
  assert.equal(median(xs), 4);
  assert.deepEqual(xs, [5, 1, 4, 2]);
  assert.equal(median([3, 1, 2]), 2);
  assert.ok(Number.isNaN(median([])));
});

test('meanStd: mean and sample std (n − 1) with n; one value has std 0, none has mean NaN', () => {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, sample variance 32/7
  const s = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  close(s.std, Math.sqrt(32 / 7));
  assert.equal(s.n, 8);
  close(meanStd([0.7, 0.8]).std, Math.sqrt(0.005));
  assert.deepEqual(meanStd([3]), { mean: 3, std: 0, n: 1 });
  const e = meanStd([]);
  assert.ok(Number.isNaN(e.mean));
  assert.equal(e.std, 0);
  assert.equal(e.n, 0);
});

test('pearson: exact values on known samples; unequal lengths are refused', () => {
  close(pearson([1, 2, 3], [2, 4, 6]), 1);
  close(pearson([1, 2, 3], [3, 2, 1]), -1);
  close(pearson([1, 2, 3, 4], [1, 3, 2, 4]), 0.8);
  assert.throws(() => pearson([1, 2], [1, 2, 3]), /differ in length/);
});

test('binomialTail: exact small cases and complements', () => {
  close(binomialTail(2, 1, 0.5), 0.75);
  close(binomialTail(3, 3, 0.2), 0.008);
  close(binomialTail(5, 0, 0.3), 1);
  close(binomialTail(16, 14, 0.64), 120 * 0.64 ** 14 * 0.36 ** 2 + 16 * 0.64 ** 15 * 0.36 + 0.64 ** 16);
  close(binomialTail(4, 2, 0.5) + (1 + 4) / 16, 1);
});
