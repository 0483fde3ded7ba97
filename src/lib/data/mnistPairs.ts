/**
 * Binary MNIST tasks with a fixed reference set. A proxy for the true AGOP of real images (the AGOP
 * of a reference model) must be fitted on images that no run trains or tests on, and must be the
 * same for every seed; so each digit's images are split once, by a fixed seed, into a reference
 * part and a pool, and every seed draws its training and test sets from the pool only.
 */
import type { Dataset } from '../models/model';
import type { Prng } from '../prng';
import { MNIST_DIM, mnistDataset, mnistSplit, packageMnistSource, type MnistSource } from './mnist';

export interface MnistPairOptions {
  /** The two digits; the first is +1, the second −1. */
  digits: [number, number];
  /** Training and held-out test images per digit, drawn per seed from the pool. */
  perClass: number;
  testPerClass: number;
  /** Reference images per digit, the same for every seed. */
  refPerClass: number;
  /** The seed's stream (training and test draws). */
  prng: Prng;
  /** The fixed stream that splits reference from pool (use one seed for all runs). */
  refPrng: Prng;
  source?: MnistSource;
}

/** Keeps the listed images of one digit, in order, as a new class source. */
function subset(raw: ArrayLike<number>, idx: ArrayLike<number>): { raw: Float32Array; count: number } {
  const out = new Float32Array(idx.length * MNIST_DIM);
  for (let k = 0; k < idx.length; k++) {
    const off = idx[k] * MNIST_DIM;
    for (let a = 0; a < MNIST_DIM; a++) out[k * MNIST_DIM + a] = raw[off + a];
  }
  return { raw: out, count: idx.length };
}

/** Train, test and reference sets (28×28, ±1 targets) of a digit pair; reference disjoint from both. */
export function mnistPairSplit(opts: MnistPairOptions): { train: Dataset; test: Dataset; reference: Dataset } {
  const { digits, refPerClass } = opts;
  if (!Number.isInteger(refPerClass) || refPerClass <= 0)
    throw new Error(`mnistPairSplit: refPerClass must be a positive integer, got ${refPerClass}`);
  const source = opts.source ?? packageMnistSource();
  const ref: MnistSource = [];
  const pool: MnistSource = [];
  for (const digit of digits) {
    const cls = source[digit];
    if (!cls) throw new Error(`mnistPairSplit: no images of digit ${digit} in the source`);
    if (refPerClass >= cls.count)
      throw new Error(
        `mnistPairSplit: digit ${digit} has ${cls.count} images; refPerClass = ${refPerClass} leaves none for training (lower it)`,
      );
    const perm = opts.refPrng.permutation(cls.count);
    ref[digit] = subset(cls.raw, perm.subarray(0, refPerClass));
    pool[digit] = subset(cls.raw, perm.subarray(refPerClass));
  }
  const { train, test } = mnistSplit({
    digits: [...digits],
    perClass: opts.perClass,
    testPerClass: opts.testPerClass,
    prng: opts.prng,
    labels: 'pm1',
    source: pool,
  });
  const reference = mnistDataset({
    digits: [...digits],
    perClass: refPerClass,
    prng: opts.refPrng,
    labels: 'pm1',
    source: ref,
  });
  return { train, test, reference };
}
