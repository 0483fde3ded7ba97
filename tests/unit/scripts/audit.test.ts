/**
 * The reproducibility audit: a seeded choice of cheap runs under a budget, and a rerun that must
 * reproduce the committed trace byte for byte. A constructed traces folder with one series value
 * edited (which every static check accepts) fails, naming the run, the field and the first
 * differing index; the untouched copy passes.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditTraces, chooseAuditRuns } from '../../../scripts/pipeline/audit';
import { getTrace } from '../../../src/site/traces';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const scratch: string[] = [];
after(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

const RUNS = ['traj-eta3-s0', 'traj-eta1-s1'];
function copyOfCommitted(): string {
  const d = mkdtempSync(join(tmpdir(), 'audit-'));
  scratch.push(d);
  mkdirSync(join(d, 'uv-catapult'));
  for (const r of RUNS)
    copyFileSync(join(REPO, 'content/traces/uv-catapult', `${r}.json`), join(d, 'uv-catapult', `${r}.json`));
  return d;
}
/** Edits loss[5] of traj-eta3-s0 to another plausible value, keeping the file valid. */
function editOneValue(d: string): number {
  const p = join(d, 'uv-catapult/traj-eta3-s0.json');
  const t = JSON.parse(readFileSync(p, 'utf8'));
  const old = t.series.loss[5];
  t.series.loss[5] = Number((old * 1.01).toPrecision(7));
  writeFileSync(p, JSON.stringify(t, null, 2) + '\n');
  return old;
}

test('the choice is seeded, within the count and the budget, and a run over the budget is never chosen', () => {
  const cands = Array.from({ length: 50 }, (_, i) => ({ key: `e/r${i}`, wallSeconds: i % 10 }));
  const a = chooseAuditRuns(cands, { seed: 7, count: 4, budget: 12 });
  assert.deepEqual(chooseAuditRuns([...cands].reverse(), { seed: 7, count: 4, budget: 12 }), a);
  assert.ok(a.length >= 1 && a.length <= 4);
  assert.ok(a.reduce((s, c) => s + c.wallSeconds, 0) <= 12);
  const seen = new Set<string>();
  for (let seed = 0; seed < 20; seed++)
    for (const c of chooseAuditRuns(cands, { seed, count: 3, budget: 5 })) {
      assert.ok(c.wallSeconds <= 5);
      seen.add(c.key);
    }
  assert.ok(seen.size > 10, 'different seeds choose different runs');
  assert.deepEqual(chooseAuditRuns([{ key: 'e/x', wallSeconds: 9 }], { seed: 1, count: 3, budget: 5 }), []);
});

test('an untouched copy of committed traces reproduces byte for byte', async () => {
  const d = copyOfCommitted();
  const r = await auditTraces({ seed: 1, count: 5, budget: 60, dir: d, only: ['uv-catapult'] });
  assert.deepEqual(r.chosen.map((c) => c.run).sort(), RUNS.map((k) => `uv-catapult/${k}`).sort());
  assert.deepEqual(r.diffs, []);
  assert.equal(r.rerunDir, null);
});

test('one series value edited by hand passes every static check but fails the audit, naming run, field and index', async () => {
  const d = copyOfCommitted();
  const old = editOneValue(d);
  // Every reader accepts the edited file: this is what only a rerun can catch.
  const uv: string = 'uv-catapult';
  assert.notEqual(getTrace(uv, 'traj-eta3-s0', { dir: d }).series.loss[5], old);
  const r = await auditTraces({ seed: 1, count: 5, budget: 60, dir: d, only: ['uv-catapult'] });
  assert.equal(r.diffs.length, 1, JSON.stringify(r.diffs));
  assert.equal(r.diffs[0].run, 'uv-catapult/traj-eta3-s0');
  assert.equal(r.diffs[0].field, 'series.loss');
  assert.equal(r.diffs[0].index, 5);
  assert.match(r.diffs[0].message, new RegExp(`series\\.loss\\[5\\] is [\\d.e+-]+ committed, ${old} rerun`));
  assert.ok(r.rerunDir);
  scratch.push(r.rerunDir);
});

test('the audit command prints its seed and how to replay it, and exits 1 with the diff', () => {
  const d = copyOfCommitted();
  editOneValue(d);
  const args = ['audit', '--dir', d, '--only', 'uv-catapult', '--seed', '42', '--count', '5', '--budget', '60'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiments.ts', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stdout,
    /audit seed 42 \(replay: npm run experiments -- audit --seed 42 --count 5 --budget 60 --only uv-catapult --dir /,
  );
  assert.match(r.stderr, /DIFFERS uv-catapult\/traj-eta3-s0: series\.loss\[5\]/);
  assert.match(r.stderr, /1 of 2 runs do not reproduce/);
  const kept = /reruns kept in (\S+)\./.exec(r.stderr)?.[1];
  if (kept) scratch.push(kept);
});
