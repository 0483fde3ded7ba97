import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { createOptimizer, type OptimizerSpec } from '../../../src/lib/optimizers';

before(async () => {
  await initBackend();
});

const W0 = [1, -2];

const G1 = [0.5, 1];

const G2 = [-0.25, 2];

function runOptimizer(spec: OptimizerSpec, eta: number, grads: number[][]): number[] {
  const w = tf.variable(tf.tensor1d(W0));
  const opt = createOptimizer(spec, [w]);
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.apply([gt], eta);
    gt.dispose();
  }
  const out = Array.from(w.dataSync());
  opt.dispose();
  w.dispose();
  return out;
}

function close(a: number[], b: number[], tol = 1e-6): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < tol, `[${i}] ${a[i]} vs ${b[i]}`);
}

test('SGD: w ← w − ηg', () => {
  close(runOptimizer({ kind: 'sgd' }, 0.1, [G1, G2]), [1 - 0.05 + 0.025, -2 - 0.1 - 0.2]);
});

test('heavy-ball momentum: v ← βv + g, w ← w − ηv (hand-computed two steps)', () => {
  // v1 = g1 = (0.5, 1); v2 = 0.5·v1 + g2 = (0, 2.5)
  close(runOptimizer({ kind: 'momentum', beta: 0.5 }, 0.1, [G1, G2]), [1 - 0.05 - 0, -2 - 0.1 - 0.25]);
});

test('Adam: first step moves every coordinate by η·sign(g); second step hand-computed', () => {
  close(runOptimizer({ kind: 'adam', epsilon: 0 }, 0.01, [G1]), [0.99, -2.01]);
  // β1 = 0.9, β2 = 0.999: m2 = 0.09 g1 + 0.1 g2, v2 = 0.000999 g1² + 0.001 g2²; hats divide by 0.19 and 0.001999
  const step2 = [0, 1].map((i) => {
    const m = (0.09 * G1[i] + 0.1 * G2[i]) / 0.19;
    const v = (0.000999 * G1[i] ** 2 + 0.001 * G2[i] ** 2) / 0.001999;
    return m / Math.sqrt(v);
  });
  close(runOptimizer({ kind: 'adam', epsilon: 0 }, 0.01, [G1, G2]), [0.99 - 0.01 * step2[0], -2.01 - 0.01 * step2[1]]);
});

test('RMSprop: s ← ρs + (1−ρ)g², w ← w − ηg/(√s + ε)', () => {
  // ρ = 0.9: s1 = 0.1 g², so the first step is η·sign(g)/√0.1
  close(runOptimizer({ kind: 'rmsprop', epsilon: 0 }, 0.01, [G1]), [
    1 - 0.01 / Math.sqrt(0.1),
    -2 - 0.01 / Math.sqrt(0.1),
  ]);
  assert.throws(() => createOptimizer({ kind: 'rmsprop', rho: 1 }, []), /rmsprop\.rho must be in \[0, 1\)/);
  assert.throws(() => createOptimizer({ kind: 'lbfgs' } as unknown as OptimizerSpec, []), /spec\.kind must be/);
});
