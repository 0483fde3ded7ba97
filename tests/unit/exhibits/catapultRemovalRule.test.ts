/** The catapult-removal rule on constructed seeds whose kept shares and verdicts are known. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeCell, removalStatus, type SeedOutcomes } from '../../../src/exhibits/catapultRemovalRule';

const arm = (align: number, testLoss = 1 - align, converged = true) => ({ align, testLoss, converged });
/** Five seeds: GD at 0.8 + jitter, unmodified 0.1 above GD, the capped and matched arms at given shares of that gain. */
function cell(cappedShare: number, matchedShare: number, jitter = 0.002): SeedOutcomes[] {
  return [0, 1, 2, 3, 4].map((seed) => {
    const gd = 0.8 + jitter * (seed - 2);
    return {
      seed,
      gd: arm(gd),
      unmodified: arm(gd + 0.1),
      capped: arm(gd + 0.1 * cappedShare),
      matched: arm(gd + 0.1 * matchedShare),
    };
  });
}

test('kept shares are the arms’ mean paired gains over the unmodified one', () => {
  const r = judgeCell(cell(0.3, 0.9), 'align');
  assert.ok(Math.abs(r.gain - 0.1) < 1e-12);
  assert.ok(Math.abs(r.kept.capped! - 0.3) < 1e-9);
  assert.ok(Math.abs(r.kept.matched! - 0.9) < 1e-9);
  assert.deepEqual(r.seeds, [0, 1, 2, 3, 4]);
  // the test loss falls where the alignment rises here, so its gains are the same
  assert.ok(Math.abs(judgeCell(cell(0.3, 0.9), 'testLoss').kept.capped! - 0.3) < 1e-9);
});

test('verdicts at and around the thresholds', () => {
  assert.equal(judgeCell(cell(0.3, 0.9), 'align').verdict, 'catapults do the work');
  assert.equal(judgeCell(cell(0.49, 0.81), 'align').verdict, 'catapults do the work');
  assert.equal(judgeCell(cell(0.3, 0.5), 'align').verdict, 'partly');
  assert.equal(judgeCell(cell(0.6, 0.9), 'align').verdict, 'partly');
  assert.equal(judgeCell(cell(0.81, 0.9), 'align').verdict, 'catapults do not do the work');
  assert.equal(judgeCell(cell(0.94, 1), 'align').verdict, 'catapults do not do the work');
});

test('a gain within two standard errors has nothing to explain', () => {
  const noisy = cell(0.3, 0.9).map((r, i) => ({ ...r, unmodified: arm(r.gd!.align! + (i % 2 ? 0.2 : -0.15)) }));
  assert.equal(judgeCell(noisy, 'align').verdict, 'no gain to explain');
});

test('a seed where any arm did not converge is left out of every mean', () => {
  const rows = cell(0.3, 0.9);
  rows[4] = { ...rows[4], matched: { align: null, testLoss: null, converged: false } };
  const r = judgeCell(rows, 'align');
  assert.deepEqual(r.seeds, [0, 1, 2, 3]);
});

test('the report status from the cells’ verdicts', () => {
  assert.equal(removalStatus(['catapults do the work', 'no gain to explain']), 'reproduced');
  assert.equal(removalStatus(['catapults do not do the work', 'catapults do not do the work']), 'not reproduced');
  assert.equal(removalStatus(['catapults do the work', 'partly']), 'partly reproduced');
  assert.equal(removalStatus(['no gain to explain']), 'not reproduced');
});
