/**
 * src/site/chapters/sgd-spikes/spikeKernel.ts against the committed sgd-spike-kernel traces: the
 * counts equal a plain recount of each spike's λ_max and median batch rate before and after it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import {
  spikeKernelBaseRate,
  spikeKernelClaim,
  spikeKernelCounts,
} from '../../../../../src/site/chapters/sgd-spikes/spikeKernel';
import { kernelDropStatus } from '../../../../../src/site/chapters/sgd-spikes/readouts';

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

test('the kernel-drop rule: few spikes or drops no rarer than chance never make a claim reproduced', () => {
  assert.equal(kernelDropStatus(1, 20, 0.001), 'reproduced');
  assert.equal(kernelDropStatus(1, 6, 0.001), 'partly reproduced'); // all of too few spikes
  assert.equal(kernelDropStatus(1, 20, 0.2), 'not reproduced'); // λ_max falls as often anywhere
  assert.equal(kernelDropStatus(0.6, 20, 0.02), 'partly reproduced');
  assert.equal(kernelDropStatus(0, 0, 1), 'not reproduced');
});

test('the flatter-kernel row is judged against windows placed anywhere in the same runs, by the kernel-drop rule', () => {
  const c = spikeKernelCounts();
  const b = spikeKernelBaseRate();
  assert.ok(b.baseRate !== null && b.baseRate > 0 && b.baseRate < 1);
  assert.ok(b.p > 0 && b.p <= 1);
  const k = Math.min(c.lambdaLower, c.batchCritHigher);
  assert.equal(spikeKernelClaim().status, kernelDropStatus(k / c.spikes, c.spikes, b.p));
  assert.match(spikeKernelClaim().ours, /windows of the same lengths anywhere in these runs: \d+\s%\s\(permutation p/);
});
