/** Chapter 2 read-outs: the binomial tail and the spike-start statistics of the committed sgd-spike-anatomy traces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anatomyRuns, binomialTail, spikeStartStats } from '../../../src/site/chapter2';

test('binomialTail: exact small cases and complements', () => {
  assert.ok(Math.abs(binomialTail(2, 1, 0.5) - 0.75) < 1e-12);
  assert.ok(Math.abs(binomialTail(3, 3, 0.2) - 0.008) < 1e-12);
  assert.ok(Math.abs(binomialTail(5, 0, 0.3) - 1) < 1e-12);
  assert.ok(Math.abs(binomialTail(16, 14, 0.64) - (120 * 0.64 ** 14 * 0.36 ** 2 + 16 * 0.64 ** 15 * 0.36 + 0.64 ** 16)) < 1e-12);
});

test('committed sgd-spike-anatomy traces: spike starts are recounted from the series, and land above the batch critical rate more often than steps do', () => {
  const { small, large } = anatomyRuns();
  assert.ok(large.length >= 3 && small.length === large.length);
  for (const t of [...small, ...large]) {
    const s = t.series;
    const above = s.spikeStart.filter((st) => s.etaBar[s.step.indexOf(st)] > s.batchCrit[s.step.indexOf(st)]).length;
    assert.equal(above, t.summary.spikesStartingAbove, t.runKey);
    assert.equal(s.batchCrit.filter((c, i) => s.etaBar[i] > c).length, t.summary.stepsAboveBatchCrit, t.runKey);
  }
  // the small rate: no batch above its critical rate, and no spike
  for (const t of small) assert.equal(t.summary.spikes, 0, t.runKey);
  const st = spikeStartStats(large);
  assert.ok(st.spikes >= 5, `only ${st.spikes} spikes`);
  assert.ok(st.startAbove / st.spikes > st.baseRate, `spike starts above: ${st.startAbove}/${st.spikes}, base rate ${st.baseRate}`);
});
