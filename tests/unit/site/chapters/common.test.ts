/** src/site/chapters/common.ts: the median of an even count, counts in words, lists in prose, the settings traces record. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countWord, listWords, midMedian, recordedSettings } from '../../../../src/site/chapters/common';
import { getTraces } from '../../../../src/site/traces';

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

test('recordedSettings: what the traces record, every config field once, the varying ones by value', () => {
  const traces = getTraces('shallow-eta-max');
  const s = recordedSettings('shallow-eta-max');
  assert.equal(s.profile, 'paper');
  assert.equal(s.runs, traces.length);
  assert.deepEqual(
    s.seeds,
    [...new Set(traces.map((t) => t.seed))].sort((a, b) => a - b),
  );
  const varies = (s['varies by run'] ?? {}) as Record<string, unknown[]>;
  for (const [k, v] of Object.entries(traces[0].config)) {
    const values = new Set(traces.map((t) => JSON.stringify((t.config as Record<string, unknown>)[k])));
    if (values.size === 1) assert.deepEqual(s[k], v, `${k} is shared`);
    else assert.deepEqual(new Set(varies[k].map((x) => JSON.stringify(x))), values, `${k} varies`);
  }
  // shallow-eta-max runs one width per grid point: the width varies by run
  assert.ok('m' in varies);
  assert.throws(() => recordedSettings('no-such-experiment'), /no-such-experiment/);
});
