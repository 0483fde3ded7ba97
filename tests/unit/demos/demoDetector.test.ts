/**
 * The demos' catapult detector (src/demos/kit/demoDetector.ts): the one detector of src/lib/catapults.ts
 * with a relative floor, so float noise near zero loss is no spike while real catapults still are,
 * including one that starts from a tiny loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectCatapults } from '../../../src/lib/catapults';
import { classifyRegime } from '../../../src/lib/regime';
import {
  DEMO_DETECTOR_OPTIONS,
  DEMO_FLOOR_TEXT,
  DEMO_RELATIVE_FLOOR,
  demoSpikes,
} from '../../../src/demos/kit/demoDetector';
import { Prng } from '../../../src/lib/prng';

/** A converged run: the loss falls from 80 to ~1e-6 in 100 steps, then float noise that doubles and halves around 1e-6. */
function convergedWithNoise(): number[] {
  const prng = new Prng(7);
  const loss: number[] = [];
  for (let t = 0; t < 100; t++) loss.push(80 * 10 ** (-7.9 * (t / 99)));
  for (let t = 0; t < 300; t++) loss.push(1e-6 * (0.3 + 3 * prng.uniform()));
  return loss;
}

test('the floor is 0.1 % of the initial loss, and the help texts say so', () => {
  assert.equal(DEMO_RELATIVE_FLOOR, 1e-3);
  assert.equal(DEMO_FLOOR_TEXT, '0.1 %');
  assert.deepEqual({ ...DEMO_DETECTOR_OPTIONS }, { relativeFloor: 1e-3 });
});

test('noise at losses ~1e-6 of a converged run is no spike for the demos (the floorless detector counts it)', () => {
  const loss = convergedWithNoise();
  assert.ok(detectCatapults(loss).length > 5, 'the test series should trip the floorless detector');
  assert.deepEqual(demoSpikes(loss), []);
  assert.equal(classifyRegime(loss, null, DEMO_DETECTOR_OPTIONS), 'linear');
  assert.notEqual(classifyRegime(loss, null), 'linear');
});

test('a real catapult is still found, also one that starts from a tiny loss, and it ends back below the floor', () => {
  // From 1, the loss rises 300× and falls back: a catapult from the start.
  const early = [1, 0.5, 3, 40, 300, 50, 2, 0.4, 0.3, 0.2];
  assert.deepEqual(
    demoSpikes(early).map((e) => [e.start, e.peak, e.end]),
    [[1, 4, 7]],
  );
  // After convergence to 1e-7, η is raised: the loss rises to 10× its start, falls to 5e-4 (below the
  // floor 1e-3) and on. Without the floor the spike would never end (it stays above 2 × 1e-7).
  const late = [1, 1e-2, 1e-4, 1e-6, 1e-7, 1e-5, 1e-2, 1, 10, 1, 1e-2, 5e-4, 1e-4];
  const [spike, ...rest] = demoSpikes(late);
  assert.deepEqual(rest, []);
  assert.deepEqual([spike.start, spike.peak, spike.end, spike.diverged], [5, 8, 11, false]);
  assert.equal(detectCatapults(late)[0].diverged, true);
});

test('without the option the detector is unchanged (relativeFloor 0 is the old rule)', () => {
  const loss = convergedWithNoise();
  assert.deepEqual(detectCatapults(loss, { relativeFloor: 0 }), detectCatapults(loss));
  assert.throws(() => detectCatapults(loss, { relativeFloor: -1 }), /relativeFloor must be a finite number ≥ 0/);
});
