/**
 * `merge` trusts nothing: one test per refusal (each leaves the output folder untouched), plus the
 * cases it must accept (identical duplicates, up-to-date identical files, stale files to replace).
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../../scripts/pipeline/runPipeline';
import { mergeTraceDirs } from '../../../scripts/pipeline/merge';
import type { Reporter } from '../../../scripts/pipeline/progress';

const silent: Reporter = { log() {}, start() {}, progress() {}, done() {}, fail() {}, stop() {} };
const dirs: string[] = [];
const tmp = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `merge-${name}-`));
  dirs.push(d);
  return d;
};
let shard = '';
/** A copy of the fixture shard to tamper with. */
const copy = () => {
  const d = tmp('input');
  cpSync(shard, d, { recursive: true });
  return d;
};
const edit = (path: string, f: (t: Record<string, any>) => void) => {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const t = JSON.parse(readFileSync(path, 'utf8'));
  f(t);
  writeFileSync(path, JSON.stringify(t, null, 2));
};
const listing = (d: string) => (existsSync(d) ? readdirSync(d, { recursive: true }).map(String).sort() : []);

before(async () => {
  shard = tmp('shard');
  const r = await runPipeline({
    only: ['uv-catapult', 'pipeline-selftest'],
    profile: 'quick',
    outDir: shard,
    jobs: 1,
    reporter: silent,
  });
  assert.equal(r.failures.length, 0);
});
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Asserts the merge is refused with `re` and writes nothing into a fresh output folder. */
function refused(inputs: string[], re: RegExp, out = tmp('out')) {
  const before = listing(out);
  assert.throws(() => mergeTraceDirs(inputs, out, { protectedDir: tmp('elsewhere') }), re);
  assert.deepEqual(listing(out), before, 'nothing written');
}

test('accepts identical duplicates and an output folder that already holds the same numbers', () => {
  const out = tmp('out');
  const first = mergeTraceDirs([shard, copy()], out);
  assert.deepEqual(first, { runs: 8, duplicates: 8, unchanged: 0, replaced: 0 });
  assert.deepEqual(mergeTraceDirs([shard], out), { runs: 8, duplicates: 0, unchanged: 8, replaced: 0 });
});

test('refuses a trace whose config does not hash to its configHash', () => {
  const d = copy();
  edit(join(d, 'uv-catapult/phase-s0.json'), (t) => (t.config.m += 1));
  refused([d], /uv-catapult\/phase-s0\.json is inconsistent: its config does not hash to its configHash/);
});

test('refuses a trace made from other code (its sourceHash is not what this checkout hashes to)', () => {
  const d = copy();
  edit(join(d, 'uv-catapult/phase-s0.json'), (t) => (t.sourceHash = '0'.repeat(64)));
  refused(
    [d],
    /phase-s0\.json is stale: the code it ran has changed since .*merge only takes traces made from this checkout/,
  );
});

test("refuses a trace made from another config than today's profile", async () => {
  const d = tmp('other-config');
  // Same run keys, one config field changed (as if the profile had been edited since).
  await runPipeline({
    only: ['uv-catapult'],
    profile: 'quick',
    outDir: d,
    jobs: 1,
    reporter: silent,
    overrides: { 'uv-catapult': { m: 99 } },
  });
  refused([d], /is stale: it was made from a different config than src\/experiments now defines/);
});

test('refuses a trace whose model file is missing', () => {
  const d = copy();
  rmSync(join(d, 'pipeline-selftest/b4-s0.model.json'));
  refused(
    [d],
    /pipeline-selftest\/b4-s0\.json: field "summary\.modelFile" names .*b4-s0\.model\.json, which does not exist/,
  );
});

test('refuses an orphan model file', () => {
  const d = copy();
  copyFileSync(join(d, 'pipeline-selftest/b4-s0.model.json'), join(d, 'uv-catapult/phase-s0.model.json'));
  refused([d], /uv-catapult\/phase-s0\.model\.json is an orphan model file/);
});

test('refuses conflicting duplicates', () => {
  const d = copy();
  edit(join(d, 'uv-catapult/phase-s0.json'), (t) => (t.series.finalLoss[0] *= 2));
  refused([shard, d], /conflicting results for uv-catapult\/phase-s0: .* same config but different numbers/);
});

test('refuses to overwrite an up-to-date file with other numbers; replaces a stale one', () => {
  const out = tmp('out');
  mergeTraceDirs([shard], out);
  const d = copy();
  edit(join(d, 'uv-catapult/phase-s0.json'), (t) => (t.series.finalLoss[0] *= 2));
  const target = join(out, 'uv-catapult/phase-s0.json');
  const text = readFileSync(target, 'utf8');
  refused(
    [d],
    /refusing to overwrite .*uv-catapult\/phase-s0\.json: it is up to date and holds different numbers than/,
    out,
  );
  assert.equal(readFileSync(target, 'utf8'), text);
  // A stale file in the output folder (here: made before source hashes) is replaced.
  edit(target, (t) => delete t.sourceHash);
  assert.deepEqual(mergeTraceDirs([shard], out), { runs: 8, duplicates: 0, unchanged: 7, replaced: 1 });
  assert.equal(readFileSync(target, 'utf8'), readFileSync(join(shard, 'uv-catapult/phase-s0.json'), 'utf8'));
});

test('refuses traces of uncommitted code into the protected folder (content/traces), not elsewhere', () => {
  const d = copy();
  // Whatever state this work tree is in: every trace clean but one.
  for (const f of listing(d).filter((f) => f.endsWith('.json') && !f.endsWith('.model.json')))
    edit(join(d, f), (t) => (t.provenance.commit = 'abc'));
  edit(join(d, 'uv-catapult/phase-s0.json'), (t) => (t.provenance.commit = 'abc+dirty'));
  const guarded = tmp('guarded');
  assert.throws(
    () => mergeTraceDirs([d], guarded, { protectedDir: guarded }),
    /phase-s0\.json: field "provenance\.commit" is abc\+dirty: it was made from uncommitted code/,
  );
  assert.deepEqual(listing(guarded), []);
  assert.equal(mergeTraceDirs([d], tmp('out')).runs, 8);
});

test('refuses a file named after no run of the profile', () => {
  const d = copy();
  cpSync(join(d, 'uv-catapult/phase-s0.json'), join(d, 'uv-catapult/phase-s7.json'));
  refused([d], /phase-s7\.json: field "runKey"/);
});
