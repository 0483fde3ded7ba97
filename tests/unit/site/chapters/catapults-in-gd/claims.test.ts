/** src/site/chapters/catapults-in-gd/claims.ts: chapter 1's report rows, each with our number and readable text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claims } from '../../../../../src/site/chapters/catapults-in-gd/claims';
import { assertClaimsReadable } from '../readable';

test('chapter-1 claims: ids unique, chapter 1, our numbers present and readable', () => {
  const cs = claims();
  assert.ok(cs.length >= 5);
  assert.equal(new Set(cs.map((c) => c.id)).size, cs.length);
  for (const c of cs) assert.ok(c.chapter === 1 && c.ours.length > 0 && c.experiment, c.id);
  assertClaimsReadable(cs);
});
