/**
 * test-loss-vs-eta: every converging run meets the same stop rule; below η_crit the loss never rises, above it does; a rate far above η_max is
 * recorded as diverged (not thrown); rank-2 runs share their data with regressionSetup's seed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { testLossVsEta } from '../../../src/experiments/testLossVsEta';
import { regressionSetup } from '../../../src/experiments/shallowSetup';
import { taskById } from '../../../src/lib/tasks';
import { lambdaMax } from '../../../src/lib/tangentKernel';

before(async () => {
  await initBackend();
});

const quick = testLossVsEta.profiles.quick as Record<string, unknown>;
const runOf = async (config: Record<string, unknown>, key: string) => {
  const p = planExperiment(testLossVsEta, 'quick', { config }).find((r) => r.runKey === key);
  assert.ok(p, key);
  return testLossVsEta.run(p.config as never, { seed: p.seed, prng: new Prng(p.seed), progress() {} });
};

test('bad configs are rejected naming the field', () => {
  assert.throws(() => planExperiment(testLossVsEta, 'quick', { config: { ...quick, etaRatios: [1] } }), /etaRatios/);
  assert.throws(() => planExperiment(testLossVsEta, 'quick', { config: { ...quick, n: 33 } }), /n = 33 must be even/);
  assert.throws(() => planExperiment(testLossVsEta, 'quick', { config: { ...quick, tasks: [] } }), /tasks must list/);
});

test('quick profile: both rates meet the stop rule; the loss rises only above η_crit', async () => {
  const stop = quick.stopMse as number;
  const lo = (await runOf(quick, 'rank2-eta0p5-s0')).summary as Record<string, unknown>;
  const hi = (await runOf(quick, 'rank2-eta1p5-s0')).summary as Record<string, unknown>;
  for (const s of [lo, hi]) {
    assert.equal(s.stopReason, 'converged');
    assert.ok((s.trainMse as number) < stop);
    assert.ok(Number.isFinite(s.testMse as number) && Number.isFinite(s.alignTrain as number));
  }
  assert.equal(lo.catapults, 0);
  assert.equal(lo.peakLossRatio, 1);
  assert.ok((hi.peakLossRatio as number) > 1, `peak ratio ${hi.peakLossRatio}`);
});

test('far above η_max the run is recorded as diverged, with no test loss', async () => {
  const r = await runOf({ ...quick, etaRatios: [0.5, 6] }, 'rank2-eta6-s0');
  const s = r.summary as Record<string, unknown>;
  assert.equal(s.diverged, true);
  assert.equal(s.stopReason, 'diverged');
  assert.equal(s.testMse, null);
  assert.equal(s.alignTrain, null);
});

test('rank-2 data and weights are those of regressionSetup for the same seed (same λ_max at initialisation)', async () => {
  const r = await runOf(quick, 'rank2-eta0p5-s0');
  const q = quick as { n: number; nTest: number; d: number; m: number };
  const s = regressionSetup(new Prng(0), taskById('rank2', q.d), q.n, q.nTest, q.m);
  try {
    assert.ok(Math.abs(lambdaMax(s.net, s.X) - (r.summary.lambda0 as number)) < 1e-9 * (r.summary.lambda0 as number));
  } finally {
    s.dispose();
  }
});
