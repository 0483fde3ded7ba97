/**
 * The experiment pipeline: hashing, trace format, config validation, cache staleness, atomic
 * writes under failure, sharding + merge, model files, and the CLI end to end (quick profile).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { canonicalJson, configHash, sha256Hex } from '../../../src/experiments/hash';
import { planExperiment, parseShard, shardRuns } from '../../../src/experiments/plan';
import { getExperiment, EXPERIMENTS, selectExperiments } from '../../../src/experiments/registry';
import {
  carriedResultsSince,
  decodeSeries,
  encodeSeries,
  parseTraceText,
  serializeTrace,
  BASE64_MIN_LENGTH,
  TRACE_SCHEMA_VERSION,
} from '../../../src/experiments/trace';
import { evaluateModel } from '../../../src/experiments/modelFile';
import { UV_PHASE_OUTPUTS, UV_TRAJECTORY_OUTPUTS, uvCatapult } from '../../../src/experiments/uvCatapult';
import { pipelineSelftest } from '../../../src/experiments/pipelineSelftest';
import { writeFileAtomic } from '../../../scripts/pipeline/atomicWrite';
import { executeRun } from '../../../scripts/pipeline/executeRun';
import { assembleTrace, runPipeline, writeRunOutput } from '../../../scripts/pipeline/runPipeline';
import { cacheState, readTraceFile, tracePath } from '../../../scripts/pipeline/traceStore';
import { mergeTraceDirs } from '../../../scripts/pipeline/merge';
import { readModelFile, writeModelFile } from '../../../scripts/pipeline/modelFile';
import type { Reporter } from '../../../scripts/pipeline/progress';
import { asVariant, checkTraceDir, getTrace, getTraces, need } from '../../../src/site/traces';

const ROOT = resolve(import.meta.dirname, '../../..');
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `pipeline-${name}-`));
const META = { commit: 'test', tfjsVersion: 'test', sourceHash: 'a'.repeat(64) };
const silent: Reporter = { log() {}, start() {}, progress() {}, done() {}, fail() {}, stop() {} };
/** File text with the provenance block removed: everything else must be reproducible. */
const withoutProvenance = (text: string) => text.replace(/"provenance": \{[^}]*\}/, '"provenance": {}');

