/**
 * The lines under the demos' plots (catapults-in-gd/catapultSummary.ts, sgd-spikes/sgdSpikeSummary.ts,
 * agop/agopSummary.ts) on hand-made series: a spike and a catapult are worded apart, by the rule of
 * src/lib/catapultRegime.ts (η at or above the critical rate of the step that began the rise).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSpikesAndCatapults } from '../../../src/demos/kit/demoDetector';
import { catapultSummary } from '../../../src/demos/catapults-in-gd/catapultSummary';
import { sgdSpikeSummary } from '../../../src/demos/sgd-spikes/sgdSpikeSummary';
import { agopSummary } from '../../../src/demos/agop/agopSummary';

/** A loss that falls, spikes 40× at step 10 (start index 9) and falls back by step 14. */
const LOSS = [10, 8, 6, 5, 4, 3.5, 3, 2.5, 2, 1.5, 60, 20, 5, 1.2, 1.0, 0.9];
const steps = LOSS.map((_, i) => i);

test('demoSpikesAndCatapults marks a spike a catapult only when its start step had η / η_crit ≥ 1', () => {
  assert.equal(demoSpikesAndCatapults(LOSS, () => 1.2)[0].catapult, true);
  assert.equal(demoSpikesAndCatapults(LOSS, () => 1)[0].catapult, true);
  assert.equal(demoSpikesAndCatapults(LOSS, () => 0.9)[0].catapult, false);
  assert.equal(demoSpikesAndCatapults(LOSS, () => null)[0].catapult, null);
});

test('catapult demo: a catapult, a spike that is not one, no spike yet, diverged', () => {
  const run = (lam: number, eta = 1) => ({
    diverged: null,
    series: { steps, loss: LOSS, lambdaMax: LOSS.map((_, i) => (i < 12 ? lam : 1.5)), eta: LOSS.map(() => eta) },
  });
  const cat = catapultSummary(run(3));
  assert.match(cat, /At step 9 the loss rose 40× and was back down by step 13; λ_max went from 3 to 1\.5, below 2\/η/);
  assert.match(cat, /η at 1\.5× its critical rate 2\/λ_max: a catapult\.$/);
  const spike = catapultSummary(run(1.8));
  assert.match(spike, /η at 0\.9× its critical rate 2\/λ_max, below it: a spike, not a catapult\.$/);
  assert.doesNotMatch(spike, /: a catapult/);
  const r1 = run(1).series;
  const early = {
    diverged: null,
    series: {
      steps: steps.slice(0, 9),
      loss: LOSS.slice(0, 9),
      lambdaMax: r1.lambdaMax.slice(0, 9),
      eta: r1.eta.slice(0, 9),
    },
  };
  assert.match(
    catapultSummary(early),
    /^No spike yet: the loss went from 10 to 2 in 9 steps; η is 0\.5× its critical rate/,
  );
  assert.match(
    catapultSummary({ ...run(3), diverged: { step: 7, loss: 1e9, reason: 'the loss became NaN or infinite' } }),
    /^Diverged at step 7/,
  );
});

test('SGD demo: catapults counted apart from spikes, and steps above their batch rate without a spike explained', () => {
  const n = LOSS.length;
  const crit = LOSS.map((_, i) => (i === 9 ? 0.5 : 2));
  const run = { diverged: null, series: { steps, trainLoss: LOSS, batchEtaCrit: crit, eta: LOSS.map(() => 1) } };
  assert.match(sgdSpikeSummary(run), /^1 spike so far, 1 of them a catapult; the last, at step 9, rose 40×/);
  const notCat = { ...run, series: { ...run.series, batchEtaCrit: LOSS.map(() => 2) } };
  assert.match(sgdSpikeSummary(notCat), /1 spike so far, 0 of them catapults.*a spike, not a catapult/);
  // 150 more quiet steps, every one above its batch's rate, the loss far under the floor.
  const quiet = {
    diverged: null,
    series: {
      steps: [...steps, ...Array.from({ length: 150 }, (_, i) => n + i)],
      trainLoss: [...LOSS, ...Array.from({ length: 150 }, () => 1e-5)],
      batchEtaCrit: [...crit, ...Array.from({ length: 150 }, () => 0.5)],
      eta: Array.from({ length: n + 150 }, () => 1),
    },
  };
  assert.match(
    sgdSpikeSummary(quiet),
    /100 of the last 100 steps were above their batch's critical rate, yet no spike: the full-train loss is below 0\.1 % of its start/,
  );
});

test('AGOP demo: spikes (never called catapults) and the alignment against the earlier run at the same step', () => {
  const mk = (b: number, align: number[]) => ({
    diverged: null,
    state: { n: 512 },
    series: { steps, trainLoss: LOSS, batchSize: LOSS.map(() => b), agopStep: [0, 5, 10, 15], align },
  });
  const text = agopSummary(mk(512, [0.1, 0.3, 0.5, 0.6]), mk(8, [0.1, 0.4, 0.7, 0.9]));
  assert.equal(
    text,
    'GD: 1 spike of the full-train loss; alignment 0.6 at step 15. The earlier run (batch 8) had 0.9 at the same step: GD is behind by 0.3.',
  );
  assert.doesNotMatch(text, /catapult/);
});
