import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../../../src/lib/prng';
import { CIFAR10_RECORD_BYTES, cifar10Dataset, parseCifar10Binary } from '../../../../src/lib/data/cifar10';
import { readCifar10Dir } from '../../../../src/node/cifar10Files';

function rowNorm(X: Float32Array, i: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) s += X[i * d + a] ** 2;
  return Math.sqrt(s);
}

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
  assert.throws(
    () => parseCifar10Binary(new Uint8Array(3074), 'x.bin'),
    /x\.bin has 3074 bytes, expected a positive multiple of 3073/,
  );
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
    assert.throws(
      () => cifar10Dataset(rec, { classes: [0, 1, 2], perClass: 1, prng: new Prng(4) }),
      /labels 'pm1' needs exactly two classes/,
    );
    assert.throws(
      () => cifar10Dataset(rec, { classes: [1, 2], perClass: 2, prng: new Prng(4) }),
      /class 2 has 1 records, fewer than perClass = 2/,
    );
    assert.throws(() => readCifar10Dir(dir, 'test'), /none of test_batch\.bin found in/);
    assert.throws(() => readCifar10Dir(join(dir, 'nope')), /directory '.*nope' does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
