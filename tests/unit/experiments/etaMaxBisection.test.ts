import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bisectEtaMax } from '../../../src/experiments/etaMaxBisection';

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
