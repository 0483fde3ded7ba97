/** src/site/chapters/catapults-in-gd/readouts.ts: chapter 1's aggregations agree with the raw traces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import {
  catapultsEndBelowEdge,
  etaMaxOverall,
  etaMaxTable,
  nqmVsNetworkData,
  phaseDiagram,
  phaseSummary,
  plShareAtPeak,
  projectedLossRun,
  regimeTrajectories,
  shallowEtaMaxOf,
  uvPhaseRuns,
  uvTrajectories,
  type RegimeTrajectory,
} from '../../../../../src/site/chapters/catapults-in-gd/readouts';

test('η_max table: per-width means and the overall mean agree with the raw traces', () => {
  const raw = getTraces('shallow-eta-max');
  const table = etaMaxTable();
  assert.equal(
    table.reduce((s, r) => s + r.seeds, 0),
    raw.length,
  );
  const m1024 = raw.filter((t) => t.summary.m === 1024).map((t) => t.summary.etaMaxRatio);
  const row = table.find((r) => r.m === 1024);
  assert.ok(row);
  assert.ok(Math.abs(row.mean - m1024.reduce((a, b) => a + b, 0) / m1024.length) < 1e-12);
  assert.equal(etaMaxOverall().runs, raw.length);
});

test('phase diagram: regimes add up to the seeds, bands contain their means', () => {
  for (const r of phaseDiagram()) {
    assert.equal(r.regimes.linear + r.regimes.catapult + r.regimes.diverged, r.seeds);
    if (r.lambdaRatio) assert.ok(r.lambdaRatio.min <= r.lambdaRatio.mean && r.lambdaRatio.mean <= r.lambdaRatio.max);
  }
  const c = catapultsEndBelowEdge();
  assert.ok(c.runs > 0 && c.below <= c.runs);
});

test('uv model and NQM read-outs pick the runs they name', () => {
  const uv = uvTrajectories();
  assert.deepEqual(
    uv.map((t) => t.summary.etaLambda0),
    [1, 3, 4.5],
  );
  assert.ok(uv.every((t) => t.seed === 0 && t.series.loss.length > 0));
  assert.equal(uvPhaseRuns().length, 3);
  const d = nqmVsNetworkData();
  assert.equal(d.get('nqm', 'between').summary.model, 'nqm');
  assert.equal(d.get('network', 'above').summary.etaRegime, 'above');
  assert.ok(d.paperGap >= 0 && d.paperGap < 0.15);
});

test('trajectories are ordered by η, the projected-loss run is a catapult, and the PL share is read at the peak', () => {
  const runs = regimeTrajectories();
  assert.ok(runs.every((t, i) => i === 0 || t.summary.etaRatio > runs[i - 1].summary.etaRatio));
  assert.equal(projectedLossRun().summary.regime, 'catapult');
  const t = {
    series: { step: [0, 1, 2, 3], plTotal: [1, 5, 8, 2], pl: [0.1, 4, 6, 1] },
  } as unknown as RegimeTrajectory;
  assert.deepEqual(plShareAtPeak(t), { step: 2, share: 0.75 });
});

test('phase summary: the grid’s linear, catapult and divergent ranges and its settings are those of the raw runs', () => {
  const grid = getTraces('shallow-gd-regimes').filter((t) => t.runKey.startsWith('grid-'));
  const ps = phaseSummary();
  assert.ok(ps.linearUpTo !== null && ps.catapultFrom !== null && ps.firstDivergence !== null);
  for (const t of grid) {
    const { etaRatio, regime } = t.summary;
    if (etaRatio <= ps.linearUpTo) assert.equal(regime, 'linear', t.runKey);
    if (etaRatio < ps.catapultFrom) assert.notEqual(regime, 'catapult', t.runKey);
    if (ps.noLinearAbove && etaRatio >= ps.catapultFrom) assert.notEqual(regime, 'linear', t.runKey);
    if (etaRatio < ps.firstDivergence) assert.notEqual(regime, 'diverged', t.runKey);
    if (ps.allDivergeFrom !== null && etaRatio >= ps.allDivergeFrom) assert.equal(regime, 'diverged', t.runKey);
    assert.equal(t.config.n, ps.n);
    assert.equal(t.config.d, ps.d);
  }
  assert.ok(grid.some((t) => t.summary.etaRatio === ps.catapultFrom && t.summary.regime === 'catapult'));
  assert.ok(grid.some((t) => t.summary.etaRatio === ps.firstDivergence && t.summary.regime === 'diverged'));
});

test('shallowEtaMaxOf is the bisection result of that width and seed', () => {
  for (const t of getTraces('shallow-eta-max'))
    assert.equal(shallowEtaMaxOf(t.summary.m, t.seed), t.summary.etaMaxRatio);
  assert.throws(() => shallowEtaMaxOf(3, 0), /no run of width 3/);
});
