/**
 * Matmul and float64 helpers. On the tfjs wasm backend a matMul with transposeA/transposeB is
 * 10–30× slower than an explicit tf.transpose followed by a plain matMul (measured: 830 ms vs
 * 55 ms for a shallow-net GD step at n = 2000, `npm run bench`), so we transpose explicitly; the
 * autodiff matmul rule in models/autodiff.ts does the same.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A·Bᵀ for A (n×k), B (m×k) → n×m, via an explicit transpose of B. */
export function matMulTransposeB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(a, tf.transpose(b)));
}

/** Aᵀ·B for A (n×k), B (n×m) → k×m, via an explicit transpose of A. */
export function matMulTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.transpose(a), b));
}

/** Frobenius norm of a flat array. */
function frobeniusNorm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** ‖A − B‖_F / ‖B‖_F for equal-length flat arrays (B is the reference). */
export function relativeFrobeniusError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relativeFrobeniusError: lengths ${a.length} and ${b.length} differ`);
  let num = 0;
  for (let i = 0; i < a.length; i++) num += (a[i] - b[i]) ** 2;
  return Math.sqrt(num) / frobeniusNorm(b);
}

/** Gram matrix R·Rᵀ (n×n, float64) of the n rows of a row-major n×p float64 matrix. */
export function gramRows(R: Float64Array, n: number, p: number): Float64Array {
  if (R.length !== n * p) throw new Error(`gramRows: R has ${R.length} entries, expected n·p = ${n * p}`);
  const K = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const ra = a * p;
    for (let b = 0; b <= a; b++) {
      const rb = b * p;
      let s = 0;
      for (let j = 0; j < p; j++) s += R[ra + j] * R[rb + j];
      K[a * n + b] = s;
      K[b * n + a] = s;
    }
  }
  return K;
}
