import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../../src/lib/prng';
import { rank2Task, sampleTask } from '../../../src/lib/tasks';
import { agopAlignment, agopFromGradients } from '../../../src/lib/agop';
import { fitRfm, laplaceKernelM, type RfmData, type RfmOptions } from '../../../src/lib/rfm';

function identity(d: number): Float64Array {
  const I = new Float64Array(d * d);
  for (let a = 0; a < d; a++) I[a * d + a] = 1;
  return I;
}

function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] * b[i];
  }
  return Math.sqrt(num / den);
}

/** Central differences of a scalar function of each row of X (m×d), h = 1e-5 (float64 throughout). */
function fdGradients(f: (Z: Float64Array) => Float64Array, X: Float64Array, d: number, h = 1e-5): Float64Array {
  const m = X.length / d;
  const out = new Float64Array(m * d);
  for (let a = 0; a < d; a++) {
    const Xp = X.slice();
    const Xm = X.slice();
    for (let i = 0; i < m; i++) {
      Xp[i * d + a] += h;
      Xm[i * d + a] -= h;
    }
    const fp = f(Xp);
    const fm = f(Xm);
    for (let i = 0; i < m; i++) out[i * d + a] = (fp[i] - fm[i]) / (2 * h);
  }
  return out;
}

test('rank-2 task (d = 50, n = 1000): M aligns ≥ 0.95 with diag(1,1,0,…) after 5 iterations, the M = I fit far less', (t) => {
  const d = 50;
  const task = rank2Task(d);
  const data = sampleTask(task, 1000, new Prng(1));
  const target = task.populationAgop();
  const opts = { bandwidth: 10, ridge: 1e-3, target };
  const fit = fitRfm(data, { ...opts, iterations: 5 });
  const one = fitRfm(data, { ...opts, iterations: 1 });
  const alignT = agopAlignment(fit.M, target);
  const align1 = agopAlignment(one.M, target);
  t.diagnostic(`alignment after 1 iteration ${align1.toFixed(4)}, after 5 ${alignT.toFixed(4)}`);
  t.diagnostic(`history: ${fit.history.map((h) => h.alignment?.toFixed(4)).join(' ')}`);
  assert.ok(alignT >= 0.95, `alignment after 5 iterations ${alignT}`);
  assert.ok(align1 < 0.85, `alignment of the M = I fit ${align1} should be far below`);
  assert.ok(1 - alignT < (1 - align1) / 4, `misalignment ${1 - alignT} vs ${1 - align1} at one iteration`);
  // The recursion is deterministic: iteration 1 of the long run is the one-iteration fit.
  assert.equal(fit.history[0].alignment, align1);
  assert.equal(fit.history.at(-1)?.alignment, alignT);
  // mScale 'trace' convention: tr M = d.
  let trace = 0;
  for (let a = 0; a < d; a++) trace += fit.M[a * d + a];
  assert.ok(Math.abs(trace - d) < 1e-9 * d, `tr M = ${trace}`);
});

test('analytic ∇f matches central differences of predict() (fresh points and, minus their own term, training points)', (t) => {
  const d = 5;
  const n = 40;
  const prng = new Prng(11);
  const task = rank2Task(d);
  const data = sampleTask(task, n, prng);
  // Two iterations, so predict's kernel uses a learned, non-identity M.
  const fit = fitRfm(data, { bandwidth: 3, ridge: 1e-2, iterations: 2 });
  assert.ok(
    fit.kernelM.some((v, i) => Math.abs(v - identity(d)[i]) > 1e-3),
    'kernel M should be learned',
  );

  const Z = Float64Array.from(prng.normalArray(7 * d));
  const rel = relError(
    fit.predictGradients(Z),
    fdGradients((X) => fit.predict(X), Z, d),
  );
  t.diagnostic(`fresh points: relative error ${rel.toExponential(2)}`);
  assert.ok(rel < 1e-6, `fresh points: relative error ${rel}`);

  // At a training point x_i the kernel has a kink; the convention drops its term, so compare with
  // the central differences of f minus α_i k(·, x_i), which is smooth there.
  const X = Float64Array.from(data.X);
  const idx = [0, 7, 19];
  for (const i of idx) {
    const xi = X.slice(i * d, (i + 1) * d);
    const rest = (Zs: Float64Array) => {
      const f = fit.predict(Zs);
      const k = laplaceKernelM(Zs, xi, d, fit.kernelM, fit.bandwidth);
      return f.map((v, r) => v - fit.alphas[i] * k[r]);
    };
    const g = fit.predictGradients(xi);
    const e = relError(g, fdGradients(rest, xi, d));
    t.diagnostic(`training point ${i}: relative error ${e.toExponential(2)}`);
    assert.ok(e < 1e-6, `training point ${i}: relative error ${e}`);
  }

  // M is the AGOP of these gradients at the training points, rescaled to trace d.
  const G = agopFromGradients(fit.predictGradients(X), n, d);
  let trace = 0;
  for (let a = 0; a < d; a++) trace += G[a * d + a];
  assert.ok(
    relError(
      G.map((v) => (v * d) / trace),
      fit.M,
    ) < 1e-12,
  );
  assert.ok(Math.abs(trace - fit.history[1].agopTrace) < 1e-12 * trace);

  // The recorded training MSE is that of predict() on the training inputs.
  const f = fit.predict(X);
  let sse = 0;
  for (let r = 0; r < n; r++) sse += (f[r] - data.y[r]) ** 2;
  assert.ok(Math.abs(sse / n - fit.history[1].trainMse) <= 1e-9 * (sse / n) + 1e-15);
});

