/**
 * agop-gd-catapults: config validation names the field, and the quick profile behaves as the
 * mechanism says (below η_crit: no catapult, kernel barely moves; above: a catapult that lowers
 * λ_max; ladder: each raise sets η = factor × 2/λ_max(K(w_t)) from a smaller λ_max).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { planExperiment } from '../../src/experiments/plan';
import { agopGdCatapults } from '../../src/experiments/agopGdCatapults';
import { getExperiment } from '../../src/experiments/registry';
import type { RunResult } from '../../src/experiments/types';

before(async () => {
  await initBackend();
});

const quick = agopGdCatapults.profiles.quick as Record<string, unknown>;
const plan = (config: unknown) => planExperiment(agopGdCatapults, 'quick', { config });

async function runQuick(): Promise<Record<string, RunResult>> {
  const out: Record<string, RunResult> = {};
  for (const r of planExperiment(agopGdCatapults, 'quick')) {
    out[r.runKey] = await agopGdCatapults.run(r.config as never, { seed: r.seed, prng: new Prng(r.seed), progress() {} });
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
  assert.ok(Math.abs(below.lambdaEnd / below.lambda0 - 1) < 0.25, `below: λ_end/λ0 = ${below.lambdaEnd / below.lambda0}`);
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

test('read-outs: schedule means, per-seed orderings and ladder lifts from synthetic traces', async () => {
  const { gdScheduleStats, seedsOrdered, ladderLifts, meanAndStd } = await import('../../src/experiments/agopGdCatapultsSummary');
  const mk = (kind: string, seed: number, alignEnd: number, extra: Record<string, unknown> = {}, series: Record<string, number[]> = {}) =>
    ({
      seed,
      runKey: `${kind}-s${seed}`,
      summary: { kind, alignEnd, etaRatio: kind === 'ladder' ? null : 0.5, ladderFactor: kind === 'ladder' ? 1.3 : null, divergedAt: null, catapults: 1, alignTestPop: alignEnd, testMse: 1 - alignEnd, testLossOverVar: 1 - alignEnd, lambdaEnd: 2, lambda0: 4, ...extra },
      series,
    }) as never;
  const traces = [
    mk('below', 0, 0.7),
    mk('above', 0, 0.9),
    mk('ladder', 0, 0.95, {}, { alignBeforeCatapult: [0.1, 0.8, 0.9], alignStageEnd: [0.8, 0.9, 0.89], raiseSteps: [0, 10, 20] }),
    mk('below', 1, 0.8),
    mk('above', 1, 0.75),
    mk('ladder', 1, NaN, { divergedAt: 12 }, { alignBeforeCatapult: [0.1], alignStageEnd: [0.5], raiseSteps: [0, 10] }),
  ];
  const s = gdScheduleStats(traces);
  const below = s.find((x) => x.kind === 'below')!;
  assert.ok(Math.abs(below.alignEnd.mean - 0.75) < 1e-12);
  assert.ok(Math.abs(below.alignEnd.std - Math.sqrt(0.005)) < 1e-12, 'sample std of 0.7, 0.8');
  assert.equal(below.lambdaEndOverStart.mean, 0.5);
  const lad = s.find((x) => x.kind === 'ladder')!;
  assert.equal(lad.diverged, 1);
  assert.equal(lad.alignEnd.n, 1);
  assert.equal(lad.etaRatio, 1.3);
  assert.deepEqual(seedsOrdered(traces, 'alignEnd', ['below', 'above'], true), { holds: 1, seeds: 2 });
  assert.deepEqual(seedsOrdered(traces, 'alignEnd', ['below', 'ladder'], true), { holds: 1, seeds: 2 }, 'the diverged seed does not hold');
  assert.deepEqual(ladderLifts(traces), { lifted: 3, catapults: 4, raises: 5 });
  assert.deepEqual(meanAndStd([]).n, 0);
});

test('equal-loss comparison reads the catapult run where its loss first reaches the below run’s final loss', async () => {
  const { equalLossComparison } = await import('../../src/experiments/agopGdCatapultsSummary');
  const below = { seed: 0, runKey: 'below-s0', summary: { kind: 'below', alignEnd: 0.6, testLossOverVar: 0.9, varTestY: 2 }, series: { step: [0, 1, 2, 3], trainLoss: [10, 8, 6, 5] } };
  const above = {
    seed: 0,
    runKey: 'above-s0',
    summary: { kind: 'above', varTestY: 2 },
    // loss 4 at step 1 is before the spike's peak (step 2) and must not count; 5 at step 4 does
    series: { step: [0, 1, 2, 3, 4, 5], trainLoss: [10, 4, 50, 9, 5, 1], catapultPeaks: [2], alignStep: [0, 2, 4], align: [0.1, 0.2, 0.8], testLoss: [2, 1.8, 1] },
  };
  const [p] = equalLossComparison([below, above] as never, 'above');
  assert.deepEqual(p, { seed: 0, step: 4, align: 0.8, alignBelow: 0.6, testLossOverVar: 0.5, testLossOverVarBelow: 0.9 });
});
