/** kernel-drops: config validation, and drop counts that agree with the per-spike λ_max. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';
import { kernelDrops } from '../../../src/experiments/kernelDrops';
import { quickOf, runQuick } from '../helpers/quickRuns';

before(async () => {
  await initBackend();
});

test('registered, and bad configs name the field', () => {
  assert.equal(getExperiment('kernel-drops'), kernelDrops);
  const plan = (patch: Record<string, unknown>) => () =>
    planExperiment(kernelDrops, 'quick', { config: { ...quickOf(kernelDrops), ...patch } });
  assert.throws(plan({ batchSize: 30 }), /batchSize.*< n/);
  assert.throws(plan({ probe: 31 }), /probe/);
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
