import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chapter2Setup, CONV_CHANNELS, downsampleMnist } from '../../../src/experiments/sgdMnist';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
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

test('chapter2Setup: a dense-readout architecture keeps the pooled model’s convolutions and data for the same seed', async () => {
  await initBackend();
  for (const [pooledArch, denseArch] of [
    ['cnn', 'cnn-dense'],
    ['resnet', 'resnet-dense'],
  ] as const) {
    const pooled = chapter2Setup(new Prng(3), 2, pooledArch);
    const dense = chapter2Setup(new Prng(3), 2, denseArch);
    try {
      assert.deepEqual(dense.data.y, pooled.data.y);
      assert.deepEqual(dense.data.X, pooled.data.X);
      const wp = pooled.net.getWeights();
      const wd = dense.net.getWeights();
      assert.equal(wd.length, wp.length, `${denseArch}: one readout in place of the other`);
      for (let l = 0; l < wp.length - 1; l++) assert.deepEqual(wd[l], wp[l], `${denseArch} conv ${l}`);
      // the readout covers every position and channel: 14·14·16 weights instead of 16
      assert.equal(wd[wd.length - 1].length, 14 * 14 * CONV_CHANNELS);
      assert.equal(wp[wp.length - 1].length, CONV_CHANNELS);
      assert.equal(dense.net.kind, denseArch);
    } finally {
      pooled.dispose();
      dense.dispose();
    }
  }
});
