import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowDropRate } from '../../../src/lib/windowBaseRate';

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
