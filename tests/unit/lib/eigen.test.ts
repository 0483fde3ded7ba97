import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eigSymmetric, lanczosTopK, symmetricMatvec, topEigen, DENSE_EIGEN_MAX_N } from '../../../src/lib/eigen';
import { Prng } from '../../../src/lib/prng';

/** A random orthogonal matrix (columns) by modified Gram–Schmidt on Gaussian columns. */
function randomOrthogonal(n: number, prng: Prng): Float64Array[] {
  const cols: Float64Array[] = [];
  while (cols.length < n) {
    const v = Float64Array.from({ length: n }, () => prng.normal());
    for (let pass = 0; pass < 2; pass++) {
      for (const q of cols) {
        let c = 0;
        for (let i = 0; i < n; i++) c += v[i] * q[i];
        for (let i = 0; i < n; i++) v[i] -= c * q[i];
      }
    }
    const nrm = Math.hypot(...v);
    for (let i = 0; i < n; i++) v[i] /= nrm;
    cols.push(v);
  }
  return cols;
}

/** A = Q diag(lam) Qᵀ, row-major. */
function fromSpectrum(Q: Float64Array[], lam: number[]): Float64Array {
  const n = lam.length;
  const A = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const q = Q[k];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += lam[k] * q[i] * q[j];
  }
  return A;
}

function reconstructionError(A: Float64Array, values: Float64Array, vectors: Float64Array[]): number {
  const n = values.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += values[k] * vectors[k][i] * vectors[k][j];
      num += (A[i * n + j] - s) ** 2;
      den += A[i * n + j] ** 2;
    }
  }
  return Math.sqrt(num / den);
}

function residual(A: Float64Array, n: number, lam: number, v: Float64Array): number {
  const Av = symmetricMatvec(A, n)(v);
  let s = 0;
  for (let i = 0; i < n; i++) s += (Av[i] - lam * v[i]) ** 2;
  return Math.sqrt(s);
}

test('diagonal matrix: eigenvalues sorted descending, eigenvectors are unit coordinate vectors', () => {
  const diag = [3, -1, 7, 0.5, 2];
  const n = diag.length;
  const A = new Float64Array(n * n);
  diag.forEach((x, i) => (A[i * n + i] = x));
  const { values, vectors } = eigSymmetric(A, n);
  assert.deepEqual(Array.from(values), [7, 3, 2, 0.5, -1]);
  const expectIndex = [2, 0, 4, 3, 1];
  vectors.forEach((v, j) => {
    assert.ok(Math.abs(Math.abs(v[expectIndex[j]]) - 1) < 1e-14);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-14);
  });
});

test('random rotation QΛQᵀ: known spectrum recovered, eigenvectors match ±q_k, reconstruction ~1e-14', () => {
  const prng = new Prng(7);
  const n = 40;
  const lam = Array.from({ length: n }, (_, i) => 10 - 0.37 * i); // includes negatives
  const Q = randomOrthogonal(n, prng);
  const A = fromSpectrum(Q, lam);
  const { values, vectors } = eigSymmetric(A, n);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(values[k] - lam[k]) < 1e-12, `λ_${k}: ${values[k]} vs ${lam[k]}`);
  for (let k = 0; k < n; k++) {
    let c = 0;
    for (let i = 0; i < n; i++) c += vectors[k][i] * Q[k][i];
    assert.ok(Math.abs(Math.abs(c) - 1) < 1e-10, `|⟨v_${k}, q_${k}⟩| = ${Math.abs(c)}`);
  }
  assert.ok(reconstructionError(A, values, vectors) < 1e-13);
});

test('repeated eigenvalues: values exact, vectors orthonormal and spanning the right eigenspace', () => {
  const prng = new Prng(8);
  const n = 12;
  const lam = [5, 5, 5, 2, 2, 1, 1, 1, 1, 0, 0, 0];
  const Q = randomOrthogonal(n, prng);
  const A = fromSpectrum(Q, lam);
  const { values, vectors } = eigSymmetric(A, n);
  lam.forEach((l, k) => assert.ok(Math.abs(values[k] - l) < 1e-12));
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let c = 0;
      for (let i = 0; i < n; i++) c += vectors[a][i] * vectors[b][i];
      assert.ok(Math.abs(c - (a === b ? 1 : 0)) < 1e-12);
    }
  }
  // Each returned vector of the triple λ = 5 lies in span(q_0, q_1, q_2).
  for (let k = 0; k < 3; k++) {
    let inSpan = 0;
    for (let t = 0; t < 3; t++) {
      let c = 0;
      for (let i = 0; i < n; i++) c += vectors[k][i] * Q[t][i];
      inSpan += c * c;
    }
    assert.ok(Math.abs(inSpan - 1) < 1e-12);
  }
  assert.ok(reconstructionError(A, values, vectors) < 1e-13);
});

