import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bisectEtaMax } from '../../../src/experiments/etaMaxBisection';
import { runUvModel } from '../../../src/lib/uvModel';

const edge = (e: number) => (ratio: number) => ({ ratio, diverged: ratio > e, stepsRun: ratio > e ? 3 : 100 });

test('the bracket halves each iteration and always holds the edge', () => {
  for (const e of [1.3, 2.17, 5.9]) {
    const r = bisectEtaMax(edge(e), { lo: 1, hi: 8, iterations: 10, what: 'x' });
    assert.ok(r.lo <= e && e < r.hi, `${e} in [${r.lo}, ${r.hi})`);
    assert.equal(r.hi - r.lo, 7 / 2 ** 10);
    assert.equal(r.probes.length, 12);
    assert.deepEqual(
      r.probes.slice(0, 2).map((p) => p.ratio),
      [1, 8],
    );
  }
});

test('a diverging lo or a converging hi is an error naming the bound to move', () => {
  assert.throws(
    () => bisectEtaMax(edge(0.5), { lo: 1, hi: 8, iterations: 3, what: 'run A' }),
    /run A: lo = 1 .*lower "lo"/,
  );
  assert.throws(
    () => bisectEtaMax(edge(9), { lo: 1, hi: 8, iterations: 3, what: 'run B' }),
    /run B: hi = 8 .*raise "hi"/,
  );
});

test('on the uv model, whose η_max is 4/λ_0 = 2 η_crit, bisection brackets 2', () => {
  // GD from f0 = 0.1 at width 10⁴ (f0²/m → 0: the regime where η_max = 4/λ_0 exactly), 400 steps per probe.
  const lambda0 = 0.8;
  const probe = (ratio: number) => {
    const tr = runUvModel({ f0: 0.1, lambda0, eta: (ratio * 2) / lambda0, m: 1e4, steps: 400 });
    return { ratio, diverged: tr.divergedAt !== null, stepsRun: tr.step.length - 1 };
  };
  const r = bisectEtaMax(probe, { lo: 1.2, hi: 3, iterations: 12, what: 'uv model' });
  assert.ok(r.lo <= 2 && 2 <= r.hi + 1e-3, `η_max/η_crit in [${r.lo}, ${r.hi}]`);
  assert.ok(r.hi - r.lo < 1e-3);
  // and a catapult, not laziness, just below it: λ ends below 2/η
  const below = runUvModel({ f0: 0.1, lambda0, eta: (1.9 * 2) / lambda0, m: 1e4, steps: 400 });
  assert.equal(below.divergedAt, null);
  assert.ok(below.lambda[below.lambda.length - 1] < lambda0 / 1.9);
});
