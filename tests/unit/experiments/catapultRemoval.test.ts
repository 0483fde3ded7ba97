/**
 * catapult-removal on its quick profile, checked from the stored series as a reader of the trace
 * would: no capped-arm step is taken at or above its batch's critical rate, every step that was in
 * the catapult regime is the one that got capped, the rate-matched arm keeps η on its catapult-regime
 * steps and ends with the capped arm's mean step, and the capped arm starts from the sweep's weights.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { catapultRemoval } from '../../../src/experiments/catapultRemoval';
import { catapultRemovalCap07 } from '../../../src/experiments/catapultRemovalCap07';
import { agopBatchSweep } from '../../../src/experiments/agopBatchSweep';
import { checkOutputs, formatOutputIssues } from '../../../src/experiments/outputs';
import type { RunResult } from '../../../src/experiments/types';

before(async () => {
  await initBackend();
});

const quick = catapultRemoval.profiles.quick as Record<string, unknown>;
const plan = (config: unknown) => planExperiment(catapultRemoval, 'quick', { config });
const runOf = (exp: typeof catapultRemoval, r: { config: unknown; seed: number }) =>
  exp.run(r.config as never, { seed: r.seed, prng: new Prng(r.seed), progress() {} }) as RunResult;
const num = (s: RunResult, k: string) => s.summary[k] as number;

let quickRun: RunResult;
const quickOnce = () => (quickRun ??= runOf(catapultRemoval, plan({ ...quick, sgdEpochs: 4 })[0]));

test('bad configs are refused naming the field', () => {
  assert.throws(() => plan({ ...quick, capFraction: 1 }), /capFraction must be < 1/);
  assert.throws(() => plan({ ...quick, capFraction: 0 }), /capFraction.*must be > 0/);
  assert.throws(() => plan({ ...quick, batchSizes: [64] }), /batch size 64 is not below n = 64/);
  assert.throws(() => plan({ ...quick, matched: 'yes' }), /matched/);
});

test('the trace matches its declared outputs and series axes', () => {
  const out = quickOnce();
  const bad = checkOutputs(catapultRemoval.outputs, out);
  assert.equal(bad, null, bad ? formatOutputIssues(bad.issues) : '');
  for (const arm of ['capped', 'matched']) {
    const steps = num(out, `${arm}Steps`);
    assert.equal(out.series[`${arm}Ratio`].length, steps);
    assert.equal(out.series[`${arm}Factor`].length, steps);
    // every-step loss for seed 0: one value before each step taken
    assert.deepEqual(Array.from(out.series[`${arm}LossStep`]).slice(0, steps), [...Array(steps).keys()]);
  }
});

test('capped arm: no step at or above its batch rate, and exactly the catapult-regime steps were shrunk', () => {
  const out = quickOnce();
  const ratio = Array.from(out.series.cappedRatio);
  const factor = Array.from(out.series.cappedFactor);
  const inRegime = ratio.filter((r) => r >= 1).length;
  assert.ok(inRegime > 0, 'the quick profile must put some batches in their catapult regime');
  ratio.forEach((r, t) => {
    assert.ok(factor[t] * r < 1, `step ${t}: η_used/η_crit,B = ${factor[t] * r}`);
    if (r >= 1) assert.ok(Math.abs(factor[t] * r - 0.9) < 1e-9, `step ${t} capped at ${factor[t] * r}, not 0.9`);
    else assert.equal(factor[t], 1, `stable step ${t} changed`);
  });
  assert.equal(num(out, 'cappedStepsAboveCrit'), 0);
  assert.equal(num(out, 'cappedStepsShrunk'), inRegime);
  assert.equal(num(out, 'cappedCatapults'), 0);
});

test('rate-matched arm: catapult-regime steps keep η, and the mean step equals the capped arm’s', () => {
  const out = quickOnce();
  const ratio = Array.from(out.series.matchedRatio);
  const factor = Array.from(out.series.matchedFactor);
  ratio.forEach((r, t) => {
    if (r >= 1) assert.equal(factor[t], 1, `catapult-regime step ${t} was shrunk`);
    assert.ok(factor[t] >= 0 && factor[t] <= 1);
  });
  assert.ok(num(out, 'matchedStepsInRegime') > 0, 'the matched arm must keep some catapult-regime steps');
  // equal lengths (the quick runs hit the epoch cap) make equal running sums equal means
  assert.equal(num(out, 'matchedSteps'), num(out, 'cappedSteps'));
  const gap = Math.abs(num(out, 'matchedMeanFactor') - num(out, 'cappedMeanFactor'));
  assert.ok(gap < 1 / num(out, 'cappedSteps'), `mean step factors differ by ${gap}`);
});

test('the same initial weights and full-set rate as agop-batch-sweep at the same seed', async () => {
  const out = quickOnce();
  const sweepQuick = agopBatchSweep.profiles.quick as Record<string, unknown>;
  const sweep = planExperiment(agopBatchSweep, 'quick', { config: { ...sweepQuick, noiseControl: undefined } }).find(
    (p) => p.runKey === 'rank2-b8-s0',
  );
  assert.ok(sweep);
  const s = await agopBatchSweep.run(sweep.config as never, { seed: 0, prng: new Prng(0), progress() {} });
  assert.equal(num(out, 'lambdaStart'), s.summary.lambdaStart);
  assert.equal(num(out, 'etaMean'), s.summary.etaMean);
});

test('the 0.7 variant caps at 0.7 and runs no rate-matched arm', () => {
  const r = planExperiment(catapultRemovalCap07, 'quick')[0];
  const out = runOf(catapultRemovalCap07, r);
  const ratio = Array.from(out.series.cappedRatio);
  const factor = Array.from(out.series.cappedFactor);
  ratio.forEach((rho, t) => rho >= 1 && assert.ok(Math.abs(factor[t] * rho - 0.7) < 1e-9));
  assert.equal(out.summary.matchedStop, null);
  assert.equal(out.series.matchedFactor, undefined);
  const bad = checkOutputs(catapultRemovalCap07.outputs, out);
  assert.equal(bad, null, bad ? formatOutputIssues(bad.issues) : '');
});
