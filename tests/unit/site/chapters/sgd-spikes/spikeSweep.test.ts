import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import { spikeSweepVerdict, sweepBatchSizes, sweepRows } from '../../../../../src/site/chapters/sgd-spikes/spikeSweep';

test('committed sgd-spike-sweep traces: rows recount divergences and spikes; the verdict is the largest spike of a run that did not diverge', () => {
  const all = getTraces('sgd-spike-sweep');
  let largest = 0;
  for (const b of sweepBatchSizes()) {
    for (const r of sweepRows(b)) {
      const at = all.filter((t) => t.summary.b === b && t.summary.ratio === r.ratio);
      assert.equal(r.seeds, at.length);
      assert.equal(r.diverged, at.filter((t) => t.summary.divergedAt !== null).length);
      for (const t of at)
        if (t.summary.divergedAt === null && t.summary.largestSpikeRatio !== null)
          largest = Math.max(largest, t.summary.largestSpikeRatio);
    }
  }
  const v = spikeSweepVerdict();
  assert.equal(v.largest?.largestSpike ?? 0, largest);
  // Divergence, once it starts for a batch size, is reported at the first rate with a diverged seed.
  for (const d of v.firstDivergence) {
    const rows = sweepRows(d.b);
    const first = rows.find((r) => r.diverged > 0);
    assert.equal(d.ratio, first?.ratio ?? null);
  }
});
