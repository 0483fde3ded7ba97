import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { createCnn } from '../../../../src/lib/models/cnn';
import { createResNet } from '../../../../src/lib/models/resnet';
import {
  createDenseReadoutConvNet,
  DenseReadoutConvNet,
  denseReadoutTwin,
} from '../../../../src/lib/models/denseReadout';
import { relErr } from '../../helpers/modelReference';

before(async () => {
  await initBackend();
});

const H = 6;
const W = 5;
const F = 3;

/** A pooled model's readout tiled over every position: then the dense readout gives √(H·W) × the pooled output. */
function tiled(readout: Float32Array): Float32Array {
  const out = new Float32Array(H * W * F);
  for (let pos = 0; pos < H * W; pos++) for (let c = 0; c < F; c++) out[pos * F + c] = readout[c];
  return out;
}

for (const body of ['cnn', 'resnet'] as const) {
  test(`${body}: same convolutions from one seed, and the tiled readout is √(H·W) × global average pooling`, () => {
    const layers = body === 'cnn' ? 4 : 2;
    const img = { height: H, width: W, channels: 1, filters: F };
    const pooled =
      body === 'cnn'
        ? createCnn({ ...img, depth: layers, prng: new Prng(5) })
        : createResNet({ ...img, blocks: layers, prng: new Prng(5) });
    const dense = createDenseReadoutConvNet({ ...img, body, layers, prng: new Prng(5) });
    const pw = pooled.getWeights();
    const dw = dense.getWeights();
    assert.equal(dw.length, pw.length);
    for (let l = 0; l < pw.length - 1; l++) assert.deepEqual(dw[l], pw[l], `conv ${l}`);
    assert.equal(dw[dw.length - 1].length, H * W * F);
    const X = tf.tensor2d(new Prng(9).normalArray(4 * H * W), [4, H * W]);
    const same = new DenseReadoutConvNet(dense.shape, [...dw.slice(0, -1), tiled(pw[pw.length - 1])]);
    const fp = pooled.predict(X);
    const fd = same.predict(X);
    const want = Array.from(fp.dataSync(), (v) => v * Math.sqrt(H * W));
    assert.ok(relErr(fd.dataSync(), want) < 1e-5, `rel err ${relErr(fd.dataSync(), want)}`);
    [fp, fd, X].forEach((t) => t.dispose());
    [pooled, dense, same].forEach((m) => m.dispose());
  });
}

test('bad shapes name the field', () => {
  const img = { height: H, width: W, channels: 1, filters: F, prng: new Prng(0) };
  assert.throws(() => createDenseReadoutConvNet({ ...img, body: 'cnn', layers: 1 }), /layers ≥ 2/);
  assert.throws(() => createDenseReadoutConvNet({ ...img, filters: 0, body: 'cnn', layers: 3 }), /filters/);
  assert.throws(
    () => createDenseReadoutConvNet({ ...img, body: 'vgg' as 'cnn', layers: 3 }),
    /body must be 'cnn' or 'resnet'/,
  );
});

test('the dense twin of a pooled CNN and ResNet keeps their convolutions and replaces only the readout', () => {
  const img = { height: H, width: W, channels: 1, filters: F };
  for (const pooled of [
    createCnn({ ...img, depth: 3, prng: new Prng(1) }),
    createResNet({ ...img, blocks: 1, prng: new Prng(1) }),
  ]) {
    const twin = denseReadoutTwin(pooled, new Prng(2));
    const pw = pooled.getWeights();
    const tw = twin.getWeights();
    for (let l = 0; l < pw.length - 1; l++) assert.deepEqual(tw[l], pw[l]);
    assert.equal(tw[tw.length - 1].length, H * W * F);
    assert.equal(twin.kind, `${pooled.kind}-dense`);
    pooled.dispose();
    twin.dispose();
  }
});
