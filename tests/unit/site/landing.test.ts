/** src/site/landing.ts: one finding per chapter, and a lead that says no more than its claim's status. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { landingFindings } from '../../../src/site/landing';
import type { Claim, ClaimStatus } from '../../../src/site/claims/types';

const claim = (id: string, chapter: 1 | 2 | 3, status: ClaimStatus): Claim => ({
  id,
  chapter,
  claim: 'c',
  paper: null,
  ours: '1/2',
  status,
  detail: '',
  experiment: 'x',
  href: '#',
});

const claims = (ch2: ClaimStatus, ch3: ClaimStatus = 'reproduced') => [
  claim('ch1-catapult-lambda', 1, 'reproduced'),
  claim('ch2-spike-start', 2, ch2),
  claim('ch3-catapult-removal-alignment', 3, ch3),
];

test('chapter 2’s lead follows the status of its claim: a fact only when reproduced, a tendency when partly', () => {
  const lead = (s: ClaimStatus) => landingFindings(claims(s))[1].lead;
  assert.match(lead('reproduced'), /^The loss spikes of SGD start on steps/);
  assert.match(lead('partly reproduced'), /tend to start .* not every spike does/);
  assert.match(lead('not reproduced'), /do not start on steps/);
  assert.throws(() => lead('not yet run'), /no sentence for the status "not yet run"/);
});

test('a headline claim missing from the report is named', () => {
  assert.throws(() => landingFindings(claims('reproduced').slice(1)), /ch1-catapult-lambda/);
});

test('chapter 3 leads with what removing the catapults did', () => {
  const lead = (s: ClaimStatus) => landingFindings(claims('reproduced', s))[2].lead;
  assert.match(lead('reproduced'), /the catapults do it/);
  assert.match(lead('not reproduced'), /but not through catapults/);
  assert.match(lead('partly reproduced'), /removes part of that gain/);
});
