/**
 * src/lib/data/mnistPairs.ts on a small synthetic source whose every image is tagged by its own
 * index (pixel 0 = index, pixel 1 = digit), so disjointness can be checked image by image after
 * normalisation (which rescales each image but keeps the ratio of its pixels).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mnistPairSplit } from '../../../../src/lib/data/mnistPairs';
import { MNIST_DIM, type MnistSource } from '../../../../src/lib/data/mnist';
import { Prng } from '../../../../src/lib/prng';
import type { Dataset } from '../../../../src/lib/models/model';

const COUNT = 30;
function source(): MnistSource {
  const src: MnistSource = [];
  for (const digit of [3, 5]) {
    const raw = new Float32Array(COUNT * MNIST_DIM);
    for (let k = 0; k < COUNT; k++) {
      raw[k * MNIST_DIM] = k + 1;
      raw[k * MNIST_DIM + 1] = digit;
      raw[k * MNIST_DIM + 2] = 1;
    }
    src[digit] = { raw, count: COUNT };
  }
  return src;
}
/** "digit:index" of every image of a set, read back from the tags. */
const ids = (s: Dataset) =>
  Array.from({ length: s.n }, (_, i) => {
    const row = s.X.subarray(i * MNIST_DIM, (i + 1) * MNIST_DIM);
    return `${Math.round(row[1] / row[2])}:${Math.round(row[0] / row[2]) - 1}`;
  });

const split = (seed: number) =>
  mnistPairSplit({
    digits: [3, 5],
    perClass: 8,
    testPerClass: 5,
    refPerClass: 10,
    prng: new Prng(seed),
    refPrng: new Prng(99),
    source: source(),
  });

test('the reference set is the same for every seed and disjoint from every seed’s train and test sets', () => {
  const a = split(0);
  const b = split(1);
  assert.deepEqual(ids(a.reference).sort(), ids(b.reference).sort());
  for (const s of [a, b]) {
    const ref = new Set(ids(s.reference));
    const used = [...ids(s.train), ...ids(s.test)];
    assert.equal(new Set(used).size, used.length, 'train and test share no image');
    assert.ok(
      used.every((u) => !ref.has(u)),
      'no training or test image is a reference image',
    );
    assert.equal(s.train.n, 16);
    assert.equal(s.test.n, 10);
    assert.equal(s.reference.n, 20);
    // digits[0] is +1
    ids(s.train).forEach((id, i) => assert.equal(s.train.y[i], id.startsWith('3:') ? 1 : -1));
  }
  assert.notDeepEqual(ids(a.train).sort(), ids(b.train).sort(), 'seeds draw different training sets');
});

test('a reference too large for the pool is refused, naming the digit and field', () => {
  assert.throws(
    () =>
      mnistPairSplit({
        digits: [3, 5],
        perClass: 8,
        testPerClass: 5,
        refPerClass: 30,
        prng: new Prng(0),
        refPrng: new Prng(1),
        source: source(),
      }),
    /digit 3 has 30 images; refPerClass = 30 leaves none/,
  );
  assert.throws(() => mnistPairSplit({ ...baseOpts(), refPerClass: 0 }), /refPerClass must be a positive integer/);
  assert.throws(() => mnistPairSplit({ ...baseOpts(), perClass: 20 }), /digit 3 has 20 images/);
});

function baseOpts() {
  return {
    digits: [3, 5] as [number, number],
    perClass: 8,
    testPerClass: 5,
    refPerClass: 10,
    prng: new Prng(0),
    refPrng: new Prng(1),
    source: source(),
  };
}
