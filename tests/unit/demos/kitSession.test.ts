/**
 * src/demos/kit/session.ts helpers: a step's batch size equals the Trainer's own batching (compared
 * step by step with what the Trainer reports), and the η control refuses a ratio that is not positive.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { batchSizeAtStep, rateFromRatio } from '../../../src/demos/kit/session';
import { regressionSetup } from '../../../src/experiments/shallowSetup';
import { taskById } from '../../../src/lib/tasks';
import { Prng } from '../../../src/lib/prng';
import { Trainer } from '../../../src/lib/train';

before(async () => {
  await initBackend();
});

test('batchSizeAtStep follows the Trainer: n = 10, b = 4 gives 4, 4, 2 per epoch', () => {
  const s = regressionSetup(new Prng(1), taskById('rank2', 3), 10, 4, 8);
  const tr = new Trainer(s.net, s.data, {
    batchSize: 4,
    seed: 1,
    schedule: { kind: 'constant', eta: 1e-3 },
    maxSteps: 9,
  });
  for (let t = 0; t < 9; t++) assert.equal(tr.step().batchSize, batchSizeAtStep(t, 10, 4), `step ${t}`);
  tr.dispose();
  s.dispose();
  assert.deepEqual(
    [0, 1, 2, 3].map((t) => batchSizeAtStep(t, 10, 5)),
    [5, 5, 5, 5],
  );
});

test('rateFromRatio scales by the unit and refuses zero, negative or non-finite ratios', () => {
  assert.equal(rateFromRatio(1.5, 2), 3);
  for (const bad of [0, -1, NaN, Infinity])
    assert.throws(() => rateFromRatio(bad, 2), /etaRatio must be a positive number/);
});
