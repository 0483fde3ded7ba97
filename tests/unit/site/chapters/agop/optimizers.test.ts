/**
 * src/site/chapters/agop/optimizers.ts: runs that share a seed are not independent, so each task's
 * status rests on the seed-level interval and on leaving each configuration out, recomputed here
 * from the traces with the library's cluster statistics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OPT_EXP,
  OPT_SWEEP_EXP,
  optimizerClaims,
  optimizerRuns,
  optimizerSeedStats,
  optimizerTasks,
} from '../../../../../src/site/chapters/agop/optimizers';
import { leaveOneGroupOut, withinClusterCorrelations } from '../../../../../src/lib/clusterBootstrap';

test('each task’s status: every target negative at the seed level and without any one configuration', () => {
  for (const claim of optimizerClaims()) {
    // the same rule for the batch sweep's setting (optimizer-alignment-sweep, rank-2)
    const sweep = claim.id === 'ch3-optimizers-sweep-rank2';
    const task = sweep ? 'rank2' : optimizerTasks().find((t) => claim.id === `ch3-optimizers-${t}`)!;
    const exp = sweep ? OPT_SWEEP_EXP : OPT_EXP;
    assert.equal(claim.experiment, exp, claim.id);
    const targets = task === 'rank2' ? (['true', 'rfm', 'net'] as const) : (['rfm', 'net'] as const);
    const holds = targets.map((g) => optimizerSeedStats(task, g, exp).holds);
    const expected = holds.every(Boolean) ? 'reproduced' : holds.some(Boolean) ? 'partly reproduced' : 'not reproduced';
    assert.equal(claim.status, expected, claim.id);
  }
});

test('the seed-level statistics are those of the runs: one cluster per seed, one group per configuration', () => {
  const task = optimizerTasks()[0];
  const st = optimizerSeedStats(task, 'rfm');
  const runs = optimizerRuns(task).finished;
  assert.equal(st.boot.clusters, new Set(runs.map((t) => t.seed)).size);
  const pts = runs.map((t) => ({
    cluster: t.seed,
    group: `${t.summary.optimizer}/${t.summary.rate}`,
    x: t.summary.alignRfm!,
    y: t.summary.testLossOverVar!,
  }));
  assert.deepEqual(
    st.within.map((w) => w.r),
    withinClusterCorrelations(pts).map((w) => w.r),
  );
  assert.equal(st.looMax.r, Math.max(...leaveOneGroupOut(pts).map((l) => l.r)));
  assert.ok(st.boot.lo <= st.boot.hi);
});
