/** multi-catapult and cnn-ladder-factors: config validation, the grid, η = factor × 2/λ_max at every raise, and a vanished kernel. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';
import { climbLadder, multiCatapult } from '../../../src/experiments/multiCatapult';
import { cnnLadderFactors } from '../../../src/experiments/cnnLadderFactors';
import { shallowNetFromWeights } from '../../../src/lib/models/shallow';
import { lambdaMax } from '../../../src/lib/tangentKernel';
import { quickOf, rel, runQuick } from '../helpers/quickRuns';

before(async () => {
  await initBackend();
});

test('registered, and bad configs name the field', () => {
  assert.equal(getExperiment('multi-catapult'), multiCatapult);
  assert.equal(getExperiment('cnn-ladder-factors'), cnnLadderFactors);
  const plan = (patch: Record<string, unknown>) => () =>
    planExperiment(multiCatapult, 'quick', { config: { ...quickOf(multiCatapult), ...patch } });
  assert.throws(plan({ atSteps: [5, 10] }), /atSteps/);
  assert.throws(plan({ factors: [1.2, 0.9] }), /factors.*> 1/);
  assert.throws(plan({ factors: [] }), /factors must list/);
  assert.throws(plan({ factor: 1.4 }), /factor/);
  assert.throws(plan({ archs: ['mlp'] }), /archs/);
});

test('the grid is architectures × factors × seeds, one factor per run', () => {
  const runs = planExperiment(cnnLadderFactors, 'paper');
  assert.equal(runs.length, 2 * 4 * 3);
  const keys = runs.map((r) => r.runKey);
  assert.ok(keys.includes('cnn-f1p1-s0') && keys.includes('cnn-dense-f2-s2'), keys.join(' '));
  for (const r of runs) {
    const c = r.config as { factor: number; factors?: unknown };
    assert.equal(c.factors, undefined);
    assert.ok(r.runKey.includes(`-f${String(c.factor).replace('.', 'p')}-`), r.runKey);
  }
  // the chapter's ladder keeps its one factor and settings
  const main = planExperiment(multiCatapult, 'paper');
  assert.deepEqual(
    main.map((r) => r.runKey),
    ['shallow-f1p4-s0', 'fcn-f1p4-s0', 'cnn-f1p4-s0'],
  );
});

test('multi-catapult: at every raise η = factor × 2/λ_max(K(w_t)), with λ_max measured independently', async () => {
  for (const key of ['shallow-f1p5-s0', 'fcn-f1p5-s0']) {
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
    assert.equal((out.summary as { kernelVanishedAt: number | null }).kernelVanishedAt, null);
  }
});

test('climbLadder stops at a raise that finds every unit dead, instead of throwing on 2/0', () => {
  // Two inputs with positive coordinates, every unit active at w0; targets far below f, so one step at 25 × η_crit
  // pushes every u_j against the inputs and no ReLU is active afterwards: K(w_1) = 0.
  const d = 2;
  const X = new Float32Array([1, 0.5, 0.5, 1]);
  const data = { n: 2, d, X, y: new Float32Array([-30, -30]) };
  const net = shallowNetFromWeights(new Float32Array([0.3, 0.2, 0.1, 0.4, 0.2, 0.2]), new Float32Array([1, 1, 1]), d);
  const Xt = tf.tensor2d(X, [2, d]);
  try {
    const climb = climbLadder(net, data, Xt, { factor: 25, atSteps: [0, 1], steps: 4, lambdaEvery: 1 });
    assert.equal(climb.kernelVanishedAt, 1);
    assert.equal(climb.trace.divergedAt, null);
    assert.equal(climb.trace.stepsTaken, 1);
    assert.deepEqual(climb.lambdaStep, [0, 1]);
    assert.ok(climb.lambdaMax[0] > 0);
    assert.equal(climb.lambdaMax[1], 0);
    assert.equal(lambdaMax(net, Xt), 0);
    // a dead net outputs 0, so the loss left is ½Σy²
    assert.ok(rel(climb.finalTrainLoss, 900) < 1e-6, `final loss ${climb.finalTrainLoss}`);
  } finally {
    Xt.dispose();
    net.dispose();
  }
});