test('mScale none keeps the raw AGOP: same alignments, M = raw AGOP', () => {
  const d = 4;
  const task = rank2Task(d);
  const data = sampleTask(task, 30, new Prng(5));
  const target = task.populationAgop();
  const base = { bandwidth: 3, ridge: 1e-2, iterations: 1, target };
  const tr = fitRfm(data, base);
  const raw = fitRfm(data, { ...base, mScale: 'none' });
  assert.ok(Math.abs((raw.history[0].alignment ?? NaN) - (tr.history[0].alignment ?? NaN)) < 1e-14);
  const scaled = raw.M.map((v) => (v * d) / raw.history[0].agopTrace);
  assert.ok(relError(scaled, tr.M) < 1e-14);
});

test('laplaceKernelM at M = I is exp(−‖x − z‖/L); a rank-deficient M gives distance 0 along its null space', () => {
  const d = 2;
  const L = 2;
  const A = [0, 0, 3, 4];
  const B = [0, 0, 1, 0, 0, 5];
  const K = laplaceKernelM(A, B, d, identity(d), L);
  const expected = [
    1,
    Math.exp(-1 / L),
    Math.exp(-5 / L),
    Math.exp(-5 / L),
    Math.exp(-Math.hypot(2, 4) / L),
    Math.exp(-Math.sqrt(10) / L),
  ];
  assert.equal(K.length, 6);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(K[i] - expected[i]) < 1e-15, `K[${i}] = ${K[i]} vs ${expected[i]}`);

  // M = e1e1ᵀ: only the first coordinate counts, so (0,0) and (0,5) coincide (exactly 1, not 1 − ε).
  const Mr = [1, 0, 0, 0];
  const Kr = laplaceKernelM(A, B, d, Mr, L);
  const expectedR = [1, Math.exp(-1 / L), 1, Math.exp(-3 / L), Math.exp(-2 / L), Math.exp(-3 / L)];
  for (let i = 0; i < 6; i++)
    assert.ok(Math.abs(Kr[i] - expectedR[i]) < 1e-15, `K_r[${i}] = ${Kr[i]} vs ${expectedR[i]}`);
  assert.equal(Kr[2], 1);
  // M = 0: every pair coincides.
  assert.deepEqual(Array.from(laplaceKernelM(A, B, d, [0, 0, 0, 0], L)), [1, 1, 1, 1, 1, 1]);
  // A rotated rank-1 M = vvᵀ, v = (1, 1)/√2: ‖x − z‖_M = |v·(x − z)|.
  const Kv = laplaceKernelM([1, -1], [0, 0, 2, 2], d, [0.5, 0.5, 0.5, 0.5], L);
  assert.equal(Kv[0], 1);
  assert.ok(Math.abs(Kv[1] - Math.exp((-Math.SQRT2 * 2) / L)) < 1e-14);
});

