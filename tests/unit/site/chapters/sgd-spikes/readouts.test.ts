/** src/site/chapters/sgd-spikes/readouts.ts: chapter 2's pooled counts and tables agree with the committed traces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import {
  anatomyRuns,
  kernelDropTable,
  kernelDropSettings,
  ladderProse,
  probeLambdaEndOverStart,
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

test('kernel-drop base rate and permutation p: windows of the judged spikes’ lengths at every step, recounted by a plain scan of the traces', () => {
  const all = getTraces('kernel-drops');
  for (const r of kernelDropTable()) {
    const runs = all.filter((t) => t.summary.arch === r.arch && t.summary.spikesJudged > 0);
    if (!r.baseRate) {
      assert.equal(runs.length, 0, r.arch);
      continue;
    }
    // Per judged spike: the share of placements of its window that see λ drop.
    const perSpike: number[] = [];
    const perRun = runs.map((t) => {
      const { step, lambdaStep, probeLambda, spikeStart, spikeEnd, spikePeak, judgedPeak } = t.series;
      const last = step[step.length - 1];
      const rates = judgedPeak.map((peak) => {
        const i = spikePeak.indexOf(peak);
        const L = spikeEnd[i] - spikeStart[i];
        let judged = 0;
        let dropped = 0;
        for (let s = 0; s + L <= last; s++) {
          let before: number | null = null;
          let after: number | null = null;
          for (let k = 0; k < lambdaStep.length; k++) {
            if (!Number.isFinite(probeLambda[k])) continue;
            if (lambdaStep[k] <= s) before = probeLambda[k];
            if (after === null && lambdaStep[k] >= s + L) after = probeLambda[k];
          }
          if (before === null || after === null) continue;
          judged++;
          if (after < before) dropped++;
        }
        return dropped / judged;
      });
      perSpike.push(...rates);
      return rates.reduce((a, b) => a + b, 0) / rates.length;
    });
    const mean = perRun.reduce((a, b) => a + b, 0) / perRun.length;
    assert.ok(Math.abs(r.baseRate.mean - mean) < 1e-12, `${r.arch}: ${r.baseRate.mean} vs ${mean}`);
    // Spikes placed independently: the pooled drop count is Poisson-binomial in the per-spike rates,
    // so the permutation p estimates its upper tail (Monte Carlo error ≈ 0.005 at 10,000 draws).
    let dist = [1];
    for (const q of perSpike) dist = [...dist, 0].map((v, j) => v * (1 - q) + (j > 0 ? dist[j - 1] * q : 0));
    const tail = dist.slice(r.pooledDrops).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(r.chance - tail) < 0.02 + 0.05 * tail, `${r.arch}: permutation p ${r.chance} vs exact ${tail}`);
  }
});

test('probe-kernel change of the stalled models and the kernel-drops run length come from the raw traces', () => {
  const raw = getTraces('kernel-drops');
  const cnn = raw
    .filter((t) => t.summary.arch === 'cnn')
    .map((t) => (t.summary.probeLambdaEnd ?? NaN) / t.summary.probeLambdaStart);
  const r = probeLambdaEndOverStart(['cnn']);
  assert.ok(r);
  assert.equal(r.runs, cnn.length);
  assert.equal(r.min, Math.min(...cnn));
  assert.equal(r.max, Math.max(...cnn));
  assert.equal(probeLambdaEndOverStart([]), null);
  assert.ok(raw.every((t) => t.config.steps === kernelDropSettings().steps));
});

test('the ladder prose states the raise steps of its runs’ config', () => {
  for (const r of proseNumbers().ladder)
    assert.deepEqual(
      r.atSteps,
      getTraces('multi-catapult').find((t) => t.summary.arch === r.arch && t.seed === 0)?.config.atSteps,
    );
});
