/** src/site/chapters/agop/claims.ts: chapter 3's report rows, each with our number and readable text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claims } from '../../../../../src/site/chapters/agop/claims';
import { assertClaimsReadable } from '../readable';

test('chapter-3 claims: ids unique, chapter 3, both tasks, the noise controls, the optimizer rows and the GD rows present, readable', () => {
  const cs = claims();
  assert.equal(new Set(cs.map((c) => c.id)).size, cs.length);
  for (const c of cs) assert.ok(c.chapter === 3 && c.ours.length > 0, c.id);
  for (const id of [
    'ch3-rank2-alignment',
    'ch3-rank4-test-loss',
    'ch3-correlation',
    'ch3-rank2-noise-control',
    'ch3-rank4-noise-control',
    'ch3-optimizers-rank2',
    'ch3-optimizers-mnist01',
    'ch3-optimizers-mnist35',
    'ch3-mnist01-batch-size',
    'ch3-mnist35-batch-size',
    'ch3-gd-catapult-alignment',
    'ch3-gd-ladder-lifts',
    'ch3-catapult-removal-alignment',
    'ch3-catapult-removal-test-loss',
  ])
    assert.ok(
      cs.some((c) => c.id === id),
      id,
    );
  assertClaimsReadable(cs);
  // the batch-size statuses come from the ordering rule, whose verdicts the detail spells out
  for (const id of ['ch3-rank2-alignment', 'ch3-rank4-test-loss'])
    assert.match(cs.find((c) => c.id === id)?.detail ?? '', /Ordering rule per step: \d+→\d+: (ordered|tie|reversed)/);
  // the causal test states its rule and that the paper never ran it
  for (const id of ['ch3-catapult-removal-alignment', 'ch3-catapult-removal-test-loss'])
    assert.match(cs.find((c) => c.id === id)?.detail ?? '', /did not run this intervention.*at most 50 %/);
  // the sweep's counts are spikes, and the row says so
  assert.match(cs.find((c) => c.id === 'ch3-rank2-catapults')?.detail ?? '', /These are spikes, not catapults/);
});
