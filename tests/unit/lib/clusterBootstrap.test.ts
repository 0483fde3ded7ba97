/**
 * src/lib/clusterBootstrap.ts: within-cluster correlations and leave-one-group-out against plain
 * recounts, and the cluster bootstrap's coverage on data with a known seed effect, where treating every
 * point as independent (the Fisher interval) covers the truth far less often.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clusterBootstrapCorrelation,
  leaveOneGroupOut,
  withinClusterCorrelations,
  type ClusteredPoint,
} from '../../../src/lib/clusterBootstrap';
import { pearsonWithInterval } from '../../../src/lib/correlation';
import { pearson } from '../../../src/lib/stats';
import { Prng } from '../../../src/lib/prng';

test('within each cluster: +1 and −1 for exactly linear clusters; too small clusters give none', () => {
  const pts: ClusteredPoint[] = [
    ...[1, 2, 3, 4].map((x) => ({ cluster: 'a', x, y: 2 * x + 1 })),
    ...[1, 2, 3].map((x) => ({ cluster: 'b', x, y: -x })),
    ...[1, 2].map((x) => ({ cluster: 'c', x, y: x })),
  ];
  const w = withinClusterCorrelations(pts);
  assert.deepEqual(
    w.map((c) => [c.cluster, c.n]),
    [
      ['a', 4],
      ['b', 3],
    ],
  );
  assert.ok(Math.abs(w[0].r - 1) < 1e-12 && Math.abs(w[1].r + 1) < 1e-12);
});

test('leave one group out: each r is the plain Pearson r of the other points', () => {
  const prng = new Prng(3);
  const pts: ClusteredPoint[] = Array.from({ length: 30 }, (_, i) => ({
    cluster: i % 5,
    group: `g${i % 3}`,
    x: prng.normal(),
    y: prng.normal(),
  }));
  for (const { group, r } of leaveOneGroupOut(pts)) {
    const rest = pts.filter((p) => p.group !== group);
    assert.equal(
      r,
      pearson(
        rest.map((p) => p.x),
        rest.map((p) => p.y),
      ),
    );
  }
});

test('coverage with a known seed effect: the cluster interval holds the population r, the naive one much less often', () => {
  // Each cluster shifts x and y by one shared offset c ~ N(0, 1); within a cluster x and y are
  // independent N(0, 1) noise. The population correlation is var(c) / (var(c) + 1) = 0.5.
  const truth = 0.5;
  const prng = new Prng(11);
  const uniform = () => prng.uniform();
  const datasets = 150;
  let cluster = 0;
  let naive = 0;
  for (let d = 0; d < datasets; d++) {
    const pts: ClusteredPoint[] = [];
    for (let k = 0; k < 15; k++) {
      const c = prng.normal();
      for (let j = 0; j < 6; j++) pts.push({ cluster: k, x: c + prng.normal(), y: c + prng.normal() });
    }
    const b = clusterBootstrapCorrelation(pts, 400, uniform);
    if (b.lo <= truth && truth <= b.hi) cluster++;
    const f = pearsonWithInterval(
      pts.map((p) => p.x),
      pts.map((p) => p.y),
    );
    if (f.lo <= truth && truth <= f.hi) naive++;
  }
  assert.ok(cluster / datasets >= 0.85, `cluster bootstrap covered ${cluster}/${datasets}`);
  assert.ok(cluster > naive, `cluster ${cluster} vs naive ${naive} of ${datasets}`);
});
