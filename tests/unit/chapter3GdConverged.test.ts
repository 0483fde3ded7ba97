/**
 * agop-gd-converged: GD stops by the training-MSE rule, shares data and weights with the batch sweep's
 * seed, and the pairing read-outs compare the right runs.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { planExperiment } from '../../src/experiments/plan';
import { agopGdConverged } from '../../src/experiments/agopGdConverged';
import { agopBatchSweep } from '../../src/experiments/agopBatchSweep';
import { convergedMeans, convergedRows, seedsBeatingConvergedGd } from '../../src/experiments/agopGdConvergedSummary';

before(async () => {
  await initBackend();
});

test('bad configs are rejected with the field named', () => {
  const quick = agopGdConverged.profiles.quick as Record<string, unknown>;
  assert.throws(() => planExperiment(agopGdConverged, 'quick', { config: { ...quick, etaRatio: 1.5 } }), /etaRatio must be < 1/);
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
  const sweepGd = planExperiment(agopBatchSweep, 'quick').find((p) => (p.config as { b: number }).b === (p.config as { n: number }).n && p.seed === 0)!;
  const g = await agopBatchSweep.run(sweepGd.config as never, { seed: 0, prng: new Prng(0), progress() {} });
  assert.equal(s.lambda0, (g.summary as Record<string, number>).lambdaStart);
});

test('pairing read-outs pick the same seed and count seeds where SGD beats converged GD', () => {
  const conv = [0, 1].map((seed) => ({ seed, runKey: `rank2-s${seed}`, summary: { task: 'rank2', steps: 100 + seed, alignTrain: 0.8, testLossOverVar: 0.7 }, series: {} }));
  const sw = (seed: number, b: number, a: number, l: number) => ({ seed, runKey: `rank2-b${b}-s${seed}`, summary: { task: 'rank2', batchSize: b, alignTrain: a, testLossOverVar: l }, series: {} });
  const sweep = [sw(0, 2000, 0.7, 0.9), sw(0, 10, 0.85, 0.6), sw(0, 5, 0.9, 0.5), sw(1, 2000, 0.6, 0.95), sw(1, 10, 0.75, 0.8), sw(1, 5, 0.95, 0.4)];
  const rows = convergedRows(conv as never, sweep as never, 'rank2');
  assert.deepEqual(rows[1], { seed: 1, gdSteps: 101, gd: { align: 0.8, testOverVar: 0.7 }, budgetGd: { align: 0.6, testOverVar: 0.95 }, sgd: [{ b: 10, align: 0.75, testOverVar: 0.8 }, { b: 5, align: 0.95, testOverVar: 0.4 }] });
  assert.deepEqual(seedsBeatingConvergedGd(rows, [5], 'align'), { holds: 2, seeds: 2 });
  assert.deepEqual(seedsBeatingConvergedGd(rows, [10, 5], 'align'), { holds: 1, seeds: 2 });
  assert.deepEqual(seedsBeatingConvergedGd(rows, [10, 5], 'testOverVar'), { holds: 1, seeds: 2 });
  const m = convergedMeans(rows);
  assert.ok(Math.abs(m.budgetGd.align.mean - 0.65) < 1e-12);
  assert.deepEqual(m.sgd.map((x) => x.b), [10, 5]);
});
