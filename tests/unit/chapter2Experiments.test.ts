/**
 * Chapter 2 experiments: configs are rejected with the field named, and the quick-profile traces
 * agree with independent recomputations (per-batch critical rates from the stored batch indices,
 * PL_s + PL_s^⊥ = loss, the ladder's η = factor × 2/λ_max at each raise, the drop fractions).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { planExperiment } from '../../src/experiments/plan';
import { getExperiment } from '../../src/experiments/registry';
import type { AnyExperiment, RunResult } from '../../src/experiments/types';
import { sgdSpikeAnatomy, spikeStartsAboveBatchCrit } from '../../src/experiments/sgdSpikeAnatomy';
import { deepFcnGd } from '../../src/experiments/sgdDeepFcnGd';
import { multiCatapult } from '../../src/experiments/multiCatapult';
import { kernelDrops } from '../../src/experiments/kernelDrops';
import { downsampleMnist } from '../../src/experiments/sgdMnist';
import { rank2ShallowSetup } from '../../src/experiments/shallowSetup';
import { Trainer } from '../../src/lib/train';
import { batchLambdaMax } from '../../src/lib/tangentKernel';
import { committedTracesStale } from './committedTraces';
import type { CatapultEvent } from '../../src/lib/catapults';

before(async () => {
  await initBackend();
});

const quickOf = (e: AnyExperiment) => e.profiles.quick as Record<string, unknown>;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

async function runQuick(e: AnyExperiment, key: string): Promise<{ out: RunResult; config: Record<string, unknown>; seed: number }> {
  const r = planExperiment(e, 'quick').find((p) => p.runKey === key);
  assert.ok(r, `no quick run ${key}`);
  const out = await e.run(r.config as never, { seed: r.seed, prng: new Prng(r.seed), progress() {} });
  return { out, config: r.config as Record<string, unknown>, seed: r.seed };
}

test('the four chapter-2 experiments are registered', () => {
  for (const id of ['sgd-spike-anatomy', 'deep-fcn-gd', 'multi-catapult', 'kernel-drops']) assert.equal(getExperiment(id).id, id);
});

test('bad configs name the field', () => {
  const plan = (e: AnyExperiment, patch: Record<string, unknown>) => () => planExperiment(e, 'quick', { config: { ...quickOf(e), ...patch } });
  assert.throws(plan(sgdSpikeAnatomy, { batchSize: 7 }), /batchSize.*divide n/);
  assert.throws(plan(sgdSpikeAnatomy, { plS: 9 }), /plS/);
  assert.throws(plan(sgdSpikeAnatomy, { largeRatio: -1 }), /largeRatio/);
  assert.throws(plan(multiCatapult, { atSteps: [5, 10] }), /atSteps/);
  assert.throws(plan(multiCatapult, { factor: 0.9 }), /factor/);
  assert.throws(plan(multiCatapult, { archs: ['mlp'] }), /archs/);
  assert.throws(plan(kernelDrops, { batchSize: 30 }), /batchSize.*< n/);
  assert.throws(plan(kernelDrops, { probe: 31 }), /probe/);
  assert.throws(plan(deepFcnGd, { etaRatios: [] }), /etaRatios/);
});

test('downsampleMnist: 2×2 means, then each image rescaled to norm √196', () => {
  const X = new Float32Array(784).map((_, i) => (i % 28) + 28 * Math.floor(i / 28));
  const out = downsampleMnist(X, 1);
  assert.equal(out.length, 196);
  const norm = Math.sqrt(out.reduce((a, v) => a + v * v, 0));
  assert.ok(rel(norm, 14) < 1e-5);
  // block (0,0) holds pixels 0, 1, 28, 29 with mean 14.5; block (0,1) mean 16.5: ratio survives the rescale
  assert.ok(rel(out[1] / out[0], 16.5 / 14.5) < 1e-5);
  assert.throws(() => downsampleMnist(new Float32Array(10), 1), /n·784/);
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
  const trainer = new Trainer(setup.net, setup.data, { batchSize: b, seed, schedule: { kind: 'constant', eta: s.etaBar[0] / b }, maxSteps: T, record: { what: [] } });
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
    assert.ok(rel(s.plTotal[t], (2 * s.batchLoss[t]) / b) < 1e-4, `step ${t}: PL total ${s.plTotal[t]} vs batch MSE ${(2 * s.batchLoss[t]) / b}`);
  }
  const sm = out.summary as Record<string, number>;
  assert.equal(sm.stepsAboveBatchCrit, s.batchCrit.filter((c, i) => s.etaBar[i] > c).length);
  assert.equal(sm.spikes, s.spikeStart.length);
});

test('deep-fcn-gd: PL_s + PL_s^⊥ = MSE at every measured step, and the MSE is the recorded ½Σ loss × 2/n', async () => {
  const { out } = await runQuick(deepFcnGd, 'eta1p8-s0');
  const s = out.series as Record<string, number[]>;
  const n = (out.summary as Record<string, number>).n;
  for (let k = 0; k < s.measureStep.length; k++) {
    assert.ok(rel(s.pl[k] + s.plPerp[k], s.mse[k]) < 1e-9);
    const i = s.step.indexOf(s.measureStep[k]);
    if (i >= 0) assert.ok(rel(s.mse[k], (2 * s.trainLoss[i]) / n) < 1e-4, `step ${s.measureStep[k]}`);
  }
});

test('multi-catapult: at every raise η = factor × 2/λ_max(K(w_t)), with λ_max measured independently', async () => {
  for (const key of ['shallow-s0', 'fcn-s0']) {
    const { out, config } = await runQuick(multiCatapult, key);
    const s = out.series as Record<string, number[]>;
    assert.ok(s.raiseSteps.length >= 2);
    s.raiseSteps.forEach((step, k) => {
      assert.ok(rel(s.stageEta[k], ((config.factor as number) * 2) / s.stageLambdaStart[k]) < 1e-4, `${key} raise ${k}`);
      if (k < s.stageLambdaEnd.length) assert.ok(rel(s.stageEtaLambdaEnd[k], (s.stageEta[k] * s.stageLambdaEnd[k]) / 2) < 1e-12);
      assert.equal(s.eta[s.step.indexOf(step)], s.stageEta[k]);
    });
  }
});

test('kernel-drops: drop counts agree with the per-spike λ_max before and after', async () => {
  const { out } = await runQuick(kernelDrops, 'fcn-s0');
  const s = out.series as Record<string, number[]>;
  const sm = out.summary as Record<string, number | null>;
  const drops = s.judgedLambdaBefore.filter((v, i) => s.judgedLambdaAfter[i] < v).length;
  assert.equal(sm.spikesJudged, s.judgedPeak.length);
  assert.equal(sm.spikesWithLambdaDrop, drops);
  // λ before/after are the probe measurements nearest the spike (at or before its start, at or after its end)
  for (let k = 0; k < s.judgedPeak.length; k++) {
    assert.ok(s.probeLambda.includes(s.judgedLambdaBefore[k]) && s.probeLambda.includes(s.judgedLambdaAfter[k]));
  }
  assert.equal(s.probeLambda.length, s.lambdaStep.length);
  assert.ok(s.probeLambda.every((v) => v > 0));
});

test('binomialTail: exact small cases and complements', async () => {
  const { binomialTail } = await import('../../src/site/chapter2');
  assert.ok(Math.abs(binomialTail(2, 1, 0.5) - 0.75) < 1e-12);
  assert.ok(Math.abs(binomialTail(3, 3, 0.2) - 0.008) < 1e-12);
  assert.ok(Math.abs(binomialTail(5, 0, 0.3) - 1) < 1e-12);
  assert.ok(Math.abs(binomialTail(16, 14, 0.64) - (120 * 0.64 ** 14 * 0.36 ** 2 + 16 * 0.64 ** 15 * 0.36 + 0.64 ** 16)) < 1e-12);
});

test('committed sgd-spike-anatomy traces: spike starts are recounted from the series, and land above the batch critical rate more often than steps do', { skip: committedTracesStale(['sgd-spike-anatomy']) }, async () => {
  const { anatomyRuns, spikeStartStats } = await import('../../src/site/chapter2');
  const { small, large } = anatomyRuns();
  assert.ok(large.length >= 3 && small.length === large.length);
  for (const t of [...small, ...large]) {
    const s = t.series;
    const above = s.spikeStart.filter((st) => s.etaBar[s.step.indexOf(st)] > s.batchCrit[s.step.indexOf(st)]).length;
    assert.equal(above, t.summary.spikesStartingAbove, t.runKey);
    assert.equal(s.batchCrit.filter((c, i) => s.etaBar[i] > c).length, t.summary.stepsAboveBatchCrit, t.runKey);
  }
  // the small rate: no batch above its critical rate, and no spike
  for (const t of small) assert.equal(t.summary.spikes, 0, t.runKey);
  const st = spikeStartStats(large);
  assert.ok(st.spikes >= 5, `only ${st.spikes} spikes`);
  assert.ok(st.startAbove / st.spikes > st.baseRate, `spike starts above: ${st.startAbove}/${st.spikes}, base rate ${st.baseRate}`);
});

test('median: upper median of unsorted values, input untouched', async () => {
  const { median } = await import('../../src/lib/stats');
  const xs = [5, 1, 4, 2];
  assert.equal(median(xs), 4);
  assert.deepEqual(xs, [5, 1, 4, 2]);
  assert.equal(median([3, 1, 2]), 2);
  assert.ok(Number.isNaN(median([])));
});
