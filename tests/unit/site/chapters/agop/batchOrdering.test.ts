/**
 * src/site/chapters/agop/batchOrdering.ts on constructed seed tables whose verdicts are known by hand:
 * clear orderings, a tie the paper's gap allows, a tie it does not, a reversal, and bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BAND_LEVEL,
  oldBandFalseRate,
  orderingStatus,
  pairedBand,
} from '../../../../../src/site/chapters/agop/batchOrdering';

// Student's t with 2 degrees of freedom has closed forms: quantile (2p − 1)/√(2p(1 − p)), tail P(|T| > x) = 1 − x/√(2 + x²).
const t2Quantile = (p: number) => (2 * p - 1) / Math.sqrt(2 * p * (1 - p));

const table = (rows: Record<number, number[]>) => new Map(Object.entries(rows).map(([b, v]) => [Number(b), v]));

test('a clear increase in every seed is reproduced, a clear decrease with increasing = false too', () => {
  const up = table({ 100: [0.7, 0.72, 0.71], 10: [0.8, 0.83, 0.81], 5: [0.9, 0.92, 0.93] });
  const r = orderingStatus(up, true);
  assert.equal(r.status, 'reproduced');
  assert.deepEqual(
    r.pairs.map((p) => p.verdict),
    ['ordered', 'ordered'],
  );
  // paired differences 0.1, 0.11, 0.10: mean 0.10333…, sample std 0.005774, band t(0.975; 2)·std/√3
  assert.ok(Math.abs(r.pairs[0].meanGain - 0.31 / 3) < 1e-12);
  const band = (t2Quantile(0.975) * Math.sqrt(1 / 3) * 0.01) / Math.sqrt(3);
  assert.ok(Math.abs(r.pairs[0].band - band) < 1e-9, `band ${r.pairs[0].band} vs ${band}`);
  const down = table({ 100: [0.7, 0.72, 0.71], 5: [0.5, 0.55, 0.52] });
  assert.equal(orderingStatus(down, false).status, 'reproduced');
  assert.equal(orderingStatus(down, true).status, 'not reproduced');
});

test('a tie is accepted only where the paper’s own gap is within the band', () => {
  // GD vs 50: differences +0.03, −0.02, +0.01 → mean 0.00667, band ≈ 0.0289: a tie
  const t = table({ 2000: [0.8, 0.82, 0.81], 50: [0.83, 0.8, 0.82], 5: [0.95, 0.96, 0.94] });
  const paperSmallGap = new Map([
    [2000, 0.81],
    [50, 0.82],
    [5, 0.95],
  ]);
  const ok = orderingStatus(t, true, paperSmallGap);
  assert.equal(ok.pairs[0].verdict, 'tie');
  assert.equal(ok.pairs[0].tieAllowed, true);
  assert.equal(ok.status, 'reproduced');
  const paperBigGap = new Map([
    [2000, 0.7],
    [50, 0.84],
    [5, 0.95],
  ]);
  const partly = orderingStatus(t, true, paperBigGap);
  assert.equal(partly.pairs[0].tieAllowed, false);
  assert.equal(partly.status, 'partly reproduced');
  // without paper numbers (rank-4) a tie is not accepted
  assert.equal(orderingStatus(t, true).status, 'partly reproduced');
});

test('a reversal in the middle is partly reproduced; ends that do not order are not reproduced', () => {
  const mid = table({ 2000: [0.7, 0.71, 0.72], 50: [0.9, 0.91, 0.9], 5: [0.8, 0.81, 0.8] });
  const r = orderingStatus(mid, true);
  assert.equal(r.pairs[1].verdict, 'reversed');
  assert.equal(r.status, 'partly reproduced');
  const flat = table({ 2000: [0.8, 0.82, 0.81], 5: [0.81, 0.81, 0.82] });
  assert.equal(orderingStatus(flat, true).ends.verdict, 'tie');
  assert.equal(orderingStatus(flat, true).status, 'not reproduced');
});

test('unpaired or non-finite input is refused with the batch size named', () => {
  assert.throws(() => orderingStatus(table({ 10: [1, 2], 5: [1] }), true), /batch size 5 has 1 seeds/);
  assert.throws(() => orderingStatus(table({ 10: [1, 2], 5: [1, NaN] }), true), /batch size 5 has a non-finite/);
  assert.throws(() => orderingStatus(table({ 10: [1, 2] }), true), /at least two batch sizes/);
});

test('a "no fewer" claim accepts every tie: no catapults at GD and batch 50, many at batch 5', () => {
  const counts = table({ 2000: [0, 0, 0], 50: [0, 0, 0], 5: [20, 25, 18] });
  assert.equal(orderingStatus(counts, true).status, 'partly reproduced', 'without acceptTies the 0 = 0 step is a tie');
  const r = orderingStatus(counts, true, new Map(), true);
  assert.equal(r.pairs[0].verdict, 'tie');
  assert.equal(r.pairs[0].tieAllowed, true);
  assert.equal(r.status, 'reproduced');
  // ties are accepted, reversals and unordered ends are not
  assert.equal(
    orderingStatus(table({ 2000: [3, 4, 3], 5: [0, 0, 1] }), true, new Map(), true).status,
    'not reproduced',
  );
});

test('the band is the 95 % Student-t half-width: t(0.975; n − 1)·std/√n, against closed forms and the normal limit', () => {
  assert.equal(BAND_LEVEL, 0.95);
  assert.ok(Math.abs(pairedBand(1, 3) - t2Quantile(0.975) / Math.sqrt(3)) < 1e-9);
  // with many seeds the t quantile tends to the normal one, 1.959964
  assert.ok(Math.abs(pairedBand(1, 1e6) * Math.sqrt(1e6) - 1.959964) < 1e-4);
  assert.equal(pairedBand(1, 1), 0);
  // the old two-standard-error band at 3 seeds: P(|T_2| > 2) = 1 − 2/√6 ≈ 18 %
  assert.ok(Math.abs(oldBandFalseRate(3) - (1 - 2 / Math.sqrt(6))) < 1e-9);
});

test('three seeds with a modest, noisy gain: ordered under two standard errors, a tie under the t band', () => {
  // differences 0.02, 0.05, 0.08: mean 0.05, std 0.03, two standard errors 0.0346, t band 0.0745
  const r = orderingStatus(table({ 100: [0.7, 0.7, 0.7], 5: [0.72, 0.75, 0.78] }), true);
  assert.equal(r.ends.verdict, 'tie');
  assert.equal(r.status, 'not reproduced');
});
