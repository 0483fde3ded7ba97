/**
 * Spikes against catapults on constructed loss series, and the two step-size rules of the
 * catapult-removal test: the cap never leaves a step at or above its batch's critical rate, and the
 * rate-matched rule follows the capped run's running sum of step sizes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectCatapults } from '../../../src/lib/catapults';
import { cappedFactor, cumulativeTarget, matchedFactor, spikesAndCatapults } from '../../../src/lib/catapultRegime';

test('a spike is a catapult only when its start step ran at or above its critical rate', () => {
  // two spikes: the first starts at index 2, the second at index 6; the run ends converged
  const loss = [1, 0.9, 0.8, 5, 0.7, 0.6, 0.5, 3, 0.4, 0.3];
  const events = detectCatapults(loss);
  assert.deepEqual(
    events.map((e) => e.start),
    [2, 6],
  );
  const ratio = (above: number[]) => (i: number) => (above.includes(i) ? 1.2 : 0.8);
  assert.deepEqual(spikesAndCatapults(events, ratio([])), { spikes: 2, catapults: 0 });
  assert.deepEqual(spikesAndCatapults(events, ratio([2])), { spikes: 2, catapults: 1 });
  assert.deepEqual(spikesAndCatapults(events, ratio([2, 6])), { spikes: 2, catapults: 2 });
  // above the rate one step early or late does not make the spike a catapult
  assert.deepEqual(spikesAndCatapults(events, ratio([1, 3, 5, 7])), { spikes: 2, catapults: 0 });
  // exactly at the rate counts (η ≥ η_crit)
  assert.deepEqual(
    spikesAndCatapults(events, (i) => (i === 6 ? 1 : 0.5)),
    { spikes: 2, catapults: 1 },
  );
});

test('a diverged spike is neither a spike nor a catapult', () => {
  const events = detectCatapults([1, 0.5, 4, 40, Infinity]);
  assert.equal(events.length, 1);
  assert.deepEqual(
    spikesAndCatapults(events, () => 2),
    { spikes: 0, catapults: 0 },
  );
});

test('cap: a step at or above its batch rate is taken at c × that rate; a stable step is untouched', () => {
  for (const c of [0.9, 0.7]) {
    for (const rho of [1, 1.0001, 1.5, 3, 40]) {
      const phi = cappedFactor(rho, c);
      assert.ok(Math.abs(phi * rho - c) < 1e-12, `ρ = ${rho}: φρ = ${phi * rho}`);
      assert.ok(phi * rho < 1);
    }
    for (const rho of [0, 0.3, 0.999999]) assert.equal(cappedFactor(rho, c), 1);
  }
  assert.throws(() => cappedFactor(1.2, 1), /capFraction must lie in \(0, 1\)/);
  assert.throws(() => cappedFactor(Number.NaN, 0.9), /ratio η\/η_crit must be a finite number/);
});

test('rate matching: catapult-regime steps keep η, stable steps bring the running sum back to the target', () => {
  // capped run: φ = 1, 0.6, 0.6, 1, 0.6 → cumulative 1, 1.6, 2.2, 3.2, 3.8 (mean 0.76)
  const capped = Float64Array.from([1, 1.6, 2.2, 3.2, 3.8]);
  const ratios = [1.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
  let sofar = 0;
  const phis: number[] = [];
  ratios.forEach((rho, t) => {
    const phi = matchedFactor(rho, cumulativeTarget(capped, t), sofar);
    phis.push(phi);
    sofar += phi;
  });
  // step 0 is in the catapult regime: φ = 1 although the target is 1 anyway; then 0.6, 0.6, 1, 0.6,
  // and past the capped run's end the target grows by its mean factor 0.76 a step
  const expected = [1, 0.6, 0.6, 1, 0.6, 0.76, 0.76];
  phis.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-12, `step ${i}: ${p} vs ${expected[i]}`));
  // ahead of the target after an unstable step: the next stable steps are skipped (φ = 0), never negative
  assert.equal(matchedFactor(0.5, 1, 2.5), 0);
  assert.equal(matchedFactor(2, 1, 2.5), 1);
  // behind the target: at most the full step
  assert.equal(matchedFactor(0.5, 5, 1), 1);
  assert.throws(() => cumulativeTarget(new Float64Array(0), 0), /took no step/);
});