/** All trace/model files under dir as {relative path: text without provenance}. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const exp of readdirSync(dir).sort()) {
    for (const f of readdirSync(join(dir, exp)).sort())
      out[`${exp}/${f}`] = withoutProvenance(readFileSync(join(dir, exp, f), 'utf8'));
  }
  return out;
}

test('sha256Hex equals node:crypto and canonicalJson ignores key order', () => {
  for (const s of ['', 'abc', 'é'.repeat(70), JSON.stringify({ a: [1, 2.5, null] })]) {
    assert.equal(sha256Hex(s), createHash('sha256').update(s, 'utf8').digest('hex'));
  }
  assert.equal(
    canonicalJson({ b: 1, a: { y: [1, { q: 2, p: 1 }], x: 'z' } }),
    canonicalJson({ a: { x: 'z', y: [1, { p: 1, q: 2 }] }, b: 1 }),
  );
  assert.equal(canonicalJson({ b: 1, a: 2 }), '{"a":2,"b":1}');
});

test('series encoding: short arrays rounded to 7 digits, long arrays base64 float32, non-finite rejected by name', () => {
  assert.deepEqual(encodeSeries('x', [Math.PI, -0, 1e-30]), [3.141593, 0, 1e-30]);
  const long = Array.from({ length: BASE64_MIN_LENGTH + 5 }, (_, i) => Math.sin(i) * 10 ** (i % 9));
  const stored = encodeSeries('long', long);
  assert.ok(!Array.isArray(stored));
  const back = decodeSeries(stored);
  assert.equal(back.length, long.length);
  back.forEach((v, i) => assert.equal(v, Math.fround(long[i])));
  assert.throws(() => encodeSeries('loss', [1, 2, NaN]), /series "loss".*NaN at index 2.*diverged unexpectedly/);
  assert.throws(() => encodeSeries('loss', [1, Infinity]), /series "loss".*Infinity/);
});

test('same config and seed give byte-identical traces apart from provenance', async () => {
  for (const exp of [uvCatapult, pipelineSelftest]) {
    for (const run of planExperiment(exp, 'quick')) {
      const a = serializeTrace(assembleTrace(run, await executeRun(run), META));
      const b = serializeTrace(
        assembleTrace(run, await executeRun(run), { ...META, commit: 'other', tfjsVersion: 'other' }),
      );
      assert.notEqual(a, b, 'provenance differs');
      assert.equal(withoutProvenance(a), withoutProvenance(b), `${run.runKey} not reproducible`);
    }
  }
  // Different seeds must give different numbers, or the seed is not wired through.
  const [s0, s1] = planExperiment(uvCatapult, 'quick', { seeds: 2 }).filter((r) => r.runKey.startsWith('traj-eta3'));
  const [o0, o1] = [await executeRun(s0), await executeRun(s1)];
  assert.notDeepEqual(o0.series.loss, o1.series.loss);
});

test('a rerun that repeats a trace’s values keeps when they were first produced (provenance.resultsSince); new values do not', async () => {
  const [run] = planExperiment(uvCatapult, 'quick');
  const out = await executeRun(run);
  const dir = tmp('since');
  const commit = (c: string) => ({ ...META, commit: c.repeat(40) });
  const since = () => readTraceFile(tracePath(dir, run.experiment, run.runKey)).provenance.resultsSince;
  writeRunOutput(dir, run, out, commit('a'));
  assert.equal(since(), undefined, 'the first run produced its values');
  writeRunOutput(dir, run, out, commit('b'));
  assert.equal(since(), 'a'.repeat(40));
  writeRunOutput(dir, run, out, commit('c'));
  assert.equal(since(), 'a'.repeat(40), 'a third rerun still names the first');
  // an added field keeps it: every old value is still there, unchanged
  writeRunOutput(dir, run, { ...out, summary: { ...out.summary, added: null } }, commit('d'));
  assert.equal(since(), 'a'.repeat(40));
  const key = Object.keys(out.summary).find((k) => typeof out.summary[k] === 'number');
  assert.ok(key, 'a numeric summary field to change');
  writeRunOutput(
    dir,
    run,
    { ...out, summary: { ...out.summary, [key]: (out.summary[key] as number) + 1 } },
    commit('e'),
  );
  assert.equal(since(), undefined, 'a changed value is new');
  // the same file is not a rerun of itself: comparing it with itself carries nothing
  const same = readTraceFile(tracePath(dir, run.experiment, run.runKey));
  assert.equal(carriedResultsSince(same, same), undefined);
  rmSync(dir, { recursive: true, force: true });
});

test('changing any config field changes the hash; a changed profile marks stored traces stale', async () => {
  const [run] = planExperiment(uvCatapult, 'quick');
  const base = {
    experiment: run.experiment,
    schemaVersion: TRACE_SCHEMA_VERSION,
    runKey: run.runKey,
    config: run.config,
    seed: run.seed,
  };
  assert.equal(configHash(base), run.configHash);
  for (const [k, v] of Object.entries(run.config)) {
    const changed = typeof v === 'number' ? v + 1 : typeof v === 'string' ? v + 'x' : [v];
    assert.notEqual(configHash({ ...base, config: { ...run.config, [k]: changed } }), run.configHash, `field ${k}`);
  }
  assert.notEqual(configHash({ ...base, seed: run.seed + 1 }), run.configHash);
  assert.notEqual(configHash({ ...base, runKey: run.runKey + 'x' }), run.configHash);
  assert.notEqual(configHash({ ...base, schemaVersion: TRACE_SCHEMA_VERSION + 1 }), run.configHash);

  // Every top-level profile field reaches the planned configs of the runs it concerns.
  const quick = uvCatapult.profiles.quick as Record<string, unknown>;
  const before = planExperiment(uvCatapult, 'quick');
  for (const [field, changed] of Object.entries({
    m: 101,
    steps: 61,
    divergeAbove: 1e9,
    etaLambda0: [1, 3, 4.6],
    phase: { from: 0.5, to: 5, count: 10, steps: 201 },
  })) {
    const after = planExperiment(uvCatapult, 'quick', { config: { ...quick, [field]: changed } });
    const moved = after.filter((r) => before.find((b) => b.runKey === r.runKey)?.configHash !== r.configHash);
    assert.ok(moved.length > 0, `changing ${field} must make some trace stale`);
  }

  const dir = tmp('stale');
  try {
    const r = await runPipeline({ only: ['uv-catapult'], profile: 'paper', outDir: dir, jobs: 1, reporter: silent });
    assert.equal(r.failures.length, 0);
    assert.equal(getTraces('uv-catapult', { dir }).length, r.planned);
    // Same runs, one field changed: stored traces are stale for the cache and for the build.
    const r2 = await runPipeline({
      only: ['uv-catapult'],
      profile: 'paper',
      outDir: dir,
      jobs: 1,
      reporter: silent,
      overrides: { 'uv-catapult': { m: 999 } },
    });
    assert.equal(r2.upToDate, 0);
    assert.throws(
      () => getTrace('uv-catapult', 'traj-eta3-s0', { dir }),
      (e: Error) =>
        e.message.includes('traj-eta3-s0.json is stale') &&
        e.message.includes('npm run experiments -- --only uv-catapult'),
    );
    for (const run of planExperiment(uvCatapult, 'paper')) assert.equal(cacheState(dir, run).state, 'stale');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unknown experiments and invalid fields give errors naming the field and the fix', () => {
  assert.throws(() => getExperiment('uv-catapul'), /unknown experiment "uv-catapul".*uv-catapult/);
  const quickUv = uvCatapult.profiles.quick as Record<string, unknown>;
  assert.throws(
    () => planExperiment(uvCatapult, 'quick', { config: { ...quickUv, m: -5 } }),
    /field "m": width.*≥ 1.*\(got -5\)/,
  );
  assert.throws(
    () => planExperiment(uvCatapult, 'quick', { config: { ...quickUv, mm: 3 } }),
    /field "mm": unknown field/,
  );
  const quick = pipelineSelftest.profiles.quick as Record<string, unknown>;
  assert.throws(
    () => planExperiment(pipelineSelftest, 'quick', { config: { ...quick, batchSizes: [4, 32] } }),
    /field "batchSizes\.1": batch size 32 is larger than the number of training points n = 16; use batchSize ≤ 16/,
  );
  assert.throws(
    () => planExperiment(pipelineSelftest, 'quick', { config: { ...quick, optimizer: 'rmsprop' } }),
    /field "optimizer": unknown optimizer "rmsprop"; use one of gd, sgd, momentum, adam/,
  );
  assert.throws(() => planExperiment(pipelineSelftest, 'quick', { config: { ...quick, width: 0 } }), /field "width"/);
  assert.throws(() => parseShard('3/2'), /--shard must look like i\/N/);
  // Every registered profile is valid and run keys are unique.
  for (const exp of EXPERIMENTS)
    for (const p of ['paper', 'quick'] as const) assert.ok(planExperiment(exp, p).length > 0);
});

test('a corrupt or malformed trace file gives an error naming it; the pipeline reruns it', async () => {
  const dir = tmp('corrupt');
  try {
    await runPipeline({ only: ['uv-catapult'], profile: 'paper', outDir: dir, jobs: 1, reporter: silent });
    const path = tracePath(dir, 'uv-catapult', 'phase-s1');
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.slice(0, good.length / 2));
    assert.throws(
      () => getTrace('uv-catapult', 'phase-s1', { dir }),
      (e: Error) =>
        e.message.includes('phase-s1.json: not valid JSON') &&
        e.message.includes('npm run experiments -- --only uv-catapult'),
    );
    writeFileSync(path, good.replace('"series"', '"serie"'));
    assert.throws(
      () => getTrace('uv-catapult', 'phase-s1', { dir }),
      /phase-s1\.json: not a valid trace: field "series"/,
    );
    // A hand-edited config no longer matches its own hash: refused by the build, rerun by the CLI.
    writeFileSync(path, good.replace('"m": 1000', '"m": 1001'));
    assert.throws(
      () => getTrace('uv-catapult', 'phase-s1', { dir }),
      /phase-s1\.json is inconsistent: its config does not hash to its configHash/,
    );
    assert.equal(
      cacheState(
        dir,
        planExperiment(uvCatapult, 'paper').find((r) => r.runKey === 'phase-s1')!,
      ).state,
      'corrupt',
    );
    rmSync(path);
    assert.throws(
      () => getTrace('uv-catapult', 'phase-s1', { dir }),
      /missing trace .*phase-s1\.json; generate it with `npm run experiments -- --only uv-catapult --out /,
    );
    writeFileSync(path, '{ nope');
    const [run] = planExperiment(uvCatapult, 'paper').filter((r) => r.runKey === 'phase-s1');
    assert.equal(cacheState(dir, run).state, 'corrupt');
    const r = await runPipeline({ only: ['uv-catapult'], profile: 'paper', outDir: dir, jobs: 1, reporter: silent });
    assert.equal(r.written.length, 1);
    assert.equal(withoutProvenance(readFileSync(path, 'utf8')), withoutProvenance(good));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing or diverging run is reported by name, writes nothing, and keeps every other result', async () => {
  const dir = tmp('fail');
  try {
    const r = await runPipeline({
      only: ['pipeline-selftest'],
      profile: 'quick',
      outDir: dir,
      jobs: 2,
      reporter: silent,
      overrides: { 'pipeline-selftest': { failOn: ['b4'], nanOn: ['b16'], seeds: 1 } },
    });
    assert.deepEqual(r.failures.map((f) => f.run).sort(), ['pipeline-selftest/b16-s0', 'pipeline-selftest/b4-s0']);
    const msg = Object.fromEntries(r.failures.map((f) => [f.run, f.message]));
    assert.match(
      msg['pipeline-selftest/b4-s0'],
      /pipeline-selftest\/b4-s0 failed: pipeline-selftest: deliberate failure at step 10/,
    );
    assert.match(msg['pipeline-selftest/b16-s0'], /b16-s0 failed: series "loss" has non-finite value NaN at index 19/);
    assert.equal(existsSync(join(dir, 'pipeline-selftest')), false);

    const ok = await runPipeline({
      only: ['pipeline-selftest'],
      profile: 'quick',
      outDir: dir,
      jobs: 2,
      reporter: silent,
      overrides: { 'pipeline-selftest': { failOn: ['b4'] } },
    });
    assert.equal(ok.failures.length, 2);
    assert.deepEqual(readdirSync(join(dir, 'pipeline-selftest')).sort(), [
      'b16-s0.json',
      'b16-s0.model.json',
      'b16-s1.json',
      'b16-s1.model.json',
    ]);

    // A run that kills its worker thread fails alone; the pool replaces the worker and finishes the rest.
    const crashDir = join(dir, 'crash');
    const crash = await runPipeline({
      only: ['pipeline-selftest'],
      profile: 'quick',
      outDir: crashDir,
      jobs: 1,
      reporter: silent,
      overrides: { 'pipeline-selftest': { crashOn: ['b4'], seeds: 1 } },
    });
    assert.equal(crash.failures.length, 1);
    assert.match(
      crash.failures[0].message,
      /pipeline-selftest\/b4-s0 failed: worker crashed \(pipeline-selftest: deliberate crash\)/,
    );
    assert.deepEqual(readdirSync(join(crashDir, 'pipeline-selftest')).sort(), ['b16-s0.json', 'b16-s0.model.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('atomic writes: a crash before the rename leaves the old file intact and no partial file', () => {
  const dir = tmp('atomic');
  try {
    const path = join(dir, 'exp', 'run.json');
    writeFileAtomic(path, 'old\n');
    assert.throws(
      () =>
        writeFileAtomic(path, 'new'.repeat(1e5), {
          beforeRename() {
            throw new Error('simulated crash');
          },
        }),
      /simulated crash/,
    );
    assert.equal(readFileSync(path, 'utf8'), 'old\n');
    assert.deepEqual(readdirSync(join(dir, 'exp')), ['run.json']);

    // A process killed (SIGKILL) between writing the temp file and renaming it.
    const script = `import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'scripts/pipeline/atomicWrite.ts'))};
      writeFileAtomic(${JSON.stringify(join(dir, 'exp', 'killed.json'))}, 'x'.repeat(1e6), { beforeRename() { process.kill(process.pid, 'SIGKILL'); } });`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(child.signal, 'SIGKILL');
    assert.equal(existsSync(join(dir, 'exp', 'killed.json')), false);
    // Whatever is left behind is a hidden temp file that no trace reader or glob picks up.
    for (const f of readdirSync(join(dir, 'exp')))
      assert.ok(f === 'run.json' || (f.startsWith('.killed.json.') && f.endsWith('.tmp')), f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two shards merged equal one unsharded run; conflicting duplicates are refused', async () => {
  const all = planExperiment(uvCatapult, 'quick', { seeds: 2 });
  const s1 = shardRuns(all, { index: 1, count: 2 });
  const s2 = shardRuns(all, { index: 2, count: 2 });
  assert.equal(s1.length + s2.length, all.length);
  assert.deepEqual([...s1, ...s2].map((r) => r.runKey).sort(), all.map((r) => r.runKey).sort());

  const [a, b, whole, merged] = ['a', 'b', 'whole', 'merged'].map(tmp);
  try {
    const opts = {
      only: ['uv-catapult', 'pipeline-selftest'],
      profile: 'quick' as const,
      seeds: 2,
      jobs: 2,
      reporter: silent,
    };
    await runPipeline({ ...opts, outDir: a, shard: { index: 1, count: 2 } });
    await runPipeline({ ...opts, outDir: b, shard: { index: 2, count: 2 } });
    await runPipeline({ ...opts, outDir: whole });
    const res = mergeTraceDirs([a, b, a], merged);
    assert.ok(res.duplicates > 0);
    const expected = snapshot(whole);
    assert.ok(Object.keys(expected).length >= 12);
    assert.deepEqual(snapshot(merged), expected);

    const conflicting = tmp('conflict');
    cpSync(a, conflicting, { recursive: true });
    const [victim] = readdirSync(join(conflicting, 'uv-catapult')).filter((f) => f.endsWith('.json'));
    const p = join(conflicting, 'uv-catapult', victim);
    const tampered = JSON.parse(readFileSync(p, 'utf8'));
    // A value no semantic check can judge (etaLambda0 must equal the config's grid, so it is not that one).
    const plausible = 'finalLambdaRatio' in tampered.series ? 'finalLambdaRatio' : 'lambda';
    tampered.series[plausible][0] += 1;
    writeFileSync(p, JSON.stringify(tampered));
    assert.throws(
      () => mergeTraceDirs([a, conflicting], tmp('refused')),
      new RegExp(
        `conflicting results for uv-catapult/${victim.replace('.json', '')}.*same config but different numbers`,
      ),
    );
  } finally {
    for (const d of [a, b, whole, merged]) rmSync(d, { recursive: true, force: true });
  }
});

test('model files: written atomically, read back validated, f(x) = (1/√m) Σ v_j relu(U_j·x/√d)', () => {
  const dir = tmp('model');
  try {
    const path = join(dir, 'rank2', 'b5-s0.model.json');
    const U = new Float32Array([1, 0, 0.5, -1, 2, 0]); // m = 2 rows of d = 3, row-major
    writeModelFile(path, {
      d: 3,
      m: 2,
      U,
      v: [2, -1],
      task: 'rank2',
      metrics: { agopAlignment: 0.9, testLoss: 0.4, trainLoss: 0.01 },
    });
    const model = readModelFile(path);
    assert.deepEqual(Object.keys(model), ['kind', 'd', 'm', 'bias', 'U', 'v', 'task', 'metrics']);
    assert.deepEqual(model.U, [
      [1, 0, 0.5],
      [-1, 2, 0],
    ]);
    const x = [2, 1, -2];
    // Row 1: (2 − 1)/√3 > 0; row 2: (−2 + 2)/√3 = 0 → relu 0.
    assert.ok(Math.abs(evaluateModel(model, x) - (2 * (1 / Math.sqrt(3))) / Math.sqrt(2)) < 1e-12);
    writeFileSync(path, JSON.stringify({ ...model, v: [1] }));
    assert.throws(
      () => readModelFile(path),
      /b5-s0\.model\.json: not a valid model file: field "v": v has 1 entries but m = 2/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('committed uv-catapult traces are fresh and show lazy, catapult and divergent regimes', () => {
  const traces = getTraces('uv-catapult', { dir: join(ROOT, 'content/traces') });
  const trajectories = traces
    .filter((t) => t.runKey.startsWith('traj-'))
    .map((t) => asVariant(t, UV_TRAJECTORY_OUTPUTS));
  const bySummary = (k: string) =>
    trajectories.filter((t) => t.runKey.startsWith(k)).map((t) => t.summary.observedOutcome);
  assert.deepEqual(new Set(bySummary('traj-eta1-')), new Set(['lazy']));
  assert.deepEqual(new Set(bySummary('traj-eta3-')), new Set(['catapult']));
  assert.deepEqual(new Set(bySummary('traj-eta4p5-')), new Set(['divergent']));
  for (const t of trajectories.filter((t) => t.runKey.startsWith('traj-eta3-'))) {
    // Catapult: loss rises then converges, and ηλ ends below 2 (the kernel moved).
    assert.ok(t.summary.peakLoss > 10 * t.series.loss[0]);
    assert.ok(t.summary.finalEtaLambda < 2);
  }
  for (const t of traces.filter((t) => t.runKey.startsWith('phase-')).map((t) => asVariant(t, UV_PHASE_OUTPUTS))) {
    assert.ok(Math.abs(need(t, 'firstCatapultEtaLambda0') - 2) <= 0.1);
    assert.ok(Math.abs(need(t, 'firstDivergentEtaLambda0') - 4) <= 0.1);
  }
});

test('CLI end to end on the quick profile: writes traces, then finds them up to date', async () => {
  const dir = tmp('cli');
  const run = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'scripts/experiments.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  try {
    // Every default experiment's quick profile, however many the registry holds.
    const expected = selectExperiments().reduce((s, e) => s + planExperiment(e, 'quick').length, 0);
    const first = await run(['--profile', 'quick', '--out', dir, '--jobs', '2']);
    assert.match(first.stdout, new RegExp(`${expected} runs written, 0 runs up to date, 0 failed`));
    assert.deepEqual(readdirSync(join(dir, 'uv-catapult')).sort(), [
      'phase-s0.json',
      'traj-eta1-s0.json',
      'traj-eta3-s0.json',
      'traj-eta4p5-s0.json',
    ]);
    for (const f of readdirSync(join(dir, 'uv-catapult')))
      parseTraceText(readFileSync(join(dir, 'uv-catapult', f), 'utf8'), f);
    // Every experiment's run output matches the summary schema and series names it declares.
    assert.equal(checkTraceDir({ dir, profile: 'quick' }).length, expected);
    const second = await run(['--profile', 'quick', '--out', dir]);
    assert.equal(second.stdout.trim(), `${expected} runs up to date`);
    const list = await run(['list']);
    assert.match(list.stdout, /uv-catapult[\s\S]*pipeline-selftest/);
    await assert.rejects(
      run(['--only', 'nope', '--out', dir]),
      (e: { code: number; stderr: string }) => e.code === 2 && /unknown experiment "nope"/.test(e.stderr),
    );
    await assert.rejects(
      run(['--shard', '0/2', '--out', dir]),
      (e: { code: number; stderr: string }) => e.code !== 0 && /--shard must look like i\/N/.test(e.stderr),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
