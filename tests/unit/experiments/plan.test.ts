import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  balancedShards,
  costsWithMedians,
  makespan,
  planExperiment,
  planShardCount,
  shardRuns,
} from '../../../src/experiments/plan';
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

test('makespan: longest run first on each free worker, with constructed costs and known answers', () => {
  // 2 workers: 7 | 5, then 4 → the worker at 5 (9), 3 → 7 (10), 3 → 9 (12), 2 → 10 (12)
  assert.equal(makespan([3, 7, 2, 5, 3, 4], 2), 12);
  assert.equal(makespan([3, 7, 2, 5, 3, 4], 1), 24);
  assert.equal(makespan([3, 7, 2, 5, 3, 4], 6), 7, 'one run per worker: the longest run');
  assert.equal(makespan([], 2), 0);
});

test('shard count: the fewest shards within the target, or the fewest reaching the longest run when none fits', () => {
  const runs = Array.from({ length: 12 }, (_, i) => run('e', `r${String(i).padStart(2, '0')}`));
  const cost = () => 100;
  // 1200 s of equal runs on 2 cores: 1 shard takes 600 s, so a 600 s target needs 1, a 300 s target 2
  assert.deepEqual(
    [600, 300, 200].map((t) => planShardCount(runs, cost, { targetSeconds: t, cores: 2, maxShards: 20 }).count),
    [1, 2, 3],
  );
  // one 1000 s run: no count beats 1000 s; the fewest shards that reach it
  const big = [...runs, run('big', 'x')];
  const bigCost = (r: { experiment: string }) => (r.experiment === 'big' ? 1000 : 100);
  const p = planShardCount(big, bigCost, { targetSeconds: 900, cores: 2, maxShards: 20 });
  assert.equal(p.longestRunSeconds, 1000);
  assert.equal(p.longestShardSeconds, 1000);
  assert.equal(p.fits, false);
  // 2 cores of one shard: the 1000 s run on one and 1000 s of small runs on the other (1200 + 1000 = 2200 s of work)
  assert.equal(p.count, 2);
  // a cap below what the target needs: the best within the cap, said not to fit
  const capped = planShardCount(runs, cost, { targetSeconds: 100, cores: 1, maxShards: 4 });
  assert.deepEqual([capped.count, capped.longestShardSeconds, capped.fits], [4, 300, false]);
  assert.deepEqual(planShardCount([], cost, { targetSeconds: 900, cores: 2, maxShards: 20 }).count, 1);
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
