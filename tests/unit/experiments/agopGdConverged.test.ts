/**
 * agop-gd-converged: GD stops by the training-MSE rule and shares data and weights with the batch sweep's seed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { agopGdConverged } from '../../../src/experiments/agopGdConverged';
import { agopBatchSweep } from '../../../src/experiments/agopBatchSweep';

before(async () => {
  await initBackend();
});

test('bad configs are rejected with the field named', () => {
  const quick = agopGdConverged.profiles.quick as Record<string, unknown>;
  assert.throws(
    () => planExperiment(agopGdConverged, 'quick', { config: { ...quick, etaRatio: 1.5 } }),
    /etaRatio must be < 1/,
  );
  assert.throws(() => planExperiment(agopGdConverged, 'quick', { config: { ...quick, tasks: [] } }), /tasks must list/);
});

test('quick profile: converges by the MSE rule, no catapult, same λ0 as the sweep’s seed', async () => {
  const [run] = planExperiment(agopGdConverged, 'quick');
  const r = await agopGdConverged.run(run.config as never, { seed: 0, prng: new Prng(0), progress() {} });
  const s = r.summary as Record<string, number | string>;
  assert.equal(s.stopReason, 'converged');
  assert.ok((s.trainMse as number) < (agopGdConverged.profiles.quick as { stopMse: number }).stopMse);
  assert.equal(s.catapults, 0);
  // the loss series is thinned but keeps the last value
  const loss = r.series.trainLoss as number[];
  const steps = r.series.step as number[];
  assert.equal(steps[0], 0);
  assert.ok(loss[loss.length - 1] <= loss[0]);
  // paired with agop-batch-sweep (same quick task, n, nTest, m): same initial kernel
  const sweepGd = planExperiment(agopBatchSweep, 'quick').find(
    (p) => (p.config as { b: number }).b === (p.config as { n: number }).n && p.seed === 0,
  )!;
  const g = await agopBatchSweep.run(sweepGd.config as never, { seed: 0, prng: new Prng(0), progress() {} });
  assert.equal(s.lambda0, (g.summary as Record<string, number>).lambdaStart);
});
