/** src/site/chapters/sgd-spikes/readouts.ts: chapter 2's pooled counts and tables agree with the committed traces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import {
  anatomyRuns,
  kernelDropTable,
  ladderProse,
  proseNumbers,
  spikeStartStats,
} from '../../../../../src/site/chapters/sgd-spikes/readouts';

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
  assert.ok(
    st.startAbove / st.spikes > st.baseRate,
    `spike starts above: ${st.startAbove}/${st.spikes}, base rate ${st.baseRate}`,
  );
  // without spikes there is no ratio range rather than NaN
  assert.equal(spikeStartStats(small).ratioMin, null);
});

test('kernel-drop table: pooled counts are sums over the seeds of each architecture', () => {
  const all = getTraces('kernel-drops');
  for (const r of kernelDropTable()) {
    const runs = all.filter((t) => t.summary.arch === r.arch);
    assert.equal(r.seeds, runs.length);
    assert.equal(
      r.pooledSpikes,
      runs.reduce((s, t) => s + t.summary.spikesJudged, 0),
    );
    assert.equal(
      r.pooledDrops,
      runs.reduce((s, t) => s + t.summary.spikesWithLambdaDrop, 0),
    );
    assert.equal(r.dropFraction === null, r.seedsWithSpikes === 0, r.arch);
  }
});

test('prose numbers: every value the chapter quotes is present', () => {
  const p = proseNumbers();
  for (const v of [p.st.ratioMin, p.st.ratioMax, p.sh.peakMean, p.fcnHi.plShareAtPeak, p.bLarge])
    assert.equal(typeof v, 'number');
  for (const r of ladderProse()) {
    if (r.divergedAt === null) assert.equal(typeof r.lambdaEnd, 'number', r.arch);
    else assert.ok(r.liveChannelsStart >= r.liveChannelsAfterFirstStage && r.firstLambdaEnd > 0, r.arch);
  }
});
