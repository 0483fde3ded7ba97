/**
 * src/site/chapters/agop/readouts.ts: the sweep's table and orderings against the committed traces;
 * the noise control against GD, paired by seed; the GD-with-catapults read-outs on synthetic traces with known answers; a
 * missing run fails naming the seed and schedule or batch size.
 */
import { test } from 'node:test';
import { getTraces } from '../../../../../src/site/traces';
import assert from 'node:assert/strict';
import {
  batchOrdering,
  batchTable,
  controlRow,
  equalLossComparison,
  endTrainMseText,
  gdScheduleStats,
  ladderLifts,
  notDiverged,
  rowOf,
  seedsOrdered,
  sweepRuns,
  type SweepRecord,
} from '../../../../../src/site/chapters/agop/readouts';

test('batch table and orderings agree with the raw traces', () => {
  const runs = sweepRuns('rank2');
  const rows = batchTable('rank2');
  for (const r of rows) {
    const xs = runs.filter((t) => t.summary.batchSize === r.b).map((t) => t.summary.alignTrain);
    assert.equal(xs.length, r.seeds);
    assert.ok(Math.abs(r.align.mean - xs.reduce((a, b) => a + b, 0) / xs.length) < 1e-12);
  }
  // every committed run met the stop rule (the caps did not bind), so no seed is left out
  assert.deepEqual(
    rows.map((r) => r.capped),
    rows.map(() => 0),
  );
  const o = batchOrdering('rank2', 'alignTrain', true);
  assert.equal(o.seeds.length, rows[0].seeds);
  assert.equal(o.pairs.length, rows.length - 1);
  // the control's paired difference recomputed from the raw traces
  const k = controlRow('rank2');
  const gd = runs.filter((t) => t.summary.batchSize === rows[0].b);
  const ctrl = getTraces('agop-noise-control')
    .filter(notDiverged)
    .filter((t) => t.summary.task === 'rank2' && t.summary.control);
  const d = ctrl.map((c) => {
    const g = gd.find((x) => x.seed === c.seed);
    assert.ok(g, `GD run of seed ${c.seed}`);
    return c.summary.alignTrain - g.summary.alignTrain;
  });
  assert.ok(Math.abs(k.vsGd.align.mean - d.reduce((a, b) => a + b, 0) / d.length) < 1e-12);
  assert.equal(k.stepsAboveBatchCrit, 0, 'the control stays below every drawn batch’s critical rate');
});

test('a diverged sweep run is counted as diverged, not averaged and not called capped', () => {
  const base = sweepRuns('rank2')[0];
  const run = (seed: number, summary: Partial<SweepRecord['summary']>): SweepRecord =>
    ({ ...base, seed, summary: { ...base.summary, ...summary } }) as SweepRecord;
  const diverged = run(2, {
    stopReason: 'diverged',
    divergedAt: 17,
    steps: 17,
    alignTrain: null,
    alignTestPop: null,
    testMse: null,
    testLossOverVar: null,
    trainMse: null,
    lambdaEnd: null,
  });
  const rows = [
    run(0, { stopReason: 'converged', alignTrain: 0.8 }),
    run(1, { stopReason: 'maxSteps', alignTrain: 0.1 }),
    diverged,
  ];
  const r = rowOf(base.summary.batchSize, rows);
  assert.equal(r.seeds, 1);
  assert.equal(r.capped, 1);
  assert.equal(r.diverged, 1);
  assert.equal(r.align.mean, 0.8, 'only the run that met the stop rule is averaged');
  assert.equal(notDiverged(diverged), false);
  assert.equal(notDiverged(rows[1]), true);
});

const gd = (
  kind: string,
  seed: number,
  alignEnd: number,
  extra: Record<string, unknown> = {},
  series: Record<string, number[]> = {},
) =>
  ({
    experiment: 'agop-gd-catapults',
    seed,
    runKey: `${kind}-s${seed}`,
    config: { steps: 800 },
    summary: {
      kind,
      alignEnd,
      etaRatio: kind === 'ladder' ? null : 0.5,
      ladderFactor: kind === 'ladder' ? 1.3 : null,
      divergedAt: null,
      catapults: 1,
      alignTestPop: alignEnd,
      testMse: 1 - alignEnd,
      testLossOverVar: 1 - alignEnd,
      trainMse: (1 - alignEnd) / 10,
      lambdaEnd: 2,
      lambda0: 4,
      ...extra,
    },
    series,
  }) as never;

