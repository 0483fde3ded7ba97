/** src/site/chapters/common.ts: the median of an even count, counts in words, lists in prose. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countWord, listWords, midMedian } from '../../../../src/site/chapters/common';

test('midMedian is the middle value, or the mean of the two middle ones for an even count', () => {
  assert.equal(midMedian([3, 1, 2]), 2);
  assert.equal(midMedian([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(midMedian([])));
  const xs = [5, 1];
  midMedian(xs);
  assert.deepEqual(xs, [5, 1]);
});

test('countWord writes small counts in words and larger ones in digits; listWords joins as prose', () => {
  assert.equal(countWord(3), 'three');
  assert.equal(countWord(12), 'twelve');
  assert.equal(countWord(13), '13');
  assert.equal(countWord(2.5), '2.5');
  assert.equal(listWords([]), '');
  assert.equal(listWords(['a']), 'a');
  assert.equal(listWords(['a', 'b']), 'a and b');
  assert.equal(listWords(['60', '120', '180']), '60, 120 and 180');
});
