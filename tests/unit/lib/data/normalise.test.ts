import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseImages, ordinalLabel } from '../../../../src/lib/data/normalise';

function rowNorm(X: Float32Array, i: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) s += X[i * d + a] ** 2;
  return Math.sqrt(s);
}

test('normaliseImages: centring and unit norm; ordinal labels', () => {
  const X = Float32Array.from([1, 1, 1, 1, 0, 0, 3, 4]);
  normaliseImages(X, 2, 4, 'unit', true);
  assert.deepEqual(Array.from(X.subarray(0, 4)), [0, 0, 0, 0]);
  assert.ok(Math.abs(rowNorm(X, 1, 4) - 1) < 1e-6);
  assert.ok(Math.abs(X[4] + X[5] + X[6] + X[7]) < 1e-6);
  assert.equal(ordinalLabel(0, 3), -1);
  assert.equal(ordinalLabel(1, 3), 0);
  assert.equal(ordinalLabel(2, 3), 1);
});
