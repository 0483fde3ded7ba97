import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../src/lib/prng';
import { MNIST_DIM, mnistDataset, mnistSplit, packageMnistSource } from '../../src/lib/data/mnist';
import { CIFAR10_RECORD_BYTES, cifar10Dataset, parseCifar10Binary } from '../../src/lib/data/cifar10';
import { normaliseImages, ordinalLabel } from '../../src/lib/data/normalise';
import { readCifar10Dir } from '../../src/node/cifar10Files';

function rowNorm(X: Float32Array, i: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) s += X[i * d + a] ** 2;
  return Math.sqrt(s);
}

test('the mnist package holds 10,000 images of 784 pixels in [0, 1]', () => {
  const src = packageMnistSource();
  assert.equal(src.length, 10);
  assert.equal(src.reduce((s, c) => s + c.count, 0), 10_000);
  assert.equal(src[1].count, 1127);
});

test('mnistDataset 0 vs 1: balanced ±1 labels, rows of norm √784, images are real digits', () => {
  const data = mnistDataset({ digits: [0, 1], perClass: 64, prng: new Prng(1) });
  assert.equal(data.n, 128);
  assert.equal(data.d, MNIST_DIM);
  assert.equal(data.y.filter((v) => v === 1).length, 64);
  assert.equal(data.y.filter((v) => v === -1).length, 64);
  for (let i = 0; i < data.n; i++) assert.ok(Math.abs(rowNorm(data.X, i, 784) - 28) < 1e-3);
  // a "1" lights fewer pixels than a "0": mean nonzero-pixel count separates the classes
  const lit = (label: number) => {
    let s = 0;
    let c = 0;
    for (let i = 0; i < data.n; i++) if (data.y[i] === label) {
      c++;
      for (let a = 0; a < 784; a++) if (data.X[i * 784 + a] > 0) s++;
    }
    return s / c;
  };
  assert.ok(lit(1) > 1.5 * lit(-1), `zeros light ${lit(1)} pixels, ones ${lit(-1)}`);
  const again = mnistDataset({ digits: [0, 1], perClass: 64, prng: new Prng(1) });
  assert.deepEqual(again.X, data.X);
});

test('mnistSplit: train and test are disjoint; parity and ordinal labels for more digits', () => {
  const { train, test: held } = mnistSplit({ digits: [3, 4, 7], perClass: 20, testPerClass: 10, prng: new Prng(2), norm: 'none' });
  assert.equal(train.n, 60);
  assert.equal(held.n, 30);
  const key = (X: Float32Array, i: number) => Array.from(X.subarray(i * 784, (i + 1) * 784)).join(',');
  const seen = new Set(Array.from({ length: train.n }, (_, i) => key(train.X, i)));
  for (let i = 0; i < held.n; i++) assert.ok(!seen.has(key(held.X, i)));
  for (const v of train.X) assert.ok(v >= 0 && v <= 1);
  assert.equal(train.y.filter((v) => v === 1).length, 20); // only 4 is even
  const ord = mnistDataset({ digits: [3, 4, 7], perClass: 5, prng: new Prng(2), labels: 'ordinal' });
  assert.deepEqual([...new Set(ord.y)].sort(), [-1, 0, 1]);
  assert.throws(() => mnistDataset({ digits: [5], perClass: 5, prng: new Prng(1) }), /digits must list at least two distinct integers/);
  assert.throws(() => mnistDataset({ digits: [0, 5], perClass: 900, prng: new Prng(1) }), /digit 5 has 863 images/);
});

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

function fakeCifar(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((l, i) => {
    const off = i * CIFAR10_RECORD_BYTES;
    bytes[off] = l;
    for (let p = 0; p < 3072; p++) bytes[off + 1 + p] = (i * 7 + Math.floor(p / 1024) * 50 + (p % 1024)) % 256;
  });
  return bytes;
}

test('parseCifar10Binary: labels, R/G/B planes, and a length check naming the size', () => {
  const rec = parseCifar10Binary(fakeCifar([3, 5, 9]));
  assert.equal(rec.n, 3);
  assert.deepEqual(Array.from(rec.labels), [3, 5, 9]);
  // record 1: red plane starts at 7, green at 57, blue at 107
  assert.equal(rec.images[3072 + 0], 7);
  assert.equal(rec.images[3072 + 1024], 57);
  assert.equal(rec.images[3072 + 2048], 107);
  assert.throws(() => parseCifar10Binary(new Uint8Array(3074), 'x.bin'), /x\.bin has 3074 bytes, expected a positive multiple of 3073/);
  const bad = fakeCifar([1]);
  bad[0] = 12;
  assert.throws(() => parseCifar10Binary(bad), /label byte 12, expected 0–9/);
});

test('readCifar10Dir + cifar10Dataset on files written to a temp dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  try {
    writeFileSync(join(dir, 'data_batch_1.bin'), fakeCifar([0, 1, 2, 0, 1]));
    writeFileSync(join(dir, 'data_batch_2.bin'), fakeCifar([1, 0, 0]));
    const rec = readCifar10Dir(dir, 'train');
    assert.equal(rec.n, 8);
    assert.deepEqual(Array.from(rec.labels), [0, 1, 2, 0, 1, 1, 0, 0]);
    const data = cifar10Dataset(rec, { classes: [0, 1], perClass: 3, prng: new Prng(4) });
    assert.equal(data.n, 6);
    assert.equal(data.d, 3072);
    assert.equal(data.y.filter((v) => v === 1).length, 3);
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(rowNorm(data.X, i, 3072) - Math.sqrt(3072)) < 1e-2);
    assert.throws(() => cifar10Dataset(rec, { classes: [0, 1, 2], perClass: 1, prng: new Prng(4) }), /labels 'pm1' needs exactly two classes/);
    assert.throws(() => cifar10Dataset(rec, { classes: [1, 2], perClass: 2, prng: new Prng(4) }), /class 2 has 1 records, fewer than perClass = 2/);
    assert.throws(() => readCifar10Dir(dir, 'test'), /none of test_batch\.bin found in/);
    assert.throws(() => readCifar10Dir(join(dir, 'nope')), /directory '.*nope' does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
