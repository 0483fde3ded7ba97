/**
 * src/lib/correlation.ts: the Fisher-z interval against its closed form and a textbook value, its
 * coverage on simulated bivariate-normal samples, and refusals that name the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pearsonWithInterval } from '../../../src/lib/correlation';
import { Prng } from '../../../src/lib/prng';

test('interval is tanh(atanh r ± 1.96/√(n − 3)): r = 0.5, n = 28 gives about [0.156, 0.736]', () => {
  // x = 0..27 and y = x + noise chosen so r is whatever it is; check the formula on that r
  const x = Array.from({ length: 28 }, (_, i) => i);
  const y = x.map((v, i) => v + 20 * Math.sin(i * 1.7));
  const c = pearsonWithInterval(x, y);
  const h = 1.959963984540054 / 5;
  assert.ok(Math.abs(c.lo - Math.tanh(Math.atanh(c.r) - h)) < 1e-12);
  assert.ok(Math.abs(c.hi - Math.tanh(Math.atanh(c.r) + h)) < 1e-12);
  // the textbook example itself, through the same transform
  assert.ok(Math.abs(Math.tanh(Math.atanh(0.5) - h) - 0.156) < 1e-3);
  assert.ok(Math.abs(Math.tanh(Math.atanh(0.5) + h) - 0.736) < 1e-3);
});

test('95 % intervals cover the true correlation in about 95 % of bivariate-normal samples', () => {
  const prng = new Prng(3);
  const rho = -0.6;
  let cover = 0;
  const trials = 2000;
  for (let t = 0; t < trials; t++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20; i++) {
      const a = prng.normal();
      const b = prng.normal();
      x.push(a);
      y.push(rho * a + Math.sqrt(1 - rho * rho) * b);
    }
    const c = pearsonWithInterval(x, y);
    if (c.lo <= rho && rho <= c.hi) cover++;
  }
  assert.ok(Math.abs(cover / trials - 0.95) < 0.02, `coverage ${cover / trials}`);
});

test('too few points, unequal lengths or a constant series are refused', () => {
  assert.throws(() => pearsonWithInterval([1, 2, 3], [1, 2, 3]), /at least 4 points/);
  assert.throws(() => pearsonWithInterval([1, 2, 3, 4], [1, 2, 3]), /x has 4 values but y has 3/);
  assert.throws(() => pearsonWithInterval([1, 1, 1, 1], [1, 2, 3, 4]), /not finite/);
});
