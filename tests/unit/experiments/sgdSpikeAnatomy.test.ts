/** sgd-spike-anatomy: config validation, the spike-start read-out, and a replay of the stored per-batch critical rates. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';
import { sgdSpikeAnatomy, spikeStartsAboveBatchCrit } from '../../../src/experiments/sgdSpikeAnatomy';
import { rank2ShallowSetup } from '../../../src/experiments/shallowSetup';
import { Trainer } from '../../../src/lib/train';
import { batchLambdaMax } from '../../../src/lib/tangentKernel';
import type { CatapultEvent } from '../../../src/lib/catapults';
import { quickOf, rel, runQuick } from '../helpers/quickRuns';

before(async () => {
  await initBackend();
});

test('registered, and bad configs name the field', () => {
  assert.equal(getExperiment('sgd-spike-anatomy'), sgdSpikeAnatomy);
  const plan = (patch: Record<string, unknown>) => () =>
    planExperiment(sgdSpikeAnatomy, 'quick', { config: { ...quickOf(sgdSpikeAnatomy), ...patch } });
  assert.throws(plan({ batchSize: 7 }), /batchSize.*divide n/);
  assert.throws(plan({ plS: 9 }), /plS/);
  assert.throws(plan({ largeRatio: -1 }), /largeRatio/);
});

test('spikeStartsAboveBatchCrit reads the start step and the rise', () => {
  const e = { start: 2, peak: 5, end: 7 } as CatapultEvent;
  const eta = [1, 1, 1, 1, 1, 1, 1, 1];
  assert.deepEqual(spikeStartsAboveBatchCrit(e, eta, [2, 2, 0.5, 2, 2, 2, 2, 2]), { atStart: true, anyInRise: true });
  assert.deepEqual(spikeStartsAboveBatchCrit(e, eta, [2, 2, 2, 2, 0.5, 2, 2, 2]), { atStart: false, anyInRise: true });
  assert.deepEqual(spikeStartsAboveBatchCrit(e, eta, [2, 2, 2, 2, 2, 0.5, 2, 2]), { atStart: false, anyInRise: false });
});

test('sgd-spike-anatomy: stored batch critical rates match a replay from the stored batch indices; PL_s + PL_s^⊥ = batch MSE', async () => {
  const { out, config, seed } = await runQuick(sgdSpikeAnatomy, 'large-s0');
  const s = out.series as Record<string, number[]>;
  const n = config.n as number;
  const d = config.d as number;
  const b = config.batchSize as number;
  const T = s.step.length;
  assert.equal(s.batchIndices.length, T * b);
  // Replay: same data, weights and batch order; at each step recompute 2b/λ_max(K(w_t; X_B)) on the STORED batch.
  const setup = rank2ShallowSetup(new Prng(seed), n, d, config.m as number);
  const trainer = new Trainer(setup.net, setup.data, {
    batchSize: b,
    seed,
    schedule: { kind: 'constant', eta: s.etaBar[0] / b },
    maxSteps: T,
    record: { what: [] },
  });
  try {
    for (let t = 0; t < T; t++) {
      const crit = (2 * b) / batchLambdaMax(setup.net, setup.X, s.batchIndices.slice(t * b, (t + 1) * b));
      assert.ok(rel(crit, s.batchCrit[t]) < 1e-5, `step ${t}: replayed ${crit}, stored ${s.batchCrit[t]}`);
      trainer.step();
    }
  } finally {
    trainer.dispose();
    setup.dispose();
  }
  for (let t = 0; t < T; t++) {
    assert.ok(rel(s.pl[t] + s.plPerp[t], s.plTotal[t]) < 1e-9);
    assert.ok(
      rel(s.plTotal[t], (2 * s.batchLoss[t]) / b) < 1e-4,
      `step ${t}: PL total ${s.plTotal[t]} vs batch MSE ${(2 * s.batchLoss[t]) / b}`,
    );
  }
  const sm = out.summary as Record<string, number>;
  assert.equal(sm.stepsAboveBatchCrit, s.batchCrit.filter((c, i) => s.etaBar[i] > c).length);
  assert.equal(sm.spikes, s.spikeStart.length);
});
