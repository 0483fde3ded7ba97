/** src/site/landing.ts: three steps, each sentence saying no more than the statuses of the claims it rests on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { landingStory } from '../../../src/site/landing';
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

interface Statuses {
  ch1?: ClaimStatus;
  ch2?: ClaimStatus;
  align?: ClaimStatus;
  removal?: ClaimStatus;
  noise?: ClaimStatus;
}
const claims = (s: Statuses = {}) => [
  claim('ch1-catapult-lambda', 1, s.ch1 ?? 'reproduced'),
  claim('ch2-spike-start', 2, s.ch2 ?? 'reproduced'),
  claim('ch3-rank2-alignment', 3, s.align ?? 'reproduced'),
  claim('ch3-catapult-removal-alignment', 3, s.removal ?? 'reproduced'),
  claim('ch3-rank2-noise-control', 3, s.noise ?? 'reproduced'),
];
const sentence = (s: Statuses, step: number) => landingStory(claims(s))[step].sentence;

test('three steps, one per chapter, each carrying the claims it rests on', () => {
  const story = landingStory(claims());
  assert.deepEqual(
    story.map((s) => s.chapter),
    [1, 2, 3],
  );
  assert.deepEqual(
    story[2].claims.map((c) => c.id),
    ['ch3-rank2-alignment', 'ch3-catapult-removal-alignment', 'ch3-rank2-noise-control'],
  );
  for (const s of story) {
    assert.equal(s.sentence.match(/[.!?](\s|$)/g)?.length, 1, `one sentence: ${s.sentence}`);
    assert.ok(s.sentence.split(/\s+/).length <= 40, `at most 40 words: ${s.sentence}`);
  }
});

test('chapter 1 and 2 say a fact only when reproduced, a tendency when partly, the opposite when not', () => {
  assert.match(sentence({ ch1: 'partly reproduced' }, 0), /not in every run/);
  assert.match(sentence({ ch1: 'not reproduced' }, 0), /does not settle/);
  assert.match(sentence({ ch2: 'reproduced' }, 1), /^The loss spikes of SGD start on steps/);
  assert.match(sentence({ ch2: 'partly reproduced' }, 1), /tend to start .* not every spike does/);
  assert.match(sentence({ ch2: 'not reproduced' }, 1), /do not start on steps/);
});

test('chapter 3 says what did not reproduce: capped runs keep the gain, SGD without catapults gains too', () => {
  const s = sentence({ removal: 'not reproduced', noise: 'not reproduced' }, 2);
  assert.match(s, /align the network’s AGOP/);
  assert.match(s, /but not through catapults: capping every catapult-regime step keeps most of the gain/);
  assert.match(s, /below every batch’s critical rate gains too/);
  assert.match(sentence({}, 2), /and the catapults do it.*does not raise it\.$/);
  assert.match(sentence({ removal: 'partly reproduced' }, 2), /removes part of that gain/);
  assert.doesNotMatch(sentence({ removal: 'not yet run', noise: 'not yet run' }, 2), /catapult|noise/);
  // no gain to explain: nothing said about its cause
  const none = sentence({ align: 'not reproduced', removal: 'not reproduced', noise: 'not reproduced' }, 2);
  assert.match(none, /do not align/);
  assert.doesNotMatch(none, /capped|raises it/);
});

test('a claim missing from the report, or a status with no words, is named', () => {
  assert.throws(() => landingStory(claims().slice(1)), /ch1-catapult-lambda/);
  assert.throws(
    () => sentence({ ch2: 'not yet run' }, 1),
    /no sentence for the status "not yet run" of claim "ch2-spike-start"/,
  );
  assert.throws(
    () => sentence({ noise: 'partly reproduced' }, 2),
    /"partly reproduced" of claim "ch3-rank2-noise-control"/,
  );
});
