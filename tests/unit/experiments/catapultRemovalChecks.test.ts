/** The semantic checks of catapult-removal traces on constructed runs: the cap, lengths, counts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { semanticIssues } from '../../../src/experiments/checks';

/** A capped arm of four steps (two capped at 0.9 of their batch's rate), no rate-matched arm. */
function trace(edit: (t: { summary: Record<string, unknown>; series: Record<string, number[]> }) => void = () => {}) {
  const t = {
    experiment: 'catapult-removal',
    runKey: 'rank2-b5-s0',
    config: { n: 8 },
    summary: {
      cappedStop: 'converged',
      cappedSteps: 4,
      cappedStepsShrunk: 2,
      cappedStepsInRegime: 2,
      cappedStepsAboveCrit: 0,
      cappedSpikes: 1,
      cappedCatapults: 0,
      cappedSpikesSampled: 1,
      matchedStop: null,
    } as Record<string, unknown>,
    series: {
      cappedRatio: [0.5, 1.5, 2, 0.9],
      cappedFactor: [1, 0.6, 0.45, 1],
      cappedLossStep: [0, 1, 2, 3],
      cappedLoss: [4, 3, 2, 1],
      cappedAlignStep: [0, 4],
      cappedAlign: [0.1, 0.5],
    } as Record<string, number[]>,
  };
  edit(t);
  return t as never;
}

test('a capped run that kept to its cap passes', () => {
  assert.deepEqual(semanticIssues(trace()), []);
});

test('a step taken at or above its batch rate in the capped arm is named', () => {
  const issues = semanticIssues(trace((t) => (t.series.cappedFactor[2] = 0.6)));
  assert.ok(
    issues.some((i) => i.field === 'series.cappedFactor[2]' && /at or above its batch's critical rate/.test(i.message)),
  );
});

test('lengths, counts and factor ranges are checked', () => {
  const fields = (edit: Parameters<typeof trace>[0]) => semanticIssues(trace(edit)).map((i) => i.field);
  assert.ok(fields((t) => t.series.cappedRatio.pop()).includes('series.cappedRatio'));
  assert.ok(fields((t) => (t.summary.cappedSpikes = -1)).includes('summary.cappedSpikes'));
  assert.ok(fields((t) => (t.summary.cappedCatapults = 2)).includes('summary.cappedCatapults'));
  assert.ok(fields((t) => (t.series.cappedFactor[0] = 1.2)).includes('series.cappedFactor[0]'));
  assert.ok(fields((t) => (t.series.cappedLossStep = [0, 2, 1, 3])).includes('series.cappedLossStep[2]'));
});

test('the final alignment may repeat the last sample at the stop step, with the same value only', () => {
  const at4 = (align: number[]) =>
    semanticIssues(
      trace((t) => {
        t.series.cappedAlignStep = [0, 4, 4];
        t.series.cappedAlign = align;
      }),
    ).map((i) => i.field);
  assert.deepEqual(at4([0.1, 0.5, 0.5]), []);
  assert.ok(at4([0.1, 0.5, 0.6]).includes('series.cappedAlign[2]'));
  assert.ok(
    semanticIssues(trace((t) => ((t.series.cappedAlignStep = [0, 0, 4]), (t.series.cappedAlign = [0.1, 0.1, 0.5]))))
      .map((i) => i.field)
      .includes('series.cappedAlignStep[1]'),
  );
});