test('GD with catapults: schedule means, per-seed orderings and ladder lifts from synthetic traces', () => {
  const traces = [
    gd('below', 0, 0.7),
    gd('above', 0, 0.9),
    gd(
      'ladder',
      0,
      0.95,
      {},
      { alignBeforeCatapult: [0.1, 0.8, 0.9], alignStageEnd: [0.8, 0.9, 0.89], raiseSteps: [0, 10, 20] },
    ),
    gd('below', 1, 0.8),
    gd('above', 1, 0.75),
    gd(
      'ladder',
      1,
      NaN,
      { divergedAt: 12, alignEnd: null },
      { alignBeforeCatapult: [0.1], alignStageEnd: [0.5], raiseSteps: [0, 10] },
    ),
  ];
  const s = gdScheduleStats(traces);
  const below = s.find((x) => x.kind === 'below');
  assert.ok(below);
  assert.ok(Math.abs(below.alignEnd.mean - 0.75) < 1e-12);
  assert.ok(Math.abs(below.alignEnd.std - Math.sqrt(0.005)) < 1e-12, 'sample std of 0.7, 0.8');
  assert.equal(below.lambdaEndOverStart.mean, 0.5);
  // every schedule's final training MSE and its step count, so the page can say which runs are unfinished
  assert.ok(Math.abs(below.trainMse.mean - 0.025) < 1e-12);
  assert.equal(below.steps, 800);
  assert.equal(
    endTrainMseText(s),
    'after 800 steps the training MSE is 0.025 below η_crit, 0.018 with the catapult and 0.005 with the ladder',
  );
  const lad = s.find((x) => x.kind === 'ladder');
  assert.ok(lad);
  assert.equal(lad.diverged, 1);
  assert.equal(lad.alignEnd.n, 1);
  assert.equal(lad.etaRatio, 1.3);
  assert.deepEqual(seedsOrdered(traces, 'alignEnd', ['below', 'above'], true), { holds: 1, seeds: 2 });
  assert.deepEqual(
    seedsOrdered(traces, 'alignEnd', ['below', 'ladder'], true),
    { holds: 1, seeds: 2 },
    'the diverged seed does not hold',
  );
  assert.deepEqual(ladderLifts(traces), { lifted: 3, catapults: 4, raises: 5 });
  // a seed without one of the schedules is an error, not a silent "does not hold"
  assert.throws(
    () => seedsOrdered(traces.slice(0, 5), 'alignEnd', ['below', 'ladder'], true),
    /agop-gd-catapults: no run of seed 1 with the ladder schedule/,
  );
  assert.throws(
    () => gdScheduleStats(traces.filter((_, i) => i % 3 !== 2)),
    /no agop-gd-catapults runs of the ladder schedule/,
  );
});

test('equal-loss comparison reads the catapult run where its loss first reaches the below run’s final loss', () => {
  const below = {
    experiment: 'agop-gd-catapults',
    seed: 0,
    runKey: 'below-s0',
    summary: { kind: 'below', alignEnd: 0.6, testLossOverVar: 0.9, varTestY: 2 },
    series: { step: [0, 1, 2, 3], trainLoss: [10, 8, 6, 5] },
  };
  const above = {
    experiment: 'agop-gd-catapults',
    seed: 0,
    runKey: 'above-s0',
    summary: { kind: 'above', varTestY: 2 },
    // loss 4 at step 1 is before the spike's peak (step 2) and must not count; 5 at step 4 does
    series: {
      step: [0, 1, 2, 3, 4, 5],
      trainLoss: [10, 4, 50, 9, 5, 1],
      catapultPeaks: [2],
      alignStep: [0, 2, 4],
      align: [0.1, 0.2, 0.8],
      testLoss: [2, 1.8, 1],
    },
  };
  const [p] = equalLossComparison([below, above] as never, 'above');
  assert.deepEqual(p, {
    seed: 0,
    step: 4,
    align: 0.8,
    alignBelow: 0.6,
    testLossOverVar: 0.5,
    testLossOverVarBelow: 0.9,
  });
  // never reaching the loss is recorded as null, not NaN
  const slow = { ...above, series: { ...above.series, trainLoss: [10, 9, 50, 9, 8, 7] } };
  const [q] = equalLossComparison([below, slow] as never, 'above');
  assert.deepEqual([q.step, q.align, q.testLossOverVar], [null, null, null]);
});
