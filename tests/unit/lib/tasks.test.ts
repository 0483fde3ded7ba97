import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../../src/lib/prng';
import { rank2Task, rank4Task, sampleTask, sampleTwoGaussians, taskById } from '../../../src/lib/tasks';

function fdGrad(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xp = x.slice();
    const xm = x.slice();
    xp[i] += h;
    xm[i] -= h;
    g[i] = (f(xp) - f(xm)) / (2 * h);
  }
  return g;
}

test('rank-2 and rank-4 closed-form gradients match central differences', () => {
  const prng = new Prng(3);
  for (const task of [rank2Task(8), rank4Task(8)]) {
    for (let rep = 0; rep < 5; rep++) {
      const x = Float64Array.from(prng.normalArray(8));
      const fd = fdGrad((z) => task.f(z), x);
      const g = task.grad(x);
      for (let i = 0; i < 8; i++) assert.ok(Math.abs(g[i] - fd[i]) < 1e-6, `${task.id} ∂${i}: ${g[i]} vs ${fd[i]}`);
    }
  }
});

test('rank-4 target is x1 + x1x2 + x1x2x3 + x1x2x3x4', () => {
  assert.equal(rank4Task(5).f([2, 3, 5, 7, 11]), 2 + 6 + 30 + 210);
  assert.equal(rank2Task(3).f([2, 3, 5]), 6);
});

test('population AGOPs are diag(1,1,0,…) and diag(4,3,2,1,0,…)', () => {
  const d = 6;
  const G2 = rank2Task(d).populationAgop();
  const G4 = rank4Task(d).populationAgop();
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      assert.equal(G2[a * d + b], a === b && a < 2 ? 1 : 0);
      assert.equal(G4[a * d + b], a === b && a < 4 ? 4 - a : 0);
    }
  }
});

test('rank-4 population AGOP agrees with a Monte Carlo estimate', () => {
  const task = rank4Task(4);
  const prng = new Prng(11);
  const N = 200_000;
  const acc = new Float64Array(16);
  for (let i = 0; i < N; i++) {
    const g = task.grad(Float64Array.from(prng.normalArray(4)));
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) acc[a * 4 + b] += (g[a] * g[b]) / N;
  }
  const ref = task.populationAgop();
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(acc[i] - ref[i]) < 0.15, `entry ${i}: ${acc[i]} vs ${ref[i]}`);
});

test('sampleTask: shapes, y = f*(x), determinism by seed', () => {
  const task = rank2Task(10);
  const a = sampleTask(task, 7, new Prng(1));
  const b = sampleTask(task, 7, new Prng(1));
  assert.equal(a.n, 7);
  assert.equal(a.d, 10);
  assert.equal(a.X.length, 70);
  assert.deepEqual(a.X, b.X);
  for (let i = 0; i < 7; i++) assert.ok(Math.abs(a.y[i] - a.X[i * 10] * a.X[i * 10 + 1]) < 1e-6);
  assert.throws(() => sampleTask(task, 0, new Prng(1)), /n must be a positive integer/);
  assert.throws(() => taskById('rank3'), /unknown task id 'rank3'/);
  assert.throws(() => rank4Task(3), /d must be an integer ≥ 4/);
});

test('two Gaussians: balanced ±1 labels, class means near ±2, unit variance', () => {
  const data = sampleTwoGaussians(4000, new Prng(5));
  assert.equal(data.d, 1);
  let pos = 0;
  let sumP = 0;
  let sumN = 0;
  let varP = 0;
  for (let i = 0; i < data.n; i++) {
    if (data.y[i] === 1) {
      pos++;
      sumP += data.X[i];
      varP += (data.X[i] - 2) ** 2;
    } else {
      assert.equal(data.y[i], -1);
      sumN += data.X[i];
    }
  }
  assert.equal(pos, 2000);
  assert.ok(Math.abs(sumP / 2000 - 2) < 0.1);
  assert.ok(Math.abs(sumN / 2000 + 2) < 0.1);
  assert.ok(Math.abs(varP / 2000 - 1) < 0.1);
  assert.throws(() => sampleTwoGaussians(5, new Prng(1)), /positive even integer/);
});
