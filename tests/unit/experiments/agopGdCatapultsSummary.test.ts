/** agop-gd-catapults read-outs on synthetic traces: schedule means, per-seed orderings, ladder lifts, equal-loss points. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equalLossComparison, gdScheduleStats, ladderLifts, meanAndStd, seedsOrdered } from '../../../src/experiments/agopGdCatapultsSummary';

test('read-outs: schedule means, per-seed orderings and ladder lifts from synthetic traces', () => {
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

test('equal-loss comparison reads the catapult run where its loss first reaches the below run’s final loss', () => {
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
