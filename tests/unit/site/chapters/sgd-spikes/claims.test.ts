/** src/site/chapters/sgd-spikes/claims.ts: chapter 2's report rows, each with our number and readable text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claims } from '../../../../../src/site/chapters/sgd-spikes/claims';
import { assertClaimsReadable } from '../readable';

test('chapter-2 claims: ids unique, chapter 2, one row per ladder and kernel-drop architecture, readable', () => {
  const cs = claims();
  assert.equal(new Set(cs.map((c) => c.id)).size, cs.length);
  for (const c of cs) assert.ok(c.chapter === 2 && c.ours.length > 0, c.id);
  for (const id of [
    'ch2-spike-start',
    'ch2-spike-pl5',
    'ch2-deep-fcn',
    'ch2-ladder-cnn',
    'ch2-kernel-drop-vit',
    'ch2-spike-kernel',
  ])
    assert.ok(
      cs.some((c) => c.id === id),
      id,
    );
  assertClaimsReadable(cs);
});
