import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../../src/lib/prng';
import { countCatapults, detectCatapults } from '../../../src/lib/catapults';

test('monotone decay: no spike', () => {
  const loss = Array.from({ length: 100 }, (_, t) => Math.exp(-0.1 * t));
  assert.deepEqual(detectCatapults(loss), []);
});

test('one spike: start, peak, end, ratio and λ_max drop', () => {
  const loss = [1, 0.9, 0.8, 5, 40, 100, 20, 3, 1.2, 0.5, 0.3];
  const lam = [10, null, 10, null, null, null, null, null, null, 6, null];
  const ev = detectCatapults(loss, { lambdaMax: lam });
  assert.equal(ev.length, 1);
  const e = ev[0];
  assert.equal(e.start, 2);
  assert.equal(e.peak, 5);
  assert.equal(e.end, 8); // 1.2 < 2 × 0.8
  assert.equal(e.ratio, 100 / 0.8);
  assert.equal(e.runningMin, 0.8);
  assert.equal(e.diverged, false);
  assert.equal(e.lambdaBefore, 10);
  assert.equal(e.lambdaAfter, 6);
  assert.equal(e.lambdaDropped, true);
  assert.equal(countCatapults(ev, { requireLambdaDrop: true }), 1);
});

test('several spikes are found in order and do not overlap', () => {
  const loss: number[] = [];
  let base = 1;
  for (let k = 0; k < 3; k++) {
    for (let t = 0; t < 10; t++) loss.push(base * Math.exp(-0.05 * t));
    loss.push(base * 30, base * 80, base * 10);
    base *= 0.5;
  }
  for (let t = 0; t < 10; t++) loss.push(base * Math.exp(-0.05 * t));
  const ev = detectCatapults(loss);
  assert.equal(ev.length, 3);
  assert.deepEqual(
    ev.map((e) => e.peak),
    [11, 24, 37],
  );
  for (let i = 1; i < ev.length; i++) assert.ok(ev[i].start >= (ev[i - 1].end as number));
  assert.equal(countCatapults(ev), 3);
  assert.equal(countCatapults(ev, { requireLambdaDrop: true }), 0); // no λ_max given
});

test('noisy plateau with noise below the factor: no spike; a larger factor suppresses a small spike', () => {
  const prng = new Prng(2);
  const loss = Array.from({ length: 500 }, () => 1 + 0.4 * prng.uniform());
  assert.deepEqual(detectCatapults(loss), []);
  const small = [1, 1, 3, 1, 1];
  assert.equal(detectCatapults(small).length, 1);
  assert.equal(detectCatapults(small, { riseFactor: 4 }).length, 0);
  assert.equal(detectCatapults([1e-12, 1e-11, 1e-12], { minLoss: 1e-8 }).length, 0);
});

test('divergence: a rise that never falls back, and NaN/Inf losses', () => {
  const grow = [1, 0.5, 2, 8, 64, 1e4];
  const a = detectCatapults(grow);
  assert.equal(a.length, 1);
  assert.equal(a[0].diverged, true);
  assert.equal(a[0].end, null);
  assert.equal(a[0].peak, 5);
  const b = detectCatapults([1, 0.5, 0.4, 10, NaN, 0.1]);
  assert.equal(b.length, 1);
  assert.equal(b[0].diverged, true);
  assert.equal(b[0].peak, 4);
  assert.equal(b[0].ratio, Infinity);
  const c = detectCatapults([1, Infinity]);
  assert.equal(c[0].diverged, true);
  assert.equal(countCatapults(c), 0);
});

test('bad options name the field', () => {
  assert.throws(() => detectCatapults([1, 2], { riseFactor: 1 }), /riseFactor must be a finite number > 1/);
  assert.throws(() => detectCatapults([1, 2], { lambdaMax: [1] }), /lambdaMax has 1 entries but loss has 2/);
});
