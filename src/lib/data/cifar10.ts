/**
 * CIFAR-10 from the official binary files (user-supplied; nothing is downloaded). Each record is
 * 1 label byte (0–9) then 3072 pixel bytes: the 1024 red values, then green, then blue, each
 * 32×32 row-major. Parsing is pure (bytes in), so it runs in Node and in the browser alike.
 * Inputs: bytes/255, then per-image normalisation as for MNIST (default ‖x‖ = √3072).
 * Targets: two classes → ±1 (classes[0] is +1); more classes need labels: 'ordinal'.
 */
import type { Dataset } from '../models/model';
import type { Prng } from '../prng';
import { normaliseImages, ordinalLabel, type ImageNorm, type LabelScheme } from './normalise';

/** Pixels per image (3 planes × 32 × 32). */
const CIFAR10_DIM = 3072;
/** Bytes per record: 1 label byte + 3072 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 3073;

/** Parsed records: labels[i] in 0–9 and images (n×3072 bytes, R, G, B planes per image). */
export interface Cifar10Records {
  n: number;
  labels: Uint8Array;
  images: Uint8Array;
}

/** Parses one or more concatenated CIFAR-10 binary records; `name` labels errors (e.g. a file name). */
export function parseCifar10Binary(bytes: Uint8Array, name = 'CIFAR-10 data'): Cifar10Records {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new Error(
      `parseCifar10Binary: ${name} has ${bytes.length} bytes, expected a positive multiple of ${CIFAR10_RECORD_BYTES} (1 label + 3072 pixels per record); is it a CIFAR-10 binary-version file?`,
    );
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const labels = new Uint8Array(n);
  const images = new Uint8Array(n * CIFAR10_DIM);
  for (let i = 0; i < n; i++) {
    const off = i * CIFAR10_RECORD_BYTES;
    const label = bytes[off];
    if (label > 9) throw new Error(`parseCifar10Binary: ${name} record ${i} has label byte ${label}, expected 0–9`);
    labels[i] = label;
    images.set(bytes.subarray(off + 1, off + CIFAR10_RECORD_BYTES), i * CIFAR10_DIM);
  }
  return { n, labels, images };
}

/** Concatenates parsed record sets (e.g. data_batch_1..5). */
export function concatCifar10(parts: Cifar10Records[]): Cifar10Records {
  const n = parts.reduce((s, p) => s + p.n, 0);
  const labels = new Uint8Array(n);
  const images = new Uint8Array(n * CIFAR10_DIM);
  let at = 0;
  for (const p of parts) {
    labels.set(p.labels, at);
    images.set(p.images, at * CIFAR10_DIM);
    at += p.n;
  }
  return { n, labels, images };
}

export interface Cifar10Options {
  /** Distinct class ids 0–9, at least two. */
  classes: number[];
  perClass: number;
  prng: Prng;
  labels?: LabelScheme;
  norm?: ImageNorm;
  center?: boolean;
}

/** A seeded subset of `perClass` records per listed class, rows shuffled (see module doc for x, y). */
export function cifar10Dataset(records: Cifar10Records, opts: Cifar10Options): Dataset {
  const { classes, perClass, prng } = opts;
  const labels = opts.labels ?? 'pm1';
  if (
    !Array.isArray(classes) ||
    classes.length < 2 ||
    new Set(classes).size !== classes.length ||
    classes.some((c) => !Number.isInteger(c) || c < 0 || c > 9)
  ) {
    throw new Error(`cifar10Dataset: classes must list at least two distinct integers 0–9, got [${String(classes)}]`);
  }
  if (labels === 'pm1' && classes.length !== 2)
    throw new Error(
      `cifar10Dataset: labels 'pm1' needs exactly two classes, got ${classes.length} (pass labels: 'ordinal')`,
    );
  if (labels !== 'pm1' && labels !== 'ordinal')
    throw new Error(`cifar10Dataset: labels must be 'pm1' or 'ordinal', got '${String(labels)}'`);
  if (!Number.isInteger(perClass) || perClass <= 0)
    throw new Error(`cifar10Dataset: perClass must be a positive integer, got ${perClass}`);
  const byClass: number[][] = classes.map(() => []);
  for (let i = 0; i < records.n; i++) {
    const c = classes.indexOf(records.labels[i]);
    if (c >= 0) byClass[c].push(i);
  }
  const rows: { index: number; c: number }[] = [];
  byClass.forEach((idx, c) => {
    if (idx.length < perClass)
      throw new Error(
        `cifar10Dataset: class ${classes[c]} has ${idx.length} records, fewer than perClass = ${perClass}`,
      );
    const perm = prng.permutation(idx.length);
    for (let i = 0; i < perClass; i++) rows.push({ index: idx[perm[i]], c });
  });
  const n = rows.length;
  const order = prng.permutation(n);
  const X = new Float32Array(n * CIFAR10_DIM);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const { index, c } = rows[order[r]];
    const off = index * CIFAR10_DIM;
    for (let a = 0; a < CIFAR10_DIM; a++) X[r * CIFAR10_DIM + a] = records.images[off + a] / 255;
    y[r] = labels === 'ordinal' ? ordinalLabel(c, classes.length) : c === 0 ? 1 : -1;
  }
  normaliseImages(X, n, CIFAR10_DIM, opts.norm ?? 'sqrt-d', opts.center ?? false);
  return { n, d: CIFAR10_DIM, X, y };
}
