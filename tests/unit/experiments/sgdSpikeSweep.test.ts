/**
 * sgd-spike-sweep: η̄ is set from the median batch critical rate at initialisation; far below it
 * SGD does not spike or diverge, far above it the run diverges and stops; bad configs name the field.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { sgdSpikeSweep } from '../../../src/experiments/sgdSpikeSweep';

before(async () => {
  await initBackend();
});

const quick = sgdSpikeSweep.profiles.quick as Record<string, unknown>;

test('bad configs are rejected naming the field', () => {
  assert.throws(
    () => planExperiment(sgdSpikeSweep, 'quick', { config: { ...quick, batchSizes: [7] } }),
    /batch size 7 must be below n = 64 and divide it/,
  );
  assert.throws(() => planExperiment(sgdSpikeSweep, 'quick', { config: { ...quick, ratios: [] } }), /ratios/);
});

test('quick profile: half the median batch rate trains quietly; four times it diverges', async () => {
  const runs = planExperiment(sgdSpikeSweep, 'quick');
  const out = new Map<string, Record<string, unknown>>();
  for (const p of runs) {
    const r = await sgdSpikeSweep.run(p.config as never, { seed: p.seed, prng: new Prng(p.seed), progress() {} });
    out.set(p.runKey, r.summary);
  }
  const lo = out.get('b8-r0p5-s0')!;
  const hi = out.get('b8-r4-s0')!;
  assert.equal(lo.divergedAt, null);
  assert.equal(lo.stepsAboveBatchCritShare, 0);
  assert.notEqual(hi.divergedAt, null);
  for (const s of [lo, hi]) {
    assert.ok(Math.abs((s.etaBar as number) - (s.ratio as number) * (s.medianBatchCrit as number)) < 1e-12);
    assert.ok(Math.abs((s.etaOverFullCrit as number) - (s.etaBar as number) / (s.etaCrit as number)) < 1e-12);
  }
  // Both runs of the seed start from the same data and weights.
  assert.equal(lo.lambda0, hi.lambda0);
});
