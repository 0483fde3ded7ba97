/**
 * Traces cannot lie: each corruption of a real (quick-profile) trace or model file is refused by
 * the site's reader (src/site/traces.ts) and by `merge`, with a message that names the file, the
 * field and the command that fixes it. Uses only long-standing entry points (getTrace,
 * getModelFiles, mergeTraceDirs, runPipeline), so the suite also runs against older code.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../../scripts/pipeline/runPipeline';
import { mergeTraceDirs } from '../../../scripts/pipeline/merge';
import type { Reporter } from '../../../scripts/pipeline/progress';
import { getModelFiles, getTrace } from '../../../src/site/traces';
import { bytesToBase64 } from '../../../src/experiments/trace';

const silent: Reporter = { log() {}, start() {}, progress() {}, done() {}, fail() {}, stop() {} };
let base = '';
const scratch: string[] = [];
const tmp = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `corrupt-${name}-`));
  scratch.push(d);
  return d;
};

before(async () => {
  base = tmp('base');
  const r = await runPipeline({
    only: ['uv-catapult', 'pipeline-selftest'],
    profile: 'quick',
    outDir: base,
    jobs: 1,
    reporter: silent,
  });
  assert.equal(r.failures.length, 0);
});
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

const UV = 'uv-catapult/traj-eta3-s0.json';
const MODEL_TRACE = 'pipeline-selftest/b4-s0.json';
const MODEL = 'pipeline-selftest/b4-s0.model.json';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const editJson = (dir: string, rel: string, f: (t: Json) => void) => {
  const t = JSON.parse(readFileSync(join(dir, rel), 'utf8'));
  f(t);
  writeFileSync(join(dir, rel), JSON.stringify(t, null, 2));
};
const editText = (dir: string, rel: string, f: (s: string) => string) =>
  writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));
/** Stores series `name` as base64 float32 (what long series use), optionally with bytes changed. */
const toBase64 = (t: Json, name: string, patch: (dv: DataView) => void = () => {}) => {
  const xs: number[] = t.series[name];
  const bytes = new Uint8Array(xs.length * 4);
  const dv = new DataView(bytes.buffer);
  xs.forEach((x, i) => dv.setFloat32(4 * i, x, true));
  patch(dv);
  t.series[name] = { dtype: 'float32', length: xs.length, base64: bytesToBase64(bytes) };
};

const readUv = (dir: string) => () => getTrace('uv-catapult', 'traj-eta3-s0', { dir, profile: 'quick' });
const readSelftest = (dir: string) => () => getTrace('pipeline-selftest', 'b4-s0', { dir, profile: 'quick' });
const readModels = (exp: string) => (dir: string) => () => getModelFiles(exp, { dir, profile: 'quick' });

interface Case {
  name: string;
  /** File the message must name (relative to the traces folder). */
  file: string;
  /** Text naming the field (or the kind of problem when the file as a whole is bad). */
  field: string;
  corrupt(dir: string): void;
  read: (dir: string) => () => unknown;
}

