/**
 * Float64 symmetric eigensolvers for tangent kernels and AGOPs.
 * Dense: ml-matrix's Householder + QL (all pairs, fine up to n ≈ 300).
 * Matrix-free: Lanczos with full re-orthogonalisation for the top k pairs of large kernels.
 * Conventions everywhere: values DESCENDING, vectors[j] is the unit eigenvector of values[j].
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { Prng } from './prng';

/** Eigenpairs, largest first; each vector has unit Euclidean norm. */
export interface EigenPairs {
  values: Float64Array;
  vectors: Float64Array[];
}

/** Lanczos output: the pairs, whether every wanted pair met the tolerance, Krylov dimension used. */
export interface LanczosResult extends EigenPairs {
  converged: boolean;
  iterations: number;
}

/** Largest n for which `topEigen` uses the dense solver instead of Lanczos. */
export const DENSE_EIGEN_MAX_N = 300;

function checkSquare(fn: string, A: ArrayLike<number>, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${fn}: n must be a positive integer, got ${n}`);
  if (A.length !== n * n) {
    throw new Error(`${fn}: A has ${A.length} entries but n = ${n} needs n² = ${n * n} (pass an n×n row-major matrix)`);
  }
}

/** All eigenpairs of a symmetric n×n row-major matrix (symmetrised as (A + Aᵀ)/2 first). */
export function eigSymmetric(A: ArrayLike<number>, n: number): EigenPairs {
  checkSquare('eigSymmetric', A, n);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) row[j] = 0.5 * (A[i * n + j] + A[j * n + i]);
    rows.push(row);
  }
  for (const row of rows) {
    for (const x of row) if (!Number.isFinite(x)) throw new Error('eigSymmetric: A contains NaN or ±Infinity');
  }
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const lam = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = lam.map((_, i) => i).sort((a, b) => lam[b] - lam[a]);
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  order.forEach((col, j) => {
    values[j] = lam[col];
    const vec = new Float64Array(n);
    for (let i = 0; i < n; i++) vec[i] = V.get(i, col);
    normalise(vec);
    vectors.push(vec);
  });
  return { values, vectors };
}

/** x ↦ A x for a dense symmetric n×n row-major matrix, in float64. */
export function symmetricMatvec(A: ArrayLike<number>, n: number): (x: Float64Array) => Float64Array {
  checkSquare('symmetricMatvec', A, n);
  return (x: Float64Array) => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * n;
      for (let j = 0; j < n; j++) s += A[o + j] * x[j];
      y[i] = s;
    }
    return y;
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(x: Float64Array): number {
  const nrm = Math.sqrt(dot(x, x));
  if (nrm > 0) for (let i = 0; i < x.length; i++) x[i] /= nrm;
  return nrm;
}

/**
 * Top-k eigenpairs of a symmetric operator given only as a matvec, by Lanczos with full
 * re-orthogonalisation (two Gram–Schmidt passes, so Ritz vectors stay orthogonal in float64).
 * Stops when every wanted Ritz pair has residual ‖Av − θv‖ = |β_j s_j| ≤ tol·|θ_1|.
 * Defaults: maxIter = min(n, max(3k + 30, 60)), tol = 1e-10, start vector from Prng(12345).
 * `converged` is false when maxIter ran out first (the values are then only Ritz estimates).
 */
export function lanczosTopK(
  matvec: (x: Float64Array) => Float64Array,
  n: number,
  k: number,
  opts: { maxIter?: number; tol?: number; prng?: Prng } = {},
): LanczosResult {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`lanczosTopK: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(k) || k <= 0 || k > n)
    throw new Error(`lanczosTopK: k must be an integer in 1..n=${n}, got ${k}`);
  const maxIter = Math.min(n, opts.maxIter ?? Math.max(3 * k + 30, 60));
  if (maxIter < k) throw new Error(`lanczosTopK: maxIter (${maxIter}) must be ≥ k (${k})`);
  const tol = opts.tol ?? 1e-10;
  const prng = opts.prng ?? new Prng(12345);

  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = []; // beta[j] couples Q[j] and Q[j+1]
  let q: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = prng.normal();
  normalise(q);
  let ritz: { theta: number[]; S: Matrix } | null = null;
  let converged = false;

  for (let j = 0; j < maxIter; j++) {
    Q.push(q);
    const w = matvec(q);
    if (w.length !== n) throw new Error(`lanczosTopK: matvec returned length ${w.length}, expected n = ${n}`);
    const a = dot(w, q);
    alpha.push(a);
    for (let pass = 0; pass < 2; pass++) {
      for (const qi of Q) {
        const c = dot(w, qi);
        for (let i = 0; i < n; i++) w[i] -= c * qi[i];
      }
    }
    const b = Math.sqrt(dot(w, w));
    const m = alpha.length;
    if (m >= k && (m % 5 === 0 || m === maxIter || b === 0 || j === maxIter - 1)) {
      ritz = tridiagonalEigen(alpha, beta);
      const scale = Math.max(Math.abs(ritz.theta[0]), Number.MIN_VALUE);
      converged = true;
      for (let t = 0; t < k; t++) {
        if (Math.abs(b * ritz.S.get(m - 1, t)) > tol * scale) converged = false;
      }
      if (converged) break;
    }
    if (b <= 1e-14 * Math.max(1, Math.abs(a))) {
      // Invariant subspace found: restart with a fresh random vector orthogonal to Q.
      if (Q.length >= n) break;
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) r[i] = prng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (const qi of Q) {
          const c = dot(r, qi);
          for (let i = 0; i < n; i++) r[i] -= c * qi[i];
        }
      }
      normalise(r);
      beta.push(0);
      q = r;
      ritz = null;
      continue;
    }
    beta.push(b);
    for (let i = 0; i < n; i++) w[i] /= b;
    q = w;
    ritz = null;
  }
  if (ritz === null || ritz.theta.length !== Q.length) ritz = tridiagonalEigen(alpha, beta.slice(0, alpha.length - 1));
  if (ritz.theta.length < k) {
    throw new Error(`lanczosTopK: only ${ritz.theta.length} Lanczos vectors built; raise maxIter above k = ${k}`);
  }
  const values = new Float64Array(k);
  const vectors: Float64Array[] = [];
  for (let t = 0; t < k; t++) {
    values[t] = ritz.theta[t];
    const v = new Float64Array(n);
    for (let j = 0; j < Q.length; j++) {
      const s = ritz.S.get(j, t);
      const qj = Q[j];
      for (let i = 0; i < n; i++) v[i] += s * qj[i];
    }
    normalise(v);
    vectors.push(v);
  }
  // A full Krylov basis (n vectors) gives exact pairs whatever the residual estimate said.
  return { values, vectors, converged: converged || Q.length === n, iterations: Q.length };
}