test('fitRfm with a rank-deficient initial M and coincident points: finite gradients; ridge 0 refused naming the ridge', () => {
  const d = 3;
  // Rows 0 and 1 differ only in x3, which M = diag(1, 1, 0) ignores.
  const X = [0.5, -1, 0, 0.5, -1, 2, 1, 1, 1, -1, 0.3, 0.2, 0.1, 0.9, -0.4];
  const y = [1, 2, 0, -1, 0.5];
  const data: RfmData = { X, y, n: 5, d };
  const initialM = [1, 0, 0, 0, 1, 0, 0, 0, 0];
  const fit = fitRfm(data, { bandwidth: 1, ridge: 0.1, iterations: 1, initialM });
  assert.ok(fit.M.every(Number.isFinite), 'M finite');
  const g = fit.predictGradients(X);
  assert.ok(g.every(Number.isFinite), 'gradients finite');
  // x3 is invisible to the kernel, so ∂f/∂x3 = 0 and M's third row and column vanish.
  for (let i = 0; i < 5; i++) assert.ok(g[i * d + 2] === 0, `∂f/∂x3 at row ${i} = ${g[i * d + 2]}`);
  for (let a = 0; a < d; a++) assert.ok(fit.M[a * d + 2] === 0, `M[${a}, 2] = ${fit.M[a * d + 2]}`);
  // Coincident rows get equal predictions.
  const f = fit.predict(X);
  assert.equal(f[0], f[1]);
  assert.throws(
    () => fitRfm(data, { bandwidth: 1, ridge: 0, iterations: 1, initialM }),
    /not positive definite at iteration 1.*increase options\.ridge/,
  );
  assert.throws(
    () => fitRfm(data, { bandwidth: 1, ridge: 0.1, iterations: 1, initialM: [1, 0, 0, 0, -1, 0, 0, 0, 0] }),
    /options\.initialM is not positive semidefinite/,
  );
  assert.throws(
    () => fitRfm(data, { bandwidth: 1, ridge: 0.1, iterations: 1, initialM: [1, 0.5, 0, 0, 1, 0, 0, 0, 1] }),
    /options\.initialM is not symmetric/,
  );
  assert.throws(
    () => fitRfm({ ...data, y: [0, 0, 0, 0, 0] }, { bandwidth: 1, ridge: 0.1, iterations: 1 }),
    /AGOP of iteration 1 is zero.*mScale: 'none'/,
  );
});

test('bad options and data throw errors naming the field', () => {
  const d = 2;
  const data: RfmData = { X: [0, 1, 2, 3, 4, 5], y: [1, 0, -1], n: 3, d };
  const ok: RfmOptions = { bandwidth: 1, ridge: 1e-3, iterations: 1 };
  const bad = (patch: Record<string, unknown>, re: RegExp) =>
    assert.throws(() => fitRfm(data, { ...ok, ...patch } as RfmOptions), re);
  bad({ bandwidth: -1 }, /options\.bandwidth must be a finite number > 0.*got -1/);
  bad({ bandwidth: 0 }, /options\.bandwidth/);
  bad({ bandwidth: Infinity }, /options\.bandwidth/);
  bad({ ridge: NaN }, /options\.ridge must be a finite number ≥ 0.*got NaN/);
  bad({ ridge: -1e-3 }, /options\.ridge/);
  bad({ iterations: 0 }, /options\.iterations must be an integer ≥ 1.*got 0/);
  bad({ iterations: 1.5 }, /options\.iterations/);
  bad({ mScale: 'max' }, /options\.mScale must be 'trace'.*or 'none'/);
  bad({ target: [1, 0, 0] }, /options\.target has 3 entries, expected d² = 4/);
  bad({ initialM: [1, 0, 0, NaN] }, /options\.initialM\[3\] is NaN/);
  bad({ bandwith: 1 }, /unknown option 'bandwith' \(known: bandwidth/);
  assert.throws(
    () => fitRfm({ ...data, X: [0, 1, 2, 3, 4] }, ok),
    /data\.X has 5 entries, expected data\.n·data\.d = 3·2/,
  );
  assert.throws(() => fitRfm({ ...data, X: [0, 1, 2, NaN, 4, 5] }, ok), /data\.X\[3\] is NaN/);
  assert.throws(() => fitRfm({ ...data, y: [1, 0] }, ok), /data\.y has 2 entries, expected data\.n = 3/);
  assert.throws(() => fitRfm({ ...data, n: 0 }, ok), /data\.n must be a positive integer/);
  const fit = fitRfm(data, ok);
  assert.throws(() => fit.predict([1, 2, 3]), /RfmFit\.predict: X has 3 entries, not a positive multiple of d = 2/);
  assert.throws(() => fit.predictGradients([]), /RfmFit\.predictGradients: X has 0 entries/);
  assert.throws(() => laplaceKernelM([0, 0], [1, 1], 2, [1, 0, 0, 1], -2), /laplaceKernelM: bandwidth must be/);
  assert.throws(() => laplaceKernelM([0, 0], [1, 1], 2, [1, 0, 0], 1), /laplaceKernelM: M has 3 entries/);
});
