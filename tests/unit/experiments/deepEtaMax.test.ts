/**
 * deep-eta-max: the quick profile's bisection on a 3-hidden-layer FCN on MNIST brackets an edge
 * the probes agree with, and λ0 is that of the FCN's tangent kernel on the run's data.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { deepEtaMax } from '../../../src/experiments/deepEtaMax';

before(async () => {
  await initBackend();
});

test('bad configs are rejected naming the field', () => {
  const quick = deepEtaMax.profiles.quick as Record<string, unknown>;
  assert.throws(
    () => planExperiment(deepEtaMax, 'quick', { config: { ...quick, hi: 0.5 } }),
    /hi must be larger than lo/,
  );
  assert.throws(() => planExperiment(deepEtaMax, 'quick', { config: { ...quick, widths: [] } }), /widths must list/);
});

test('quick profile: the probes below the bracket converge, those above diverge', async () => {
  const [p] = planExperiment(deepEtaMax, 'quick');
  const r = await deepEtaMax.run(p.config as never, { seed: p.seed, prng: new Prng(p.seed), progress() {} });
  const s = r.summary as Record<string, number>;
  const ratios = r.series.probeRatio as number[];
  const div = r.series.probeDiverged as number[];
  assert.ok(s.etaMaxRatioLow < s.etaMaxRatioHigh);
  assert.equal(ratios.length, (deepEtaMax.profiles.quick as { iterations: number }).iterations + 2);
  ratios.forEach((q, i) => assert.equal(div[i], q > s.etaMaxRatioLow ? 1 : 0, `probe at ${q}`));
  assert.equal(s.etaCrit, 2 / s.lambda0);
  assert.equal(s.hiddenLayers, 3);
});
