import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { balancedShards, costsWithMedians, planExperiment, shardRuns } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';
import { shardCosts } from '../../../scripts/pipeline/runPipeline';

const run = (experiment: string, runKey: string) => ({ experiment, runKey });
const load = (shard: { runKey: string }[], cost: (r: { runKey: string }) => number) =>
  shard.reduce((s, r) => s + cost(r), 0);

test('longest processing time first finds the optimal split of constructed costs where round-robin does not', () => {
  // Costs 7, 5, 4, 3, 3, 2 in key order: total 24, so no split of 2 beats 12 ({7, 3, 2} and {5, 4, 3}).
  const costs: Record<string, number> = { r0: 7, r1: 5, r2: 4, r3: 3, r4: 3, r5: 2 };
  const runs = Object.keys(costs).map((k) => run('e', k));
  const cost = (r: { runKey: string }) => costs[r.runKey];
  const rr = [1, 2].map((i) => shardRuns(runs, { index: i, count: 2 }));
  assert.deepEqual(
    rr.map((s) => load(s, cost)),
    [14, 10],
  );
  const lpt = [1, 2].map((i) => shardRuns(runs, { index: i, count: 2 }, cost));
  assert.deepEqual(
    lpt.map((s) => s.map((r) => r.runKey)),
    [
      ['r0', 'r3', 'r5'],
      ['r1', 'r2', 'r4'],
    ],
  );
  assert.deepEqual(
    lpt.map((s) => load(s, cost)),
    [12, 12],
  );
  assert.deepEqual(balancedShards(runs, 2, cost), lpt);
});

test('a run longer than all others alone gets a shard of its own; shards are disjoint and cover every run', () => {
  const runs = [
    run('big', 'x'),
    ...Array.from({ length: 16 }, (_, i) => run('small', `s${String(i).padStart(2, '0')}`)),
  ];
  const cost = (r: { experiment: string }) => (r.experiment === 'big' ? 100 : 1);
  const shards = Array.from({ length: 8 }, (_, i) => shardRuns(runs, { index: i + 1, count: 8 }, cost));
  assert.deepEqual(shards[0], [run('big', 'x')]);
  assert.deepEqual(
    shards.slice(1).map((s) => s.length),
    [3, 3, 2, 2, 2, 2, 2],
  );
  const all = shards.flat().map((r) => `${r.experiment}/${r.runKey}`);
  assert.equal(new Set(all).size, runs.length);
  // Equal costs deal runs in key order, exactly as round-robin does.
  const equal = Array.from({ length: 3 }, (_, i) => shardRuns(runs, { index: i + 1, count: 3 }, () => 1));
  const rr = Array.from({ length: 3 }, (_, i) => shardRuns(runs, { index: i + 1, count: 3 }));
  assert.deepEqual(equal, rr);
});

test('an unknown run costs its experiment’s median, or the median of all when its experiment has none', () => {
  const runs = [run('a', '1'), run('a', '2'), run('a', '3'), run('a', '4'), run('b', '1'), run('c', '1')];
  const recorded: Record<string, number | undefined> = { 'a/1': 1, 'a/2': 9, 'a/3': 3, 'b/1': 20 };
  const cost = costsWithMedians(runs, (r) => recorded[`${r.experiment}/${r.runKey}`]);
  assert.equal(cost(run('a', '2')), 9);
  assert.equal(cost(run('a', '4')), 3);
  assert.equal(cost(run('c', '1')), (3 + 9) / 2);
  assert.equal(costsWithMedians(runs, () => undefined)(run('a', '1')), 1);
});

test('the pipeline costs a run by the wall seconds its trace in content/traces recorded, else its experiment’s median', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shard-costs-'));
  try {
    const runs = planExperiment(getExperiment('uv-catapult'), 'paper');
    const [a, b, c] = runs;
    for (const [r, w] of [
      [a, 2],
      [b, 8],
    ] as const) {
      mkdirSync(join(dir, r.experiment), { recursive: true });
      writeFileSync(join(dir, r.experiment, `${r.runKey}.json`), JSON.stringify({ provenance: { wallSeconds: w } }));
    }
    mkdirSync(join(dir, c.experiment, `${c.runKey}.json`));
    const cost = shardCosts(runs, dir);
    assert.equal(cost(a), 2);
    assert.equal(cost(b), 8);
    assert.equal(cost(c), 5, 'a run whose trace cannot be read costs the median of its experiment');
    const quick = planExperiment(getExperiment('uv-catapult'), 'quick');
    assert.equal(shardCosts(quick, dir)(quick[0]), 1, 'another profile has no recorded costs');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
