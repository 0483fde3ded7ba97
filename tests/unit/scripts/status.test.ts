/**
 * The status contract: `status` exits 0 whatever it finds (its JSON names every problem), `status
 * --check` exits 1 when any run is stale, missing or corrupt, and content/traces is read with the
 * paper profile only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline } from '../../../scripts/pipeline/runPipeline';
import type { Reporter } from '../../../scripts/pipeline/progress';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const silent: Reporter = { log() {}, start() {}, progress() {}, done() {}, fail() {}, stop() {} };
let dir = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'status-'));
  const r = await runPipeline({ only: ['uv-catapult'], profile: 'quick', outDir: dir, jobs: 1, reporter: silent });
  assert.equal(r.failures.length, 0);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiments.ts', 'status', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
  });

test('status exits 0 whatever it finds; --check exits 1 when a run is to do, naming the file and the field', () => {
  const args = ['--only', 'uv-catapult', '--profile', 'quick', '--out', dir];
  const clean = cli([...args, '--check']);
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /0 runs to do/);

  const p = join(dir, 'uv-catapult/traj-eta3-s0.json');
  const t = JSON.parse(readFileSync(p, 'utf8'));
  t.series.step[2] = t.series.step[1];
  writeFileSync(p, JSON.stringify(t, null, 2));

  const plain = cli(args);
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /corrupt: .*traj-eta3-s0\.json.*field "series\.step\[2\]"/);
  const json = cli([...args, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const st = JSON.parse(json.stdout);
  assert.equal(st.toRun, 1);
  assert.equal(st.experiments['uv-catapult'].corrupt, 1);
  assert.equal(st.problems[0].run, 'uv-catapult/traj-eta3-s0');
  assert.match(st.problems[0].reason, /series\.step\[2\]/);
  const check = cli([...args, '--check']);
  assert.equal(check.status, 1, check.stderr);
  assert.match(check.stderr, /status --check: 1 runs to do .*npm run experiments -- --profile quick/);
});

test('content/traces is read with the paper profile only (exit 2 for another)', () => {
  const r = cli(['--only', 'uv-catapult', '--profile', 'quick']);
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /content\/traces holds paper-profile traces only; give --profile quick another folder with --out/,
  );
});
