/**
 * src/site/chapters/sgd-spikes/ladderFactors.ts against the committed cnn-ladder-factors traces: every count is a
 * plain recount of the raw loss, η and λ_max series (how far each run got, the kernel found at each raise, the first
 * stage's lowest λ_max), and the sentence and report row quote those counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import {
  figure3Cnn,
  ladderArchs,
  ladderFactorClaim,
  ladderFactorRows,
  ladderFactorParagraphs,
  ladderFactorVerdict,
  ladderRaises,
} from '../../../../../src/site/chapters/sgd-spikes/ladderFactors';

const runs = () => getTraces('cnn-ladder-factors');

test('how far each run got is what its loss series shows', () => {
  for (const t of runs()) {
    const loss = t.series.trainLoss;
    const s = t.summary;
    if (s.divergedAt !== null) {
      // the step that blew up is not recorded: the series stops just before it
      assert.equal(loss.length, s.divergedAt, t.runKey);
    } else if (s.kernelVanishedAt !== null) {
      assert.equal(loss.length, s.kernelVanishedAt, t.runKey);
      assert.ok(t.config.atSteps.includes(s.kernelVanishedAt), `${t.runKey}: a kernel is found gone at a raise`);
      assert.equal(t.series.lambdaMax[t.series.lambdaStep.indexOf(s.kernelVanishedAt)], 0);
    } else {
      assert.equal(loss.length, t.config.steps, t.runKey);
    }
    // stages completed: raises passed whose stage ran to its end
    const ends = [...t.config.atSteps.slice(1), t.config.steps];
    assert.equal(
      s.stagesComplete,
      ends.filter((e) => e <= s.steps && (s.divergedAt === null || e < s.divergedAt)).length,
      t.runKey,
    );
  }
  for (const arch of ladderArchs()) {
    for (const r of ladderFactorRows(arch)) {
      const at = runs().filter((t) => t.summary.arch === arch && t.config.factor === r.factor);
      assert.equal(r.seeds, at.length);
      assert.equal(
        r.survived,
        at.filter((t) => t.series.trainLoss.length === t.config.steps).length,
        `${arch} ${r.factor}`,
      );
      assert.equal(r.survived + r.diverged + r.vanished, r.seeds);
    }
  }
});

test('each later raise: the old rate against the kernel found, recounted from the η and λ_max series', () => {
  const raises = ladderRaises();
  let n = 0;
  for (const t of runs()) {
    const s = t.series;
    for (const step of t.config.atSteps.slice(1)) {
      if (step >= s.trainLoss.length) continue; // not reached
      const lam = s.lambdaMax[s.lambdaStep.indexOf(step)];
      const oldEta = s.eta[s.step.indexOf(step - 1)];
      const r = raises.find((x) => x.runKey === t.runKey && t.config.atSteps[x.k] === step);
      assert.ok(r, `${t.runKey}: raise at ${step}`);
      assert.ok(
        Math.abs(r.edgeBefore - (oldEta * lam) / 2) <= 1e-9 * Math.max(1, r.edgeBefore),
        `${t.runKey} at ${step}`,
      );
      // the new rate is factor × 2/λ_max of the kernel found
      assert.ok(
        Math.abs(s.eta[s.step.indexOf(step)] - (2 * t.config.factor) / lam) < 1e-5 * s.eta[s.step.indexOf(step)],
      );
      n++;
    }
  }
  assert.equal(raises.length, n);
  const v = ladderFactorVerdict();
  assert.equal(v.raisesAtEdge.n + v.raisesBelowEdge.n, n);
  assert.equal(
    v.raisesAtEdge.completed,
    raises.filter(
      (r) =>
        r.edgeBefore >= 1 &&
        r.stepsLasted ===
          (t0(r.runKey).config.atSteps[r.k + 1] ?? t0(r.runKey).config.steps) - t0(r.runKey).config.atSteps[r.k],
    ).length,
  );
});

const t0 = (key: string) => {
  const t = runs().find((r) => r.runKey === key);
  assert.ok(t, key);
  return t;
};

test('the first stage’s lowest λ_max, the sentence and the report row quote the recounts', () => {
  const lows = runs()
    .filter((t) => t.series.trainLoss.length >= t.config.atSteps[1])
    .map((t) => {
      const s = t.series;
      const vals = s.lambdaStep.flatMap((st, i) => (st <= t.config.atSteps[1] ? [s.lambdaMax[i]] : []));
      return Math.min(...vals) / t.summary.lambda0;
    })
    .sort((a, b) => a - b);
  const v = ladderFactorVerdict();
  assert.equal(v.firstLow.runs, lows.length);
  assert.equal(v.firstLow.min, lows[0]);
  assert.equal(v.firstLow.max, lows[lows.length - 1]);
  // the second raise's rate over η_crit(w_0): the median of an even count is the mean of the two middle values
  const second = runs()
    .filter((t) => t.series.stageEta.length > 1)
    .map((t) => t.series.stageEta[1] / t.summary.etaCrit0)
    .sort((a, b) => a - b);
  const h = Math.floor(second.length / 2);
  assert.equal(v.secondEtaMedian, second.length % 2 ? second[h] : (second[h - 1] + second[h]) / 2);
  const survived = runs().filter((t) => t.series.trainLoss.length === t.config.steps).length;
  assert.equal(v.survivedRuns, survived);
  const text = ladderFactorParagraphs().join(' ');
  for (const a of v.byArch) assert.ok(text.includes(`${a.survived} of ${a.runs} runs`), text);
  assert.ok(text.includes(`of the ${v.raisesAtEdge.n} later raises`), text);
  // a run climbs when it completes every stage with η higher at each raise than at the one before (raw η series)
  const climbed = runs().filter((t) => {
    const s = t.series;
    const eta = t.config.atSteps.map((st) => s.eta[s.step.indexOf(st)]);
    return s.trainLoss.length === t.config.steps && eta.every((e, k) => k === 0 || e > eta[k - 1]);
  }).length;
  assert.equal(v.climbedRuns, climbed);
  const c = ladderFactorClaim();
  if (climbed === 0) assert.equal(c.status, 'not reproduced');
  else assert.notEqual(c.status, 'not reproduced');
  assert.match(figure3Cnn().end, /diverged|dead|stages/);
});

test('a row’s top rate is the largest η / η_crit(w_0) any of its surviving runs set, over all its stages', () => {
  for (const arch of ladderArchs()) {
    for (const r of ladderFactorRows(arch)) {
      const ok = runs().filter(
        (t) => t.summary.arch === arch && t.config.factor === r.factor && t.series.trainLoss.length === t.config.steps,
      );
      const top = ok.length
        ? Math.max(...ok.flatMap((t) => t.config.atSteps.map((st) => t.series.eta[st] / t.summary.etaCrit0)))
        : null;
      assert.equal(r.survivorEtaMax === null, top === null, `${arch} ${r.factor}`);
      if (top !== null) assert.ok(Math.abs(r.survivorEtaMax! - top) < 1e-9 * top, `${arch} ${r.factor}`);
    }
  }
});
