/** deep-fcn-gd: config validation, and PL_s + PL_s^⊥ = MSE on the quick profile. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';
import { deepFcnGd } from '../../../src/experiments/sgdDeepFcnGd';
import { quickOf, rel, runQuick } from '../helpers/quickRuns';

before(async () => {
  await initBackend();
});

test('registered, and bad configs name the field', () => {
  assert.equal(getExperiment('deep-fcn-gd'), deepFcnGd);
  assert.throws(
    () => planExperiment(deepFcnGd, 'quick', { config: { ...quickOf(deepFcnGd), etaRatios: [] } }),
    /etaRatios/,
  );
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
