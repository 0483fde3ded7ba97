import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../../../src/lib/prng';
import { MNIST_DIM, mnistDataset, mnistSplit, packageMnistSource } from '../../../../src/lib/data/mnist';

function rowNorm(X: Float32Array, i: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) s += X[i * d + a] ** 2;
  return Math.sqrt(s);
}

test('the mnist package holds 10,000 images of 784 pixels in [0, 1]', () => {
  const src = packageMnistSource();
  assert.equal(src.length, 10);
  assert.equal(
    src.reduce((s, c) => s + c.count, 0),
    10_000,
  );
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
    for (let i = 0; i < data.n; i++)
      if (data.y[i] === label) {
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
  const { train, test: held } = mnistSplit({
    digits: [3, 4, 7],
    perClass: 20,
    testPerClass: 10,
    prng: new Prng(2),
    norm: 'none',
  });
  assert.equal(train.n, 60);
  assert.equal(held.n, 30);
  const key = (X: Float32Array, i: number) => Array.from(X.subarray(i * 784, (i + 1) * 784)).join(',');
  const seen = new Set(Array.from({ length: train.n }, (_, i) => key(train.X, i)));
  for (let i = 0; i < held.n; i++) assert.ok(!seen.has(key(held.X, i)));
  for (const v of train.X) assert.ok(v >= 0 && v <= 1);
  assert.equal(train.y.filter((v) => v === 1).length, 20); // only 4 is even
  const ord = mnistDataset({ digits: [3, 4, 7], perClass: 5, prng: new Prng(2), labels: 'ordinal' });
  assert.deepEqual([...new Set(ord.y)].sort(), [-1, 0, 1]);
  assert.throws(
    () => mnistDataset({ digits: [5], perClass: 5, prng: new Prng(1) }),
    /digits must list at least two distinct integers/,
  );
  assert.throws(() => mnistDataset({ digits: [0, 5], perClass: 900, prng: new Prng(1) }), /digit 5 has 863 images/);
});
