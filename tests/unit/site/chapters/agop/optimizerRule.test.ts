/**
 * src/site/chapters/agop/optimizerRule.ts on constructed verdicts: negative at the seed level only when
 * the bootstrap interval ends below 0 and no left-out configuration turns the correlation non-negative;
 * the status from the targets' verdicts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negativeAtSeedLevel, optimizerStatus } from '../../../../../src/site/chapters/agop/optimizerRule';

test('negative at the seed level: interval below 0 and every leave-one-out correlation below 0', () => {
  assert.equal(negativeAtSeedLevel({ hi: -0.2 }, [{ r: -0.5 }, { r: -0.1 }]), true);
  assert.equal(negativeAtSeedLevel({ hi: 0.05 }, [{ r: -0.5 }]), false, 'interval reaching 0');
  assert.equal(negativeAtSeedLevel({ hi: -0.2 }, [{ r: -0.5 }, { r: 0 }]), false, 'one configuration carries it');
});

test('status: every target reproduced, some partly, none not', () => {
  assert.equal(optimizerStatus([true, true, true]), 'reproduced');
  assert.equal(optimizerStatus([true, false]), 'partly reproduced');
  assert.equal(optimizerStatus([false, false]), 'not reproduced');
  assert.equal(optimizerStatus([]), 'not reproduced');
});
