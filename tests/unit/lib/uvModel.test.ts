import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runUvModel, uvGdStepVectors, uvStep } from '../../../src/lib/uvModel';
import { Prng } from '../../../src/lib/prng';

function fAndLambda(u: Float64Array, v: Float64Array): { f: number; lambda: number } {
  const m = u.length;
  let dot = 0;
  let nrm = 0;
  for (let i = 0; i < m; i++) {
    dot += u[i] * v[i];
    nrm += u[i] * u[i] + v[i] * v[i];
  }
  return { f: dot / Math.sqrt(m), lambda: nrm / m };
}

test('the (f, λ) recursions equal explicit GD on the vectors u, v, step by step', () => {
  const prng = new Prng(201);
  const m = 300;
  const u = Float64Array.from({ length: m }, () => prng.normal());
  const v = Float64Array.from({ length: m }, () => prng.normal());
  let { f, lambda } = fAndLambda(u, v);
  const eta = 3 / lambda; // inside the catapult window, so f and λ both move a lot
  let maxRel = 0;
  for (let t = 0; t < 40; t++) {
    ({ f, lambda } = uvStep(f, lambda, eta, m));
    uvGdStepVectors(u, v, eta);
    const ref = fAndLambda(u, v);
    maxRel = Math.max(
      maxRel,
      Math.abs(f - ref.f) / Math.max(Math.abs(ref.f), 1e-3),
      Math.abs(lambda - ref.lambda) / ref.lambda,
    );
  }
  assert.ok(maxRel < 1e-9, `max relative deviation ${maxRel}`);
});

test('η·λ0 = 1: lazy regime, loss falls monotonically and λ stays put', () => {
  const m = 1000;
  const tr = runUvModel({ f0: 1, lambda0: 2, eta: 0.5, m, steps: 50 });
  assert.equal(tr.divergedAt, null);
  for (let t = 1; t < tr.loss.length; t++) assert.ok(tr.loss[t] <= tr.loss[t - 1]);
  assert.ok(tr.loss[50] < 1e-20);
  assert.ok(Math.abs(tr.lambda[50] - 2) / 2 < 0.01, `λ_end = ${tr.lambda[50]}`);
});

test('η·λ0 = 3: catapult, loss rises by orders of magnitude then falls, λ ends below 2/η', () => {
  const m = 1000;
  const lambda0 = 2;
  const eta = 3 / lambda0;
  const tr = runUvModel({ f0: 1, lambda0, eta, m, steps: 400 });
  assert.equal(tr.divergedAt, null);
  const peak = Math.max(...tr.loss);
  assert.ok(peak > 100 * tr.loss[0], `peak ${peak} vs start ${tr.loss[0]}`);
  assert.ok(tr.loss[tr.loss.length - 1] < 1e-6 * tr.loss[0]);
  const lamEnd = tr.lambda[tr.lambda.length - 1];
  assert.ok(lamEnd < 2 / eta, `λ_end ${lamEnd} must be below 2/η = ${2 / eta}`);
});

test('η·λ0 = 4.5: diverges', () => {
  const tr = runUvModel({ f0: 1, lambda0: 2, eta: 2.25, m: 1000, steps: 400 });
  assert.notEqual(tr.divergedAt, null);
  assert.ok(!Number.isFinite(tr.loss[tr.loss.length - 1]) || tr.loss[tr.loss.length - 1] > 1e8);
});

test('bad input names the field', () => {
  assert.throws(() => runUvModel({ f0: 1, lambda0: 2, eta: 0.1, m: 0, steps: 1 }), /width m/);
  assert.throws(() => runUvModel({ f0: 1, lambda0: 2, eta: -1, m: 10, steps: 1 }), /eta/);
  assert.throws(() => runUvModel({ f0: 1, lambda0: 0, eta: 1, m: 10, steps: 1 }), /lambda0/);
});