const CASES: Case[] = [
  {
    name: 'JSON array instead of an object',
    file: UV,
    field: 'field "(root)"',
    corrupt: (d) => writeFileSync(join(d, UV), '[1, 2]'),
    read: readUv,
  },
  {
    name: 'JSON null',
    file: UV,
    field: 'field "(root)"',
    corrupt: (d) => writeFileSync(join(d, UV), 'null'),
    read: readUv,
  },
  {
    name: 'JSON number',
    file: UV,
    field: 'field "(root)"',
    corrupt: (d) => writeFileSync(join(d, UV), '42'),
    read: readUv,
  },
  {
    name: 'empty file',
    file: UV,
    field: 'not valid JSON',
    corrupt: (d) => writeFileSync(join(d, UV), ''),
    read: readUv,
  },
  {
    name: 'truncated JSON',
    file: UV,
    field: 'not valid JSON',
    corrupt: (d) => editText(d, UV, (s) => s.slice(0, 400)),
    read: readUv,
  },
  {
    name: 'seed is a string',
    file: UV,
    field: 'field "seed"',
    corrupt: (d) => editJson(d, UV, (t) => (t.seed = '0')),
    read: readUv,
  },
  {
    name: 'series is a string',
    file: UV,
    field: 'field "series.loss"',
    corrupt: (d) => editJson(d, UV, (t) => (t.series.loss = 'abc')),
    read: readUv,
  },
  {
    name: 'series element is a string',
    file: UV,
    field: 'field "series.loss"',
    corrupt: (d) => editJson(d, UV, (t) => (t.series.loss[3] = '1.5')),
    read: readUv,
  },
  {
    name: 'series element is null',
    file: UV,
    field: 'field "series.loss"',
    corrupt: (d) => editJson(d, UV, (t) => (t.series.loss[3] = null)),
    read: readUv,
  },
  {
    name: 'summary value is an object',
    file: UV,
    field: 'field "summary.peakLoss"',
    corrupt: (d) => editJson(d, UV, (t) => (t.summary.peakLoss = { v: 1 })),
    read: readUv,
  },
  {
    name: 'summary number 1e999 (reads as Infinity)',
    file: UV,
    field: 'field "summary.peakLoss"',
    corrupt: (d) => editText(d, UV, (s) => s.replace(/"peakLoss": [^,\n]+/, '"peakLoss": 1e999')),
    read: readUv,
  },
  {
    name: 'series value -1e999 (reads as -Infinity)',
    file: UV,
    field: 'field "series.loss[0]"',
    corrupt: (d) => editText(d, UV, (s) => s.replace(/"loss": \[[^,]+/, '"loss": [-1e999')),
    read: readUv,
  },
  {
    name: 'base64 series holding NaN',
    file: UV,
    field: 'field "series.loss[3]"',
    corrupt: (d) => editJson(d, UV, (t) => toBase64(t, 'loss', (dv) => dv.setFloat32(12, NaN, true))),
    read: readUv,
  },
  {
    name: 'truncated base64',
    file: UV,
    field: 'field "series.loss.base64"',
    corrupt: (d) =>
      editJson(d, UV, (t) => {
        toBase64(t, 'loss');
        t.series.loss.base64 = t.series.loss.base64.slice(0, 101);
      }),
    read: readUv,
  },
  {
    name: 'base64 cut at a 4-character boundary (fewer values than length)',
    file: UV,
    field: 'field "series.loss.length"',
    corrupt: (d) =>
      editJson(d, UV, (t) => {
        toBase64(t, 'loss');
        t.series.loss.base64 = t.series.loss.base64.slice(0, 96);
      }),
    read: readUv,
  },
  {
    name: 'invalid base64 character',
    file: UV,
    field: 'field "series.loss.base64"',
    corrupt: (d) =>
      editJson(d, UV, (t) => {
        toBase64(t, 'loss');
        t.series.loss.base64 = '!' + t.series.loss.base64.slice(1);
      }),
    read: readUv,
  },
  {
    name: 'wrong length field',
    file: UV,
    field: 'field "series.loss.length"',
    corrupt: (d) =>
      editJson(d, UV, (t) => {
        toBase64(t, 'loss');
        t.series.loss.length += 1;
      }),
    read: readUv,
  },
  {
    name: 'length field is a string',
    file: UV,
    field: 'field "series.loss"',
    corrupt: (d) =>
      editJson(d, UV, (t) => {
        toBase64(t, 'loss');
        t.series.loss.length = String(t.series.loss.length);
      }),
    read: readUv,
  },
  {
    name: 'missing series',
    file: UV,
    field: 'field "series.loss"',
    corrupt: (d) => editJson(d, UV, (t) => delete t.series.loss),
    read: readUv,
  },
  {
    name: 'series one value short of its axis',
    file: UV,
    field: 'field "series.loss"',
    corrupt: (d) => editJson(d, UV, (t) => t.series.loss.pop()),
    read: readUv,
  },
  {
    name: 'axis series missing',
    file: UV,
    field: 'field "series.loss"',
    corrupt: (d) => editJson(d, UV, (t) => delete t.series.step),
    read: readUv,
  },
  {
    name: 'provenance missing',
    file: UV,
    field: 'field "provenance"',
    corrupt: (d) => editJson(d, UV, (t) => delete t.provenance),
    read: readUv,
  },
  {
    name: 'config edited by hand',
    file: UV,
    field: 'configHash',
    corrupt: (d) => editJson(d, UV, (t) => (t.config.m += 1)),
    read: readUv,
  },
  {
    name: 'file holds another run',
    file: UV,
    field: 'field "runKey"',
    corrupt: (d) => editJson(d, UV, (t) => (t.runKey = 'traj-eta1-s0')),
    read: readUv,
  },
  {
    name: 'summary.modelFile names another file',
    file: MODEL_TRACE,
    field: 'field "summary.modelFile"',
    corrupt: (d) => editJson(d, MODEL_TRACE, (t) => (t.summary.modelFile = 'b16-s0.model.json')),
    read: readSelftest,
  },
  {
    name: 'summary.modelFile is a number',
    file: MODEL_TRACE,
    field: 'field "summary.modelFile"',
    corrupt: (d) => editJson(d, MODEL_TRACE, (t) => (t.summary.modelFile = 5)),
    read: readSelftest,
  },
  {
    name: 'model file named by the summary is missing',
    file: MODEL,
    field: 'field "summary.modelFile"',
    corrupt: (d) => rmSync(join(d, MODEL)),
    read: readSelftest,
  },
  {
    name: 'model weight 1e999',
    file: MODEL,
    field: 'field "v.0"',
    corrupt: (d) => editText(d, MODEL, (s) => s.replace(/"v": \[[^,\]]+/, '"v": [1e999')),
    read: readSelftest,
  },
  {
    name: 'truncated model file',
    file: MODEL,
    field: 'not valid JSON',
    corrupt: (d) => editText(d, MODEL, (s) => s.slice(0, 60)),
    read: readSelftest,
  },
  {
    name: 'orphan model file (its trace names none)',
    file: 'uv-catapult/phase-s0.model.json',
    field: 'orphan model file',
    corrupt: (d) => copyFileSync(join(d, MODEL), join(d, 'uv-catapult/phase-s0.model.json')),
    read: readModels('uv-catapult'),
  },
  {
    name: 'orphan model file of no run',
    file: 'pipeline-selftest/b99-s0.model.json',
    field: 'orphan model file',
    corrupt: (d) => copyFileSync(join(d, MODEL), join(d, 'pipeline-selftest/b99-s0.model.json')),
    read: readModels('pipeline-selftest'),
  },
];

test('the uncorrupted fixture reads cleanly, also with a series stored as base64', () => {
  const dir = tmp('clean');
  cpSync(base, dir, { recursive: true });
  editJson(dir, UV, (t) => toBase64(t, 'loss'));
  assert.equal(
    (readUv(dir)().series as Record<string, number[]>).loss.length,
    JSON.parse(readFileSync(join(base, UV), 'utf8')).series.loss.length,
  );
  assert.equal(readModels('pipeline-selftest')(dir)().length, 4);
  assert.doesNotThrow(() => mergeTraceDirs([dir], tmp('clean-out')));
});

for (const c of CASES) {
  test(`corruption: ${c.name} — reader and merge name ${c.file} and ${c.field}`, () => {
    const dir = tmp('case');
    cpSync(base, dir, { recursive: true });
    c.corrupt(dir);
    const names = (where: string) => (e: Error) => {
      assert.ok(e.message.includes(c.file), `${where}: message does not name ${c.file}: ${e.message}`);
      assert.ok(e.message.includes(c.field), `${where}: message does not name ${c.field}: ${e.message}`);
      return true;
    };
    assert.throws(c.read(dir), (e: Error) => {
      names('reader')(e);
      assert.match(e.message, /npm run experiments -- --only [a-z-]+/, `reader: no command to fix it: ${e.message}`);
      return true;
    });
    assert.throws(() => mergeTraceDirs([dir], tmp('case-out')), names('merge'));
  });
}