/** Eigen-decomposition of the m×m tridiagonal (alpha on the diagonal, beta off it), descending. */
function tridiagonalEigen(alpha: number[], beta: number[]): { theta: number[]; S: Matrix } {
  const m = alpha.length;
  const T = Matrix.zeros(m, m);
  for (let i = 0; i < m; i++) {
    T.set(i, i, alpha[i]);
    if (i + 1 < m) {
      T.set(i, i + 1, beta[i]);
      T.set(i + 1, i, beta[i]);
    }
  }
  const evd = new EigenvalueDecomposition(T, { assumeSymmetric: true });
  const lam = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = lam.map((_, i) => i).sort((a, b) => lam[b] - lam[a]);
  const S = Matrix.zeros(m, m);
  order.forEach((col, t) => {
    for (let i = 0; i < m; i++) S.set(i, t, V.get(i, col));
  });
  return { theta: order.map((c) => lam[c]), S };
}

/** Below this n, or when k > n/4, `topEigen` diagonalises fully; otherwise Lanczos is faster. */
const LANCZOS_MIN_N = 64;

/**
 * Top-k eigenpairs of a dense symmetric n×n matrix, descending. Full dense solver for small n or
 * large k; Lanczos otherwise (measured: n = 256, k = 5 takes 26 ms vs 200 ms dense, same values
 * to 1e-14), falling back to the dense solver (n ≤ DENSE_EIGEN_MAX_N) or to a longer Lanczos run
 * if it did not converge.
 */
export function topEigen(A: ArrayLike<number>, n: number, k: number): EigenPairs {
  checkSquare('topEigen', A, n);
  if (!Number.isInteger(k) || k <= 0 || k > n) throw new Error(`topEigen: k must be an integer in 1..n=${n}, got ${k}`);
  if (n <= LANCZOS_MIN_N || k > n / 4) {
    const all = eigSymmetric(A, n);
    return { values: all.values.slice(0, k), vectors: all.vectors.slice(0, k) };
  }
  const mv = symmetricMatvec(A, n);
  const first = lanczosTopK(mv, n, k);
  if (first.converged) return { values: first.values, vectors: first.vectors };
  if (n <= DENSE_EIGEN_MAX_N) {
    const all = eigSymmetric(A, n);
    return { values: all.values.slice(0, k), vectors: all.vectors.slice(0, k) };
  }
  const second = lanczosTopK(mv, n, k, { maxIter: Math.min(n, 4 * first.iterations) });
  return { values: second.values, vectors: second.vectors };
}
