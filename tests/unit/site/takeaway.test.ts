/** src/site/takeaway.ts: statuses come from the claims given, never from the takeaway; a missing claim or chapter fails naming the fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeaway, takeawayClaimIds } from '../../../src/site/takeaway';
import type { Claim, ClaimStatus } from '../../../src/site/claims/types';

const claim = (id: string, status: ClaimStatus): Claim => ({
  id,
  chapter: 3,
  claim: 'c',
  paper: null,
  ours: 'o',
  status,
  detail: 'd',
  experiment: 'e',
});

test('every point shows the status its claims have in the report', () => {
  const ids = takeawayClaimIds().agop;
  const statuses: ClaimStatus[] = ['reproduced', 'not reproduced', 'partly reproduced', 'differs'];
  const claims = ids.map((id, i) => claim(id, statuses[i % statuses.length]));
  const lines = takeaway('agop', claims);
  const shown = lines.flatMap((l) => l.verdicts);
  assert.deepEqual(
    shown.map((v) => [v.id, v.status]),
    ids.map((id, i) => [id, statuses[i % statuses.length]]),
  );
});

test('a claim missing from the report, or a chapter without a takeaway, fails naming the file to fix', () => {
  assert.throws(
    () => takeaway('agop', []),
    /claim "ch3-[^"]+" of chapter "agop" is not in the report.*src\/site\/takeaway\.ts/,
  );
  assert.throws(
    () => takeaway('no-such-chapter', []),
    /no takeaway for chapter "no-such-chapter".*src\/site\/takeaway\.ts/,
  );
});

test('every chapter has a takeaway', () => {
  assert.deepEqual(Object.keys(takeawayClaimIds()).sort(), ['agop', 'catapults-in-gd', 'sgd-spikes']);
});
