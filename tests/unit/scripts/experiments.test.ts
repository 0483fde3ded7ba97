/**
 * The precompute CLI as a user runs it (spawned processes, quick profile, temp folders): exit code 2
 * for anything that must not start, 1 for a failed run or a refused merge, 0 for status, and
 * SIGINT to `npm run experiments` stops the runs at once, keeps finished traces and exits 130.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseTraceText } from '../../../src/experiments/trace';

const ROOT = resolve(import.meta.dirname, '../../..');
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `cli-${name}-`));

/** Runs the CLI directly (no npm in between), returning status, output and wall time. */
function cli(args: string[], timeoutMs = 120_000) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiments.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

test('bad arguments exit 2 before anything runs or is written', () => {
  const out = tmp('usage');
  try {
    const cases: [string[], RegExp][] = [
      [['--only', ''], /--only.*give at least one experiment id/],
      [['--only', ','], /--only.*give at least one experiment id/],
      [['--only', ' , '], /--only.*give at least one experiment id/],
      [['--only', 'nope'], /unknown experiment "nope"/],
      [['--profile', 'nope'], /--profile.*use one of paper, quick/],
      [['--shard', '0/2'], /--shard must look like i\/N/],
      [['--shard', '3/2'], /--shard must look like i\/N/],
      [['--jobs', '0'], /--jobs must be a positive integer/],
      [['--seeds', '-1'], /--seeds must be a positive integer/],
      [['--bogus'], /unknown option '--bogus'/],
      [['frobnicate'], /too many arguments/],
      [['merge'], /missing required argument 'dirs'/],
      [['merge', join(out, 'nonexistent')], /merge: input folder .*nonexistent does not exist/],
      [['status', '--profile', 'nope'], /use one of paper, quick/],
    ];
    for (const [args, re] of cases) {
      const r = cli([...args, '--out', out], 60_000);
      assert.equal(r.status, 2, `${args.join(' ')} → ${r.status}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
    }
    assert.deepEqual(readdirSync(out), [], 'nothing written');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('an --out that is not a writable folder fails at once with exit 2 (also for merge)', () => {
  const base = tmp('out');
  try {
    writeFileSync(join(base, 'a-file'), 'x');
    for (const out of ['/proc/x', '/proc/x/y', join(base, 'a-file'), join(base, 'a-file', 'sub')]) {
      const r = cli(['--only', 'uv-catapult', '--profile', 'quick', '--out', out], 60_000);
      assert.equal(r.status, 2, `${out}: ${r.status} ${r.signal} ${r.stderr}`);
      assert.match(r.stderr, /--out .* is not a writable folder/);
      assert.ok(r.ms < 30_000, `${out} took ${r.ms} ms`);
    }
    const m = cli(['merge', base, '--out', '/proc/x'], 60_000);
    assert.equal(m.status, 2, m.stderr);
    assert.match(m.stderr, /--out \/proc\/x is not a writable folder/);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a failed run exits 1 and keeps the other results; status exits 0; a refused merge exits 1', () => {
  const out = tmp('fail');
  const merged = tmp('merged');
  try {
    // A file where the experiment's folder should be: every write of pipeline-selftest fails.
    writeFileSync(join(out, 'pipeline-selftest'), 'in the way');
    const r = cli(['--only', 'uv-catapult,pipeline-selftest', '--profile', 'quick', '--out', out, '--jobs', '1']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /4 runs written, 0 runs up to date, 4 failed/);
    assert.match(r.stderr, /FAILED pipeline-selftest\/b4-s0 failed while writing/);
    assert.equal(readdirSync(join(out, 'uv-catapult')).length, 4);

    const s = cli(['status', '--only', 'uv-catapult,pipeline-selftest', '--profile', 'quick', '--out', out, '--json']);
    assert.equal(s.status, 0, s.stderr);
    const st = JSON.parse(s.stdout);
    assert.equal(st.toRun, 4);
    assert.equal(st.experiments['uv-catapult'].fresh, 4);
    assert.equal(st.experiments['pipeline-selftest'].missing, 4);

    rmSync(join(out, 'pipeline-selftest'));
    const p = join(out, 'uv-catapult', 'phase-s0.json');
    writeFileSync(p, readFileSync(p, 'utf8').replace('"m": 100', '"m": 101'));
    const m = cli(['merge', out, '--out', merged]);
    assert.equal(m.status, 1, m.stderr);
    assert.match(m.stderr, /phase-s0\.json is inconsistent: its config does not hash to its configHash/);
    assert.deepEqual(readdirSync(merged), []);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(merged, { recursive: true, force: true });
  }
});

test('SIGINT to `npm run experiments` stops the runs, keeps finished traces, exits 130 promptly', async () => {
  const out = tmp('sigint');
  try {
    // pipeline-selftest's runs take milliseconds; multi-catapult's take seconds, so one is running when the signal comes.
    const child = spawn(
      'npm',
      [
        'run',
        'experiments',
        '--',
        '--only',
        'pipeline-selftest,multi-catapult',
        '--profile',
        'quick',
        '--jobs',
        '1',
        '--out',
        out,
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let sentAt = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      if (!sentAt && stderr.includes('start multi-catapult/')) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    const ms = Date.now() - sentAt;
    assert.ok(sentAt > 0, `never saw a multi-catapult run start: ${stderr}`);
    assert.equal(code, 130, stderr);
    assert.ok(ms < 10_000, `exited ${ms} ms after SIGINT`);
    assert.match(stderr, /SIGINT: stopping the runs in progress/);
    assert.match(
      stderr,
      /interrupted after .*: 4 runs written and kept .* 1 abandoned \(multi-catapult\/[a-z]+-f[0-9p]+-s0\), 1 not started/,
    );
    const kept = readdirSync(join(out, 'pipeline-selftest')).filter((f) => !f.endsWith('.model.json'));
    assert.equal(kept.length, 4);
    for (const f of kept) parseTraceText(readFileSync(join(out, 'pipeline-selftest', f), 'utf8'), f);
    assert.equal(
      existsSync(join(out, 'multi-catapult')) ? readdirSync(join(out, 'multi-catapult')).length : 0,
      0,
      'no half-written multi-catapult trace',
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('shards read freshness from --reuse: a shard of an up-to-date folder does nothing', () => {
  const full = tmp('reuse-full');
  const shard = tmp('reuse-shard');
  try {
    assert.equal(cli(['--only', 'uv-catapult', '--profile', 'quick', '--out', full]).status, 0);
    for (const i of [1, 2]) {
      const r = cli([
        '--only',
        'uv-catapult',
        '--profile',
        'quick',
        '--shard',
        `${i}/2`,
        '--reuse',
        full,
        '--out',
        shard,
      ]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), '4 runs up to date');
    }
    // One run missing from the reused folder: it goes to exactly one shard, the other leaves it alone.
    rmSync(join(full, 'uv-catapult', 'phase-s0.json'));
    const base = ['--only', 'uv-catapult', '--profile', 'quick', '--reuse', full, '--out', shard];
    const s1 = cli([...base, '--shard', '1/2']);
    assert.match(s1.stdout, /^1 runs written, 3 runs up to date, 0 failed/, s1.stderr);
    assert.deepEqual(readdirSync(join(shard, 'uv-catapult')), ['phase-s0.json']);
    assert.equal(cli([...base, '--shard', '2/2']).stdout.trim(), '3 runs up to date, 1 runs left to other shards');
    // Resuming shard 1 finds its run done in --out.
    assert.equal(cli([...base, '--shard', '1/2']).stdout.trim(), '4 runs up to date');
  } finally {
    rmSync(full, { recursive: true, force: true });
    rmSync(shard, { recursive: true, force: true });
  }
});
