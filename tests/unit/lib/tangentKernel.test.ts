import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { createShallowNet } from '../../../src/lib/models/shallow';
import { createNqm } from '../../../src/lib/models/nqm';
import { createFcn } from '../../../src/lib/models/fcn';
import {
  jacobian,
  jacobianTangentKernel,
  lambdaMax,
  tangentKernel,
  topKernelEigen,
} from '../../../src/lib/tangentKernel';
import { eigSymmetric, lanczosTopK, DENSE_EIGEN_MAX_N } from '../../../src/lib/eigen';
import { relativeFrobeniusError, gramRows } from '../../../src/lib/linalg';
import { rank2Task, sampleTask } from '../../../src/lib/tasks';

before(async () => {
  await initBackend();
});

/** The shallow net's Jacobian in float64 by hand: ∂f/∂u_j = v_j σ'(z_j) x/√(md), ∂f/∂v_j = σ(z_j)/√m. */
function shallowJacobian64(U: Float32Array, v: Float32Array, x: Float32Array, n: number, d: number): Float64Array {
  const m = v.length;
  const p = m * d + m;
  const J = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += U[j * d + k] * x[i * d + k];
      if (z <= 0) continue;
      for (let k = 0; k < d; k++) J[i * p + j * d + k] = (v[j] * x[i * d + k]) / Math.sqrt(m * d);
      J[i * p + m * d + j] = z / Math.sqrt(d) / Math.sqrt(m);
    }
  }
  return J;
}

test('shallow net: closed-form kernel = float64 JJᵀ (1e-12) = generic autodiff Jacobian kernel (1e-5)', () => {
  const prng = new Prng(101);
  const n = 20,
    d = 10,
    m = 64;
  const net = createShallowNet({ d, m, prng });
  const x = prng.normalArray(n * d);
  const X = tf.tensor2d(x, [n, d]);
  const [U, v] = net.getWeights();
  const J64 = shallowJacobian64(U, v, x, n, d);
  const Kref = gramRows(J64, n, m * d + m);
  const K = tangentKernel(net, X);
  assert.ok(relativeFrobeniusError(K, Kref) < 1e-12, `closed form vs float64 JJᵀ: ${relativeFrobeniusError(K, Kref)}`);
  const Kgen = jacobianTangentKernel(net, X);
  assert.ok(relativeFrobeniusError(Kgen, Kref) < 1e-5, `generic vs float64: ${relativeFrobeniusError(Kgen, Kref)}`);
  const J = jacobian(net, X);
  assert.ok(relativeFrobeniusError(J, J64) < 1e-6);
  net.dispose();
  X.dispose();
});

test('NQM kernel moves with Δw and its closed form still equals the generic Jacobian kernel', () => {
  const prng = new Prng(102);
  const n = 15,
    d = 6,
    m = 48;
  const net = createShallowNet({ d, m, prng });
  const nqm = createNqm(net);
  const X = tf.tensor2d(prng.normalArray(n * d), [n, d]);
  const K0 = nqm.tangentKernel(X);
  const [U0, v0] = nqm.getWeights();
  nqm.setWeights([U0.map((u) => u + 0.5 * prng.normal()), v0.map((s) => s + 0.5 * prng.normal())]);
  const K1 = nqm.tangentKernel(X);
  assert.ok(relativeFrobeniusError(K1, K0) > 1e-2, 'the NQM kernel must change when w moves');
  assert.ok(relativeFrobeniusError(jacobianTangentKernel(nqm, X), K1) < 1e-5);
  net.dispose();
  nqm.dispose();
  X.dispose();
});

test('matrix-free J(Jᵀx) equals the dense kernel times x, for the net and the moved NQM', () => {
  const prng = new Prng(103);
  const n = 30,
    d = 8,
    m = 40;
  const net = createShallowNet({ d, m, prng });
  const nqm = createNqm(net);
  nqm.setWeights(nqm.getWeights().map((w) => w.map((a) => a + 0.3 * prng.normal())));
  const X = tf.tensor2d(prng.normalArray(n * d), [n, d]);
  for (const model of [net, nqm]) {
    const K = model.tangentKernel(X);
    const mv = model.tangentKernelMatvec(X);
    assert.equal(mv.n, n);
    const z = Float64Array.from({ length: n }, () => prng.normal());
    const Kz = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Kz[i] += K[i * n + j] * z[j];
    assert.ok(relativeFrobeniusError(mv(z), Kz) < 1e-5, `${model.kind}: ${relativeFrobeniusError(mv(z), Kz)}`);
    mv.dispose();
    assert.throws(() => mv(z), /after dispose/);
  }
  net.dispose();
  nqm.dispose();
  X.dispose();
});

