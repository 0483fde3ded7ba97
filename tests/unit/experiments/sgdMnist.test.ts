import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downsampleMnist } from '../../../src/experiments/sgdMnist';
import { rel } from '../helpers/quickRuns';

test('downsampleMnist: 2×2 means, then each image rescaled to norm √196', () => {
  const X = new Float32Array(784).map((_, i) => (i % 28) + 28 * Math.floor(i / 28));
  const out = downsampleMnist(X, 1);
  assert.equal(out.length, 196);
  const norm = Math.sqrt(out.reduce((a, v) => a + v * v, 0));
  assert.ok(rel(norm, 14) < 1e-5);
  // block (0,0) holds pixels 0, 1, 28, 29 with mean 14.5; block (0,1) mean 16.5: ratio survives the rescale
  assert.ok(rel(out[1] / out[0], 16.5 / 14.5) < 1e-5);
  assert.throws(() => downsampleMnist(new Float32Array(10), 1), /n·784/);
});
