/** multi-catapult: config validation, and η = factor × 2/λ_max at every raise of the quick profile. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';
import { multiCatapult } from '../../../src/experiments/multiCatapult';
import { quickOf, rel, runQuick } from '../helpers/quickRuns';

before(async () => {
  await initBackend();
});

test('registered, and bad configs name the field', () => {
  assert.equal(getExperiment('multi-catapult'), multiCatapult);
  const plan = (patch: Record<string, unknown>) => () =>
    planExperiment(multiCatapult, 'quick', { config: { ...quickOf(multiCatapult), ...patch } });
  assert.throws(plan({ atSteps: [5, 10] }), /atSteps/);
  assert.throws(plan({ factor: 0.9 }), /factor/);
  assert.throws(plan({ archs: ['mlp'] }), /archs/);
});

test('multi-catapult: at every raise η = factor × 2/λ_max(K(w_t)), with λ_max measured independently', async () => {
  for (const key of ['shallow-s0', 'fcn-s0']) {
    const { out, config } = await runQuick(multiCatapult, key);
    const s = out.series as Record<string, number[]>;
    assert.ok(s.raiseSteps.length >= 2);
    s.raiseSteps.forEach((step, k) => {
      assert.ok(
        rel(s.stageEta[k], ((config.factor as number) * 2) / s.stageLambdaStart[k]) < 1e-4,
        `${key} raise ${k}`,
      );
      if (k < s.stageLambdaEnd.length)
        assert.ok(rel(s.stageEtaLambdaEnd[k], (s.stageEta[k] * s.stageLambdaEnd[k]) / 2) < 1e-12);
      assert.equal(s.eta[s.step.indexOf(step)], s.stageEta[k]);
    });
  }
});
