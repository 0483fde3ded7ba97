import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../../src/lib/prng';
import { eigSymmetric } from '../../../src/lib/eigen';
import { projectedLoss } from '../../../src/lib/projectedLoss';

function randomKernel(n: number, p: number, prng: Prng): Float64Array {
  const J = prng.normalArray(n * p);
  const K = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += J[a * p + j] * J[b * p + j];
      K[a * n + b] = s;
    }
  return K;
}

test('PL_s + PL_s^⊥ = (1/n)‖R‖² on random kernels, for every s', () => {
  const prng = new Prng(21);
  for (const n of [5, 17, 40]) {
    const eig = eigSymmetric(randomKernel(n, 2 * n, prng), n);
    const R = Float64Array.from(prng.normalArray(n));
    let r2 = 0;
    for (const r of R) r2 += r * r;
    for (const s of [0, 1, Math.floor(n / 2), n]) {
      const { pl, plPerp, total } = projectedLoss(eig, R, s);
      assert.ok(Math.abs(total - r2 / n) < 1e-12);
      assert.ok(Math.abs(pl + plPerp - total) < 1e-10 * total, `n=${n} s=${s}: ${pl}+${plPerp} vs ${total}`);
    }
  }
});

test('a residual along u_1 lives entirely in PL_1; along u_n entirely in PL_1^⊥', () => {
  const prng = new Prng(4);
  const n = 12;
  const eig = eigSymmetric(randomKernel(n, 30, prng), n);
  const R1 = eig.vectors[0].map((v) => 3 * v);
  const a = projectedLoss(eig, R1, 1);
  assert.ok(Math.abs(a.pl - 9 / n) < 1e-12);
  assert.ok(a.plPerp < 1e-12);
  const Rn = eig.vectors[n - 1];
  const b = projectedLoss(eig, Rn, 5);
  assert.ok(b.pl < 1e-12);
  assert.ok(Math.abs(b.plPerp - 1 / n) < 1e-12);
});

test('top-k eigenvectors only: PL_s^⊥ falls back to total − PL_s and agrees with the full sum', () => {
  const prng = new Prng(8);
  const n = 20;
  const eig = eigSymmetric(randomKernel(n, 25, prng), n);
  const R = Float64Array.from(prng.normalArray(n));
  const full = projectedLoss(eig, R, 5);
  const top = projectedLoss({ values: eig.values.slice(0, 5), vectors: eig.vectors.slice(0, 5) }, R, 5);
  assert.ok(Math.abs(full.pl - top.pl) < 1e-14);
  assert.ok(Math.abs(full.plPerp - top.plPerp) < 1e-12);
  assert.throws(
    () => projectedLoss({ values: eig.values.slice(0, 5), vectors: eig.vectors.slice(0, 5) }, R, 6),
    /s must be an integer in 0\.\.5/,
  );
  assert.throws(() => projectedLoss(eig, R.slice(0, 19), 2), /eigenvector 0 has length 20, residual has n = 19/);
});
