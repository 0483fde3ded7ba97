/** The readability check the chapter tests share must fail on the values a missing run or key produces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertReadable } from './readable';

test('assertReadable rejects NaN, undefined, null and Infinity, and accepts numbers and words', () => {
  assertReadable('λ_max falls to 0.43 of its start (η·λ0 = 3)', 'ok');
  for (const v of [NaN, undefined, null, Infinity, {}])
    assert.throws(() => assertReadable(`alignment ${v} ± 0`, 'x'), /x: /);
});
