/**
 * sgd-spike-kernel: config errors name the field; the quick run matches its declared outputs, and
 * each spike's readings are the run's own series at the spike's start and at its end.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { sgdSpikeKernel } from '../../../src/experiments/sgdSpikeKernel';
import { checkOutputs, formatOutputIssues } from '../../../src/experiments/outputs';

before(async () => {
  await initBackend();
});

const quick = sgdSpikeKernel.profiles.quick as Record<string, unknown>;
const plan = (config: unknown) => planExperiment(sgdSpikeKernel, 'quick', { config });

test('bad configs are refused naming the field', () => {
  assert.throws(
    () => plan({ ...quick, runs: [{ b: 7, ratio: 2 }] }),
    /runs\.0\.b|batch size 7 must be below n = 64 and divide it/,
  );
  assert.throws(() => plan({ ...quick, minSpikeRatio: 1 }), /minSpikeRatio must be > 1/);
  assert.throws(() => plan({ ...quick, runs: [] }), /runs must list at least one/);
});

test('quick run: declared outputs, and spike readings taken from the run’s own series', async () => {
  const [r] = plan(quick);
  const out = await sgdSpikeKernel.run(r.config as never, { seed: r.seed, prng: new Prng(r.seed), progress() {} });
  const bad = checkOutputs(sgdSpikeKernel.outputs, out);
  assert.equal(bad, null, bad ? formatOutputIssues(bad.issues) : '');
  const s = out.series as Record<string, number[]>;
  assert.ok(s.spikeStart.length > 0, 'the quick profile has a spike to read');
  s.spikeStart.forEach((st, i) => {
    assert.equal(s.lambdaAtStart[i], s.lambdaMax[s.step.indexOf(st)]);
    assert.equal(s.lambdaAfterEnd[i], s.lambdaMax[s.step.indexOf(s.spikeEnd[i])]);
    assert.ok(s.spikeEnd[i] > st);
  });
  const sum = out.summary as { largeSpikes: number; lambdaLowerAfter: number };
  assert.equal(sum.largeSpikes, s.spikeStart.length);
  assert.equal(sum.lambdaLowerAfter, s.lambdaAfterEnd.filter((a, i) => a < s.lambdaAtStart[i]).length);
});
