/**
 * src/site/chapters/sgd-spikes/spikeKernel.ts against the committed sgd-spike-kernel traces: the
 * counts equal a plain recount of each spike's λ_max and median batch rate before and after it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import { spikeKernelClaim, spikeKernelCounts } from '../../../../../src/site/chapters/sgd-spikes/spikeKernel';

test('spike counts and the flatter-kernel counts are those of the raw series', () => {
  const runs = getTraces('sgd-spike-kernel');
  let spikes = 0;
  let lower = 0;
  let higher = 0;
  for (const t of runs) {
    const s = t.series;
    assert.ok(
      s.spikeRatio.every((r) => r >= t.config.minSpikeRatio),
      `${t.runKey}: every tabulated spike is large`,
    );
    spikes += s.spikeStart.length;
    lower += s.lambdaAfterEnd.filter((a, i) => a < s.lambdaAtStart[i]).length;
    higher += s.batchCritAfterEnd.filter((a, i) => a > s.batchCritAtStart[i]).length;
    // the start values are the series' own values at those steps
    s.spikeStart.forEach((st, i) => assert.equal(s.lambdaAtStart[i], s.lambdaMax[s.step.indexOf(st)]));
  }
  const c = spikeKernelCounts();
  assert.deepEqual([c.spikes, c.lambdaLower, c.batchCritHigher], [spikes, lower, higher]);
  assert.ok(spikeKernelClaim().ours.startsWith(`${lower}/${spikes} spikes`));
});