test('topKernelEigen: dense path and matrix-free Lanczos path agree; lambdaMax is the top eigenvalue', () => {
  const prng = new Prng(104);
  const d = 5,
    m = 32;
  const net = createShallowNet({ d, m, prng });
  const n = DENSE_EIGEN_MAX_N + 10; // forces the Lanczos path
  const X = tf.tensor2d(prng.normalArray(n * d), [n, d]);
  const dense = eigSymmetric(net.tangentKernel(X), n);
  const top = topKernelEigen(net, X, 3);
  for (let k = 0; k < 3; k++) {
    assert.ok(
      Math.abs(top.values[k] - dense.values[k]) < 1e-5 * dense.values[0],
      `λ_${k} ${top.values[k]} vs ${dense.values[k]}`,
    );
  }
  const Xs = tf.slice(X, [0, 0], [50, d]);
  const small = topKernelEigen(net, Xs, 2);
  const ref = eigSymmetric(net.tangentKernel(Xs), 50);
  assert.equal(small.values[0], ref.values[0]);
  assert.equal(lambdaMax(net, Xs), ref.values[0]);
  assert.throws(() => topKernelEigen(net, Xs, 0), /k must be/);
  net.dispose();
  X.dispose();
  Xs.dispose();
});

test('FCN kernel (generic path) is JJᵀ of its Jacobian, symmetric and positive semi-definite', () => {
  const prng = new Prng(105);
  const n = 8,
    d = 4;
  const fcn = createFcn({ d, width: 10, depth: 3, prng });
  const X = tf.tensor2d(prng.normalArray(n * d), [n, d]);
  const K = tangentKernel(fcn, X);
  const J = jacobian(fcn, X);
  assert.ok(relativeFrobeniusError(K, gramRows(J, n, fcn.numParams)) < 1e-12);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(K[i * n + j], K[j * n + i]);
  const ev = eigSymmetric(K, n);
  assert.ok(ev.values[n - 1] > -1e-9 * ev.values[0]);
  const lz = lanczosTopK(
    (z) => {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i] += K[i * n + j] * z[j];
      return y;
    },
    n,
    1,
  );
  assert.ok(Math.abs(lz.values[0] - ev.values[0]) < 1e-10 * ev.values[0]);
  fcn.dispose();
  X.dispose();
});

test('shallow kernel at large width is close to its infinite-width mean on the diagonal', () => {
  // For ‖x‖² = d, E[K(x,x)] = E[σ'(z)²]·‖x‖²/d + E[σ(z)²] = ½ + ½ with z ~ N(0,1) and v ~ N(0,1).
  const prng = new Prng(106);
  const d = 16,
    m = 8192;
  const net = createShallowNet({ d, m, prng });
  const row = new Float32Array(d).fill(1);
  const X = tf.tensor2d(row, [1, d]);
  const K = net.tangentKernel(X);
  assert.ok(Math.abs(K[0] - 1) < 0.06, `K(x,x) = ${K[0]}`);
  net.dispose();
  X.dispose();
});

test('interlacing: λ_max of a batch kernel never exceeds λ_max of the full kernel (½Σ convention)', () => {
  const prng = new Prng(3);
  const data = sampleTask(rank2Task(20), 64, prng.fork(1));
  const net = createShallowNet({ d: 20, m: 128, prng: prng.fork(2) });
  const X = tf.tensor2d(data.X, [64, 20]);
  const full = lambdaMax(net, X);
  for (let k = 0; k < 10; k++) {
    const idx = Array.from(prng.permutation(64).slice(0, 5));
    const Xb = tf.gather(X, idx) as tf.Tensor2D;
    const lb = lambdaMax(net, Xb);
    assert.ok(lb <= full * (1 + 1e-9), `batch λ ${lb} > full λ ${full}`);
    // ... yet per sample (mean-loss units) a batch can be heavier than the full set.
    Xb.dispose();
  }
  X.dispose();
  net.dispose();
});
