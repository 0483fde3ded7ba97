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

/** Widens any numeric array to float64 (copy). */
export function toFloat64(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i];
  return out;
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

/** Columns t of A and B swept at a time by `rowDots`, so the rows' slices stay in cache. */
const ROW_DOTS_CHUNK = 512;

/**
 * C = A·Bᵀ (na×nb, float64) for row-major A (na×k) and B (nb×k): C_ij = Σ_t A_it·B_jt, summed in
 * float64 in the order t = 0…k−1, so every entry is bitwise the plain triple loop's. Entries are
 * computed in 4×2 blocks that share their loads, over slices of ROW_DOTS_CHUNK columns (each entry
 * resumes its running sum, so the order of terms is unchanged). Float64Array operands only, so V8
 * compiles one monomorphic loop (widen float32 data with `toFloat64`, which is exact). With
 * `symmetric` (B = A, nb = na) only j ≤ i is computed and mirrored.
 */
export function rowDots(
  A: Float64Array,
  na: number,
  B: Float64Array,
  nb: number,
  k: number,
  symmetric = false,
): Float64Array {
  if (A.length !== na * k) throw new Error(`rowDots: A has ${A.length} entries, expected na·k = ${na}·${k}`);
  if (B.length !== nb * k) throw new Error(`rowDots: B has ${B.length} entries, expected nb·k = ${nb}·${k}`);
  if (symmetric && (A !== B || na !== nb)) throw new Error('rowDots: symmetric needs B = A');
  const C = new Float64Array(na * nb);
  for (let t0 = 0; t0 < k; t0 += ROW_DOTS_CHUNK) {
    const t1 = Math.min(k, t0 + ROW_DOTS_CHUNK);
    let i = 0;
    for (; i + 3 < na; i += 4) {
      const a0 = i * k;
      const a1 = a0 + k;
      const a2 = a1 + k;
      const a3 = a2 + k;
      const c0 = i * nb;
      const c1 = c0 + nb;
      const c2 = c1 + nb;
      const c3 = c2 + nb;
      // symmetric: up to the 4×4 diagonal block (its upper entries are overwritten by the mirror)
      const jEnd = symmetric ? i + 4 : nb;
      let j = 0;
      for (; j + 1 < jEnd; j += 2) {
        const b0 = j * k;
        const b1 = b0 + k;
        let s00 = C[c0 + j];
        let s01 = C[c0 + j + 1];
        let s10 = C[c1 + j];
        let s11 = C[c1 + j + 1];
        let s20 = C[c2 + j];
        let s21 = C[c2 + j + 1];
        let s30 = C[c3 + j];
        let s31 = C[c3 + j + 1];
        for (let t = t0; t < t1; t++) {
          const y0 = B[b0 + t];
          const y1 = B[b1 + t];
          const x0 = A[a0 + t];
          s00 += x0 * y0;
          s01 += x0 * y1;
          const x1 = A[a1 + t];
          s10 += x1 * y0;
          s11 += x1 * y1;
          const x2 = A[a2 + t];
          s20 += x2 * y0;
          s21 += x2 * y1;
          const x3 = A[a3 + t];
          s30 += x3 * y0;
          s31 += x3 * y1;
        }
        C[c0 + j] = s00;
        C[c0 + j + 1] = s01;
        C[c1 + j] = s10;
        C[c1 + j + 1] = s11;
        C[c2 + j] = s20;
        C[c2 + j + 1] = s21;
        C[c3 + j] = s30;
        C[c3 + j + 1] = s31;
      }
      for (; j < jEnd; j++) {
        const b0 = j * k;
        let s0 = C[c0 + j];
        let s1 = C[c1 + j];
        let s2 = C[c2 + j];
        let s3 = C[c3 + j];
        for (let t = t0; t < t1; t++) {
          const y = B[b0 + t];
          s0 += A[a0 + t] * y;
          s1 += A[a1 + t] * y;
          s2 += A[a2 + t] * y;
          s3 += A[a3 + t] * y;
        }
        C[c0 + j] = s0;
        C[c1 + j] = s1;
        C[c2 + j] = s2;
        C[c3 + j] = s3;
      }
    }
    for (; i < na; i++) {
      const a0 = i * k;
      const jEnd = symmetric ? i + 1 : nb;
      for (let j = 0; j < jEnd; j++) {
        const b0 = j * k;
        let s = C[i * nb + j];
        for (let t = t0; t < t1; t++) s += A[a0 + t] * B[b0 + t];
        C[i * nb + j] = s;
      }
    }
  }
  if (symmetric) {
    for (let r = 0; r < na; r++) for (let c = 0; c < r; c++) C[c * nb + r] = C[r * nb + c];
  }
  return C;
}
