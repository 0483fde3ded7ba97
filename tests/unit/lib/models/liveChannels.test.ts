import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { countLiveColumns } from '../../../../src/lib/models/liveChannels';
import { Cnn } from '../../../../src/lib/models/cnn';
import { jacobian } from '../../../../src/lib/tangentKernel';

before(async () => {
  await initBackend();
});

test('liveChannels: exact counts, and a CNN whose last conv layer is dead has a zero tangent kernel', () => {
  assert.equal(countLiveColumns(tf.tensor2d([0, 1, 0, 0, 0, 2, 0, 0, 3], [3, 3])), 2);
  const prng = new Prng(5);
  const shape = { height: 4, width: 4, channels: 1, filters: 3, depth: 3 };
  const first = prng.normalArray(9 * 3);
  const X = tf.tensor2d(
    Float32Array.from(prng.normalArray(2 * 16), (v) => Math.abs(v)),
    [2, 16],
  );
  // Last conv layer with only negative weights: its inputs are ReLU outputs (≥ 0), so every channel is 0.
  const dead = new Cnn(shape, [
    first,
    Float32Array.from(prng.normalArray(27 * 3), (v) => -Math.abs(v) - 0.1),
    prng.normalArray(3),
  ]);
  assert.equal(dead.liveChannels(X), 0);
  assert.ok(jacobian(dead, X).every((v) => v === 0));
  // Flip the sign of one output channel's weights: that channel comes alive on these positive inputs.
  const w = Float32Array.from(prng.normalArray(27 * 3), (v) => -Math.abs(v) - 0.1);
  for (let r = 0; r < 27; r++) w[r * 3 + 1] = -w[r * 3 + 1];
  const oneLive = new Cnn(shape, [Float32Array.from(first, Math.abs), w, prng.normalArray(3)]);
  assert.equal(oneLive.liveChannels(X), 1);
  for (const m of [dead, oneLive]) m.dispose();
  X.dispose();
});
