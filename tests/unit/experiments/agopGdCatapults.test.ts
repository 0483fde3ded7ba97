/**
 * agop-gd-catapults: config validation names the field, and the quick profile behaves as the
 * mechanism says (below η_crit: no catapult, kernel barely moves; above: a catapult that lowers
 * λ_max; ladder: each raise sets η = factor × 2/λ_max(K(w_t)) from a smaller λ_max).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { agopGdCatapults } from '../../../src/experiments/agopGdCatapults';
import { getExperiment } from '../../../src/experiments/registry';
import type { RunResult } from '../../../src/experiments/types';
import { checkOutputs, formatOutputIssues } from '../../../src/experiments/outputs';

before(async () => {
  await initBackend();
});

const quick = agopGdCatapults.profiles.quick as Record<string, unknown>;

const plan = (config: unknown) => planExperiment(agopGdCatapults, 'quick', { config });

async function runQuick(): Promise<Record<string, RunResult>> {
  const out: Record<string, RunResult> = {};
  for (const r of planExperiment(agopGdCatapults, 'quick')) {
    out[r.runKey] = await agopGdCatapults.run(r.config as never, {
      seed: r.seed,
      prng: new Prng(r.seed),
      progress() {},
    });
    // What the run returns must be what the experiment declares (the site checks every trace against it).
    const bad = checkOutputs(agopGdCatapults.outputs, out[r.runKey]);
    assert.equal(bad, null, `${r.runKey}: ${bad ? formatOutputIssues(bad.issues) : ''}`);
  }
  return out;
}

test('registered, with three schedules per seed', () => {
  assert.equal(getExperiment('agop-gd-catapults'), agopGdCatapults);
  const runs = planExperiment(agopGdCatapults, 'paper');
  assert.deepEqual(
    runs.map((r) => r.runKey).sort(),
    ['above', 'below', 'ladder'].flatMap((k) => [0, 1, 2].map((s) => `${k}-s${s}`)).sort(),
  );
});

test('bad configs are rejected with the field named', () => {
  assert.throws(() => plan({ ...quick, belowRatio: 1.2 }), /belowRatio.*< 1/);
  assert.throws(() => plan({ ...quick, aboveRatio: 0.9 }), /aboveRatio.*> 1/);
  assert.throws(() => plan({ ...quick, ladder: { factor: 1.3, atSteps: [5, 10] } }), /ladder\.atSteps.*start at 0/);
  assert.throws(() => plan({ ...quick, ladder: { factor: 1.3, atSteps: [0, 60] } }), /last raise \(60\).*steps = 60/);
  assert.throws(() => plan({ ...quick, ladder: { factor: 0.9, atSteps: [0] } }), /ladder\.factor/);
  assert.throws(() => plan({ ...quick, task: 'rank3' }), /task must be 'rank2' or 'rank4'/);
});

test('quick profile: linear below η_crit, catapults above it and on the ladder', async () => {
  const r = await runQuick();
  const below = r['below-s0'].summary as Record<string, number>;
  const above = r['above-s0'].summary as Record<string, number>;
  const ladder = r['ladder-s0'].summary as Record<string, number>;
  // paired: same data and initial weights for the three schedules
  assert.equal(above.lambda0, below.lambda0);
  assert.equal(ladder.alignStart, below.alignStart);
  // below η_crit: monotone loss, kernel within 25 % of its start
  assert.equal(below.catapults, 0);
  const loss = r['below-s0'].series.trainLoss as number[];
  for (let i = 1; i < loss.length; i++) assert.ok(loss[i] <= loss[i - 1] * (1 + 1e-6), `below: loss rose at step ${i}`);
  assert.ok(
    Math.abs(below.lambdaEnd / below.lambda0 - 1) < 0.25,
    `below: λ_end/λ0 = ${below.lambdaEnd / below.lambda0}`,
  );
  // above: the catapult leaves λ_max below 2/η, i.e. η·λ_end < 2
  assert.ok(above.catapults >= 1);
  assert.ok(above.etaRatio * above.etaCrit * above.lambdaEnd < 2, 'above: η·λ_end should be < 2 after the catapult');
  assert.ok(above.lambdaEnd < above.lambda0);
  // ladder: η at step 0 is factor × η_crit(w0); later raises use the smaller λ_max left by the catapults
  const s = r['ladder-s0'].series;
  const eta = s.etaOverCrit0 as number[];
  assert.ok(Math.abs(eta[0] - ladder.ladderFactor) < 1e-6, `ladder: η/η_crit(w0) at step 0 = ${eta[0]}`);
  const lam = s.lambdaAtRaise as number[];
  assert.ok(Math.abs(lam[0] / ladder.lambda0 - 1) < 1e-6);
  for (let i = 1; i < lam.length; i++) assert.ok(lam[i] < lam[i - 1], `ladder: λ_max at raise ${i} did not drop`);
  // the alignment series is the cosine with G*: within [−1, 1], and its last value is the summary's
  const align = s.align as number[];
  assert.ok(align.every((a) => a >= -1 && a <= 1));
  assert.equal(align[align.length - 1], ladder.alignEnd);
  assert.equal((s.alignStep as number[]).length, align.length);
  // catapult bookkeeping: one before/after/stage-end triple per detected catapult
  assert.equal((s.catapultPeaks as number[]).length, ladder.catapults);
  assert.equal((s.alignStageEnd as number[]).length, ladder.catapults);
});
