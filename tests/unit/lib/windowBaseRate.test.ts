import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placementTest, windowDropRate } from '../../../src/lib/windowBaseRate';
import { Prng } from '../../../src/lib/prng';

const steps = [0, 5, 10, 15, 20];

test('a falling λ drops over every window, a rising or flat one over none', () => {
  assert.equal(windowDropRate(steps, [5, 4, 3, 2, 1], [3, 7], 20), 1);
  assert.equal(windowDropRate(steps, [1, 2, 3, 4, 5], [3], 20), 0);
  assert.equal(windowDropRate(steps, [2, 2, 2, 2, 2], [3], 20), 0);
});

test('counts placements by hand: one dip in the middle', () => {
  // λ: 3 at 0, 3 at 5, 1 at 10, 3 at 15, 3 at 20; windows of length 5, s = 0…15.
  // before = λ at the last step ≤ s, after = λ at the first step ≥ s + 5:
  // s = 0: 3 → 3 (5); s = 1…5: 3 → 1 (10) drop ×5; s = 6…10: before 3 (s<10) or 1 (s=10), after 3 (15):
  // s = 6…9 no drop, s = 10: 1 → 3 no; s = 11…15: 1 → 3 (20) no. Drops 5 of 16.
  assert.equal(windowDropRate(steps, [3, 3, 1, 3, 3], [5], 20), 5 / 16);
});

test('non-finite λ are skipped; no judged placement gives null; lengths must match', () => {
  assert.equal(windowDropRate(steps, [5, NaN, 3, NaN, 1], [3], 20), 1);
  assert.equal(windowDropRate([0], [1], [5], 20), null);
  assert.throws(() => windowDropRate(steps, [1, 2], [3], 20), /5 steps but 2 λ values/);
});

test('placement test: a λ that falls everywhere makes every placement a drop, so p = 1', () => {
  const run = { lambdaStep: steps, lambda: [5, 4, 3, 2, 1], lengths: [3, 7], lastStep: 20 };
  const r = placementTest([run], 2, 500, new Prng(1).uniform.bind(new Prng(1)));
  assert.equal(r.nullMean, 2);
  assert.equal(r.p, 1);
});

test('placement test: p matches the closed form (5/16)³ for three spikes on the one dip', () => {
  // One dip (base rate 5/16 for length 5, counted by hand above); three spikes, all dropping.
  const run = { lambdaStep: steps, lambda: [3, 3, 1, 3, 3], lengths: [5, 5, 5], lastStep: 20 };
  const prng = new Prng(7);
  const r = placementTest([run], 3, 40000, () => prng.uniform());
  assert.ok(Math.abs(r.p - (5 / 16) ** 3) < 0.004, `p = ${r.p}, closed form ${(5 / 16) ** 3}`);
  assert.ok(Math.abs(r.nullMean - 15 / 16) < 0.02, `null mean ${r.nullMean}, expected 15/16`);
  // Two runs pooled: P(≥ 1 of 2 drops) = 1 − (11/16)².
  const two = placementTest(
    [
      { ...run, lengths: [5] },
      { ...run, lengths: [5] },
    ],
    1,
    40000,
    () => prng.uniform(),
  );
  assert.ok(Math.abs(two.p - (1 - (11 / 16) ** 2)) < 0.01, `p = ${two.p}`);
});

test('placement test: a rising λ never drops, so observing any drop has p = 1/(1 + draws)', () => {
  const run = { lambdaStep: steps, lambda: [1, 2, 3, 4, 5], lengths: [3], lastStep: 20 };
  const prng = new Prng(3);
  const r = placementTest([run], 1, 99, () => prng.uniform());
  assert.equal(r.p, 1 / 100);
  assert.throws(() => placementTest([run], 1, 0, () => prng.uniform()), /draws must be a positive integer/);
});
