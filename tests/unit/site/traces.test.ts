/**
 * src/site/traces.ts, the one path by which the site reads traces: every committed trace passes
 * its experiment's declared outputs; a renamed, missing or null summary key, a renamed series, a
 * malformed file or a file no run plans fails with the file, the field and the regenerate
 * command; the typed helpers (need, findRun, nonEmpty, asVariant) name what is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { asVariant, checkTraceDir, findRun, getTrace, getTraces, need, nonEmpty } from '../../../src/site/traces';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment, selectExperiments } from '../../../src/experiments/registry';
import { UV_PHASE_OUTPUTS, UV_TRAJECTORY_OUTPUTS } from '../../../src/experiments/uvCatapult';

const ROOT = resolve(import.meta.dirname, '../../..');
const TRACES = join(ROOT, 'content/traces');

/** A temp trace dir holding one committed trace, edited by `edit` (parsed JSON in, JSON out). */
function withEditedTrace(
  experiment: string,
  runKey: string,
  edit: (t: Record<string, any>) => void,
  body: (dir: string) => void,
) {
  const dir = mkdtempSync(join(tmpdir(), 'site-traces-'));
  try {
    mkdirSync(join(dir, experiment));
    const t = JSON.parse(readFileSync(join(TRACES, experiment, `${runKey}.json`), 'utf8'));
    edit(t);
    writeFileSync(join(dir, experiment, `${runKey}.json`), JSON.stringify(t));
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every committed paper trace is planned, fresh and matches its experiment’s declared outputs', () => {
  const expected = selectExperiments().reduce((s, e) => s + planExperiment(e, 'paper').length, 0);
  assert.equal(checkTraceDir({ dir: TRACES }).length, expected);
});

test('a renamed summary key fails naming the file, both fields and the regenerate command', () => {
  withEditedTrace(
    'shallow-eta-max',
    'm256-s0',
    (t) => {
      t.summary.etaMaxRatioMid = t.summary.etaMaxRatio;
      delete t.summary.etaMaxRatio;
    },
    (dir) =>
      assert.throws(
        () => getTrace('shallow-eta-max', 'm256-s0', { dir }),
        (e: Error) =>
          e.message.includes('m256-s0.json does not match the outputs shallow-eta-max declares') &&
          e.message.includes('field "summary.etaMaxRatio"') &&
          e.message.includes('field "summary.etaMaxRatioMid": not in the summary schema') &&
          e.message.includes('`npm run experiments -- --only shallow-eta-max --force`'),
      ),
  );
});

test('a null where the schema allows none, and a renamed series, fail naming the field', () => {
  withEditedTrace(
    'shallow-eta-max',
    'm256-s0',
    (t) => (t.summary.etaCrit = null),
    (dir) =>
      assert.throws(
        () => getTrace('shallow-eta-max', 'm256-s0', { dir }),
        /m256-s0\.json does not match .*field "summary\.etaCrit"/,
      ),
  );
  withEditedTrace(
    'shallow-eta-max',
    'm256-s0',
    (t) => {
      t.series.probeRatios = t.series.probeRatio;
      delete t.series.probeRatio;
    },
    (dir) =>
      assert.throws(
        () => getTrace('shallow-eta-max', 'm256-s0', { dir }),
        // The axis check (series lengths) or the outputs check may see it first; either names the series.
        /field "series\.\w+": .*"probeRatio"|field "series\.probeRatio": missing/,
      ),
  );
});

test('an experiment with two kinds of run reports the closest kind', () => {
  withEditedTrace(
    'uv-catapult',
    'phase-s0',
    (t) => delete t.summary.firstCatapultEtaLambda0,
    (dir) =>
      assert.throws(
        () => getTrace('uv-catapult', 'phase-s0', { dir }),
        /phase-s0\.json does not match the outputs uv-catapult declares \(closest: its phase runs\): field "summary\.firstCatapultEtaLambda0"/,
      ),
  );
});

test('checkTraceDir: a file no run plans, a malformed or a missing one fails naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'site-tracedir-'));
  try {
    cpSync(join(TRACES, 'shallow-eta-max'), join(dir, 'shallow-eta-max'), { recursive: true });
    assert.equal(checkTraceDir({ dir }).length, planExperiment(getExperiment('shallow-eta-max'), 'paper').length);
    cpSync(join(dir, 'shallow-eta-max', 'm256-s0.json'), join(dir, 'shallow-eta-max', 'm512-s0.json'));
    assert.throws(
      () => checkTraceDir({ dir }),
      /shallow-eta-max[/\\]m512-s0\.json: shallow-eta-max no longer has a run "m512-s0" in its paper profile; delete the file/,
    );
    rmSync(join(dir, 'shallow-eta-max', 'm512-s0.json'));
    writeFileSync(join(dir, 'shallow-eta-max', 'm1024-s1.json'), '{"schemaVersion": 1}');
    assert.throws(() => checkTraceDir({ dir }), /m1024-s1\.json: not a valid trace: field "experiment"/);
    rmSync(join(dir, 'shallow-eta-max', 'm1024-s1.json'));
    assert.throws(
      () => checkTraceDir({ dir }),
      /missing trace .*m1024-s1\.json; generate it with `npm run experiments -- --only shallow-eta-max( --out [^`]+)?`/,
    );
    mkdirSync(join(dir, 'no-such-experiment'));
    writeFileSync(join(dir, 'no-such-experiment', 'a-s0.json'), '{}');
    assert.throws(() => checkTraceDir({ dir }), /a-s0\.json: no registered experiment "no-such-experiment"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('typed helpers name the experiment, run and key that are missing', () => {
  const uv = getTraces('uv-catapult');
  const phase = asVariant(
    findRun(uv, 'phase of seed 0', (t) => t.runKey === 'phase-s0'),
    UV_PHASE_OUTPUTS,
  );
  assert.equal(typeof need(phase, 'firstCatapultEtaLambda0'), 'number');
  assert.throws(
    () => asVariant(phase, UV_TRAJECTORY_OUTPUTS),
    /uv-catapult\/phase-s0 is not one of its trajectory runs: .*field "summary\.eta"/,
  );
  assert.throws(() => findRun(uv, 'at η·λ0 = 7', () => false), /uv-catapult: no run at η·λ0 = 7 among traj-eta1-s0, /);
  const traj = asVariant(
    findRun(uv, 'lazy', (t) => t.runKey === 'traj-eta1-s0'),
    UV_TRAJECTORY_OUTPUTS,
  );
  assert.throws(
    () => need(traj, 'divergedAt'),
    /uv-catapult\/traj-eta1-s0: summary "divergedAt" is null where a value is needed/,
  );
  assert.throws(() => nonEmpty([], 'catapult runs'), /no catapult runs/);
});
