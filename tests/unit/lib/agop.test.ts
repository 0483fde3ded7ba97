import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { rank2Task, sampleTask } from '../../../src/lib/tasks';
import { agop, agopAlignment, agopBlock, agopFromGradients, trueAgopEmpirical } from '../../../src/lib/agop';
import { createShallowNet } from '../../../src/lib/models/shallow';

before(async () => {
  await initBackend();
});

function frobDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

test('empirical true AGOP of x1·x2 on 20,000 samples is within 0.02 of diag(1,1,0,…) (Frobenius)', () => {
  const task = rank2Task(100);
  const data = sampleTask(task, 20_000, new Prng(7));
  const G = trueAgopEmpirical(task, data.X, data.n);
  const err = frobDiff(G, task.populationAgop());
  assert.ok(err < 0.02, `‖G − G*‖_F = ${err}`);
  assert.ok(err > 0, 'a finite sample cannot be exact');
});

test('agopFromGradients: hand-computed 2×2 example and symmetry', () => {
  // g1 = (1, 2), g2 = (3, −1): (g1g1ᵀ + g2g2ᵀ)/2 = [[10, −1], [−1, 5]] / 2
  const G = agopFromGradients([1, 2, 3, -1], 2, 2);
  assert.deepEqual(Array.from(G), [5, -0.5, -0.5, 2.5]);
  assert.throws(() => agopFromGradients([1, 2, 3], 2, 2), /grads has 3 entries, expected n·d = 2·2/);
});

test('agop of a shallow net equals the outer products of finite-difference input gradients', () => {
  const d = 6;
  const n = 5;
  const prng = new Prng(13);
  const model = createShallowNet({ d, m: 64, prng });
  const X = Float64Array.from(prng.normalArray(n * d));
  const f = (x: Float64Array): number => {
    // float64 forward pass of f(x) = (1/√m) Σ v_j relu(u_jᵀx/√d) from the model's weights
    const [U, v] = model.getWeights();
    const m = v.length;
    let s = 0;
    for (let j = 0; j < m; j++) {
      let z = 0;
      for (let a = 0; a < d; a++) z += U[j * d + a] * x[a];
      s += v[j] * Math.max(0, z / Math.sqrt(d));
    }
    return s / Math.sqrt(m);
  };
  const h = 1e-5;
  const fd = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xp = X.slice(i * d, (i + 1) * d);
      const xm = xp.slice();
      xp[a] += h;
      xm[a] -= h;
      fd[i * d + a] = (f(xp) - f(xm)) / (2 * h);
    }
  }
  const Xt = tf.tensor2d(Float32Array.from(X), [n, d]);
  const G = agop(model, Xt);
  Xt.dispose();
  model.dispose();
  const Gfd = agopFromGradients(fd, n, d);
  const rel = frobDiff(G, Gfd) / frobDiff(Gfd, new Float64Array(d * d));
  assert.ok(rel < 1e-4, `relative error ${rel}`);
});

test('agopAlignment: identical → 1, orthogonal → 0, scale invariant, opposite → −1', () => {
  const A = [1, 0, 0, 2];
  const B = [0, 3, 3, 0];
  assert.ok(Math.abs(agopAlignment(A, A) - 1) < 1e-15);
  assert.equal(agopAlignment(A, B), 0);
  assert.ok(
    Math.abs(
      agopAlignment(
        A.map((x) => 7 * x),
        A,
      ) - 1,
    ) < 1e-15,
  );
  assert.ok(
    Math.abs(
      agopAlignment(
        A.map((x) => -x),
        A,
      ) + 1,
    ) < 1e-15,
  );
  // diag(1,1) vs diag(1,0): cos = 1/√2
  assert.ok(Math.abs(agopAlignment([1, 0, 0, 1], [1, 0, 0, 0]) - Math.SQRT1_2) < 1e-15);
  assert.ok(Number.isNaN(agopAlignment([0, 0, 0, 0], A)));
  assert.throws(() => agopAlignment([1], A), /G has 1 entries but G\* has 4/);
});

test('agopBlock takes the top-left k×k block', () => {
  const G = Float64Array.from({ length: 9 }, (_, i) => i);
  assert.deepEqual(Array.from(agopBlock(G, 3, 2)), [0, 1, 3, 4]);
  assert.throws(() => agopBlock(G, 3, 4), /k must be an integer in 1\.\.d=3/);
});