test('Lanczos top-5 of a 200×200 random PSD matrix matches the dense solver', () => {
  const prng = new Prng(9);
  const n = 200;
  const p = 60;
  const G = Float64Array.from({ length: n * p }, () => prng.normal());
  const A = new Float64Array(n * n); // A = GGᵀ/p: PSD, rank 60, a Marchenko–Pastur-like bulk
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += G[i * p + k] * G[j * p + k];
      A[i * n + j] = A[j * n + i] = s / p;
    }
  }
  const dense = eigSymmetric(A, n);
  const lz = lanczosTopK(symmetricMatvec(A, n), n, 5, { prng: new Prng(3) });
  for (let k = 0; k < 5; k++) {
    assert.ok(
      Math.abs(lz.values[k] - dense.values[k]) < 1e-8 * dense.values[0],
      `λ_${k}: ${lz.values[k]} vs ${dense.values[k]}`,
    );
    let c = 0;
    for (let i = 0; i < n; i++) c += lz.vectors[k][i] * dense.vectors[k][i];
    assert.ok(Math.abs(Math.abs(c) - 1) < 1e-6, `eigenvector ${k}: |cos| = ${Math.abs(c)}`);
    assert.ok(residual(A, n, lz.values[k], lz.vectors[k]) < 1e-7 * dense.values[0]);
  }
});

test('Lanczos survives an invariant subspace (rank-2 operator) and still returns orthonormal vectors', () => {
  const n = 50;
  const e0 = new Float64Array(n);
  const e1 = new Float64Array(n);
  e0[3] = 1;
  e1[17] = 1;
  const mv = (x: Float64Array) => {
    const y = new Float64Array(n);
    y[3] = 4 * x[3];
    y[17] = 2 * x[17];
    return y;
  };
  const { values, vectors } = lanczosTopK(mv, n, 3, { maxIter: 20 });
  assert.ok(Math.abs(values[0] - 4) < 1e-12 && Math.abs(values[1] - 2) < 1e-12 && Math.abs(values[2]) < 1e-12);
  assert.ok(Math.abs(Math.abs(vectors[0][3]) - 1) < 1e-12);
  assert.ok(Math.abs(Math.abs(vectors[1][17]) - 1) < 1e-12);
});

test('topEigen finds the known top spectrum on the dense path, the dense-Lanczos path and above the dense-size switch', () => {
  const prng = new Prng(10);
  for (const n of [30, 100, DENSE_EIGEN_MAX_N + 20]) {
    const lam = Array.from({ length: n }, (_, i) => 1 / (1 + i) ** 1.5);
    const Q = randomOrthogonal(n, prng);
    const A = fromSpectrum(Q, lam);
    const top = topEigen(A, n, 3);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(top.values[k] - lam[k]) < 1e-9, `n=${n} λ_${k}`);
  }
});

test('Lanczos reports non-convergence when maxIter is too small for a flat spectrum', () => {
  const prng = new Prng(12);
  const n = 120;
  const lam = Array.from({ length: n }, (_, i) => 1 - i * 1e-4); // tightly clustered top
  const A = fromSpectrum(randomOrthogonal(n, prng), lam);
  const short = lanczosTopK(symmetricMatvec(A, n), n, 3, { maxIter: 6 });
  assert.equal(short.converged, false);
  assert.equal(short.iterations, 6);
  const full = lanczosTopK(symmetricMatvec(A, n), n, 3, { maxIter: n });
  assert.equal(full.converged, true);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(full.values[k] - lam[k]) < 1e-9);
});

test('bad input names the field', () => {
  assert.throws(() => eigSymmetric(new Float64Array(5), 2), /n² = 4/);
  assert.throws(() => eigSymmetric(new Float64Array([1, NaN, NaN, 1]), 2), /NaN/);
  assert.throws(() => lanczosTopK((x) => x, 10, 11), /k must be an integer in 1\.\.n=10/);
  assert.throws(() => lanczosTopK(() => new Float64Array(3), 10, 1), /matvec returned length 3/);
  assert.throws(() => topEigen(new Float64Array(4), 2, 0), /k must be/);
});
