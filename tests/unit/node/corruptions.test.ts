/**
 * Corruptions of committed paper traces that a reader must refuse: duplicated keys, files that are
 * not regular files, impossible numbers (negative counts, steps out of order or outside the run,
 * peaks outside the series, truncated series, absurd magnitudes), a quick-profile or `+dirty` trace
 * in content/traces, a swapped or edited model file. Each case copies real traces from
 * content/traces into a scratch folder, corrupts them and reads them the way the site build does
 * (getTrace) and the way `status` and the pipeline do (cacheState): both must refuse, naming the file
 * and the field. Uses only long-standing entry points, so the suite also runs against older code.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTrace } from '../../../src/site/traces';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';
import { decodeSeries, encodeSeries } from '../../../src/experiments/trace';
import { cacheState } from '../../../scripts/pipeline/traceStore';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const COMMITTED = join(REPO, 'content/traces');
const scratch: string[] = [];
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/**
 * A scratch folder holding copies of the given committed runs (and their model files). With
 * `asRepo`, the folder is laid out as a checkout (`<root>/content/traces`, with the file that marks
 * a project root), so it counts as the content/traces a site build reads.
 */
function fixture(runs: string[], opts: { asRepo?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'corruption-'));
  scratch.push(root);
  let dir = root;
  if (opts.asRepo) {
    mkdirSync(join(root, 'src/experiments'), { recursive: true });
    writeFileSync(join(root, 'src/experiments/registry.ts'), '');
    dir = join(root, 'content/traces');
  }
  for (const r of runs) {
    const [exp] = r.split('/');
    mkdirSync(join(dir, exp), { recursive: true });
    copyFileSync(join(COMMITTED, `${r}.json`), join(dir, `${r}.json`));
    const t = JSON.parse(readFileSync(join(COMMITTED, `${r}.json`), 'utf8'));
    if (typeof t.summary.modelFile === 'string')
      copyFileSync(join(COMMITTED, exp, t.summary.modelFile), join(dir, exp, t.summary.modelFile));
  }
  return dir;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const editJson = (dir: string, rel: string, f: (t: Json) => void) => {
  const t = JSON.parse(readFileSync(join(dir, rel), 'utf8'));
  f(t);
  writeFileSync(join(dir, rel), JSON.stringify(t, null, 2) + '\n');
};
const editText = (dir: string, rel: string, f: (s: string) => string) => {
  const before = readFileSync(join(dir, rel), 'utf8');
  const after = f(before);
  assert.notEqual(after, before, `the corruption of ${rel} changed nothing`);
  writeFileSync(join(dir, rel), after);
};
/** Rewrites every series of a trace through `f` (decoded values in, values out; re-encoded as the writer would). */
const mapSeries = (t: Json, f: (name: string, xs: number[]) => number[]) => {
  for (const [k, v] of Object.entries(t.series)) t.series[k] = encodeSeries(k, f(k, decodeSeries(v as never)));
};

const GD = 'shallow-gd-regimes/grid-m1024-eta0p5-s0'; // GD, no divergence, 400 steps
const ANATOMY = 'sgd-spike-anatomy/large-s0'; // SGD with 7 spikes, 400 steps, batchIndices in base64
const SWEEP = 'agop-batch-sweep/rank2-b50-s0'; // SGD to a stop rule, catapult peaks, a model file
const MODEL_A = 'optimizer-alignment/mnist01-adam-r0p001-s0';
const MODEL_B = 'optimizer-alignment/mnist01-adam-r0p003-s0';

function plannedRun(rel: string) {
  const [exp, runKey] = rel.split('/');
  const run = planExperiment(getExperiment(exp), 'paper').find((r) => r.runKey === runKey);
  assert.ok(run, `no paper run ${rel}`);
  return run;
}
const read = (dir: string, rel: string) => {
  const [exp, runKey] = rel.split('/');
  return getTrace(exp, runKey, { dir });
};

interface Case {
  name: string;
  /** The run that is read (experiment/runKey). */
  run: string;
  /** Other committed runs the fixture needs. */
  with?: string[];
  asRepo?: boolean;
  /** File the message must name, relative to the traces folder (default: the run's trace). */
  file?: string;
  /** Text naming the field. */
  field: string | RegExp;
  corrupt(dir: string): void;
}

const CASES: Case[] = [
  {
    name: 'a duplicated key in summary (JSON keeps the last copy)',
    run: ANATOMY,
    field: 'summary.spikes',
    corrupt: (d) => editText(d, `${ANATOMY}.json`, (s) => s.replace(/("spikes": \d+,)/, '"spikes": 0,\n    $1')),
  },
  {
    name: 'a duplicated series',
    run: GD,
    field: 'series.loss',
    corrupt: (d) =>
      editText(d, `${GD}.json`, (s) =>
        s.replace(/\n {4}"loss": (\[[^\]]*\]),/, (m, xs) => `${m}\n    "loss": ${xs.replace(/^\[[\d.e+-]+/, '[1')},`),
      ),
  },
  {
    name: 'a loss series of 1e300s in a run that did not diverge',
    run: GD,
    field: 'series.loss',
    corrupt: (d) => editJson(d, `${GD}.json`, (t) => (t.series.loss = t.series.loss.map(() => 1e300))),
  },
  {
    name: 'a negative count',
    run: ANATOMY,
    field: 'summary.spikesStartingAbove',
    corrupt: (d) => editJson(d, `${ANATOMY}.json`, (t) => (t.summary.spikesStartingAbove = -1)),
  },
  {
    name: 'negative step numbers',
    run: GD,
    field: 'series.step',
    corrupt: (d) => editJson(d, `${GD}.json`, (t) => (t.series.step = t.series.step.map((s: number) => s - 10))),
  },
  {
    name: 'scrambled step numbers',
    run: GD,
    field: 'series.step',
    corrupt: (d) =>
      editJson(d, `${GD}.json`, (t) => {
        [t.series.step[3], t.series.step[4]] = [t.series.step[4], t.series.step[3]];
      }),
  },
  {
    name: 'a spike peak step outside the run (series)',
    run: ANATOMY,
    field: 'series.spikePeak',
    corrupt: (d) => editJson(d, `${ANATOMY}.json`, (t) => (t.series.spikePeak[t.series.spikePeak.length - 1] = 5000)),
  },
  {
    name: 'a spike peak step outside the run (summary)',
    run: ANATOMY,
    field: 'summary.largestSpikePeak',
    corrupt: (d) => editJson(d, `${ANATOMY}.json`, (t) => (t.summary.largestSpikePeak = 4000)),
  },
  {
    name: 'a catapult peak past the last recorded step',
    run: SWEEP,
    field: 'series.catapultPeaks',
    corrupt: (d) =>
      editJson(d, `${SWEEP}.json`, (t) => {
        const last = decodeSeries(t.series.step).at(-1)!;
        t.series.catapultPeaks = [...t.series.catapultPeaks, last + 1000];
      }),
  },
  {
    name: 'every series truncated to the same shorter length',
    run: GD,
    field: 'series.',
    corrupt: (d) => editJson(d, `${GD}.json`, (t) => mapSeries(t, (_, xs) => xs.slice(0, 150))),
  },
  {
    name: 'every series of an SGD run truncated to the same shorter length (base64 included)',
    run: ANATOMY,
    field: 'series.',
    corrupt: (d) =>
      editJson(d, `${ANATOMY}.json`, (t) =>
        mapSeries(t, (k, xs) =>
          ['step', 'trainLoss', 'batchLoss', 'etaBar', 'batchCrit', 'pl', 'plPerp', 'plTotal'].includes(k)
            ? xs.slice(0, 300)
            : xs,
        ),
      ),
  },
  {
    name: 'a quick-profile trace in content/traces',
    run: GD,
    asRepo: true,
    field: 'profile',
    corrupt: (d) => editJson(d, `${GD}.json`, (t) => (t.profile = 'quick')),
  },
  {
    name: 'a trace in content/traces whose provenance says +dirty',
    run: GD,
    asRepo: true,
    field: 'provenance.commit',
    corrupt: (d) => editJson(d, `${GD}.json`, (t) => (t.provenance.commit = `${t.provenance.commit}+dirty`)),
  },
  {
    name: "a model file swapped with another run's",
    run: MODEL_A,
    with: [MODEL_B],
    file: `${MODEL_A}.model.json`,
    field: 'provenance.modelSha256',
    corrupt: (d) => {
      renameSync(join(d, `${MODEL_A}.model.json`), join(d, 'swap.tmp'));
      renameSync(join(d, `${MODEL_B}.model.json`), join(d, `${MODEL_A}.model.json`));
      renameSync(join(d, 'swap.tmp'), join(d, `${MODEL_B}.model.json`));
    },
  },
  {
    name: "a model file's metrics edited",
    run: MODEL_A,
    file: `${MODEL_A}.model.json`,
    field: 'provenance.modelSha256',
    corrupt: (d) =>
      editText(d, `${MODEL_A}.model.json`, (s) => s.replace(/"testLoss": [\d.e+-]+/, '"testLoss": 0.001')),
  },
  {
    name: 'a symbolic link to a regular trace in place of the trace',
    run: GD,
    field: 'symbolic link',
    corrupt: (d) => {
      renameSync(join(d, `${GD}.json`), join(d, 'elsewhere.json'));
      symlinkSync(join(d, 'elsewhere.json'), join(d, `${GD}.json`));
    },
  },
  {
    name: 'a directory in place of the trace',
    run: GD,
    field: 'directory',
    corrupt: (d) => {
      rmSync(join(d, `${GD}.json`));
      mkdirSync(join(d, `${GD}.json`));
    },
  },
];

test('the uncorrupted copies read cleanly (also laid out as a checkout’s content/traces)', () => {
  for (const rel of [GD, ANATOMY, SWEEP, MODEL_A]) {
    for (const asRepo of [false, true]) {
      const d = fixture([rel], { asRepo });
      assert.equal(read(d, rel).runKey, rel.split('/')[1]);
      assert.equal(cacheState(d, plannedRun(rel)).state, 'fresh');
    }
  }
});

for (const c of CASES) {
  test(`corruption: ${c.name} — build and status refuse, naming the file and ${c.field}`, () => {
    const d = fixture([c.run, ...(c.with ?? [])], { asRepo: c.asRepo });
    c.corrupt(d);
    const file = c.file ?? `${c.run}.json`;
    const field = typeof c.field === 'string' ? new RegExp(c.field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : c.field;
    assert.throws(
      () => read(d, c.run),
      (e: Error) => {
        assert.ok(e.message.includes(file), `build message names ${file}: ${e.message}`);
        assert.match(e.message, field, `build message names the field: ${e.message}`);
        assert.match(e.message, /npm run experiments/, `build message names the fix: ${e.message}`);
        return true;
      },
    );
    const s = cacheState(d, plannedRun(c.run));
    assert.notEqual(s.state, 'fresh', `status finds ${c.run} up to date`);
    if (s.state !== 'fresh') assert.match(s.reason, field, `status names the field: ${s.reason}`);
  });
}

/** Reads `rel` from `dir` in a child process (the build's reader and status's check), killed after 60 s. */
function readInChild(dir: string, rel: string) {
  const [exp, runKey] = rel.split('/');
  const script = `
    import { getTrace } from ${JSON.stringify(join(REPO, 'src/site/traces.ts'))};
    import { cacheState } from ${JSON.stringify(join(REPO, 'scripts/pipeline/traceStore.ts'))};
    import { planExperiment } from ${JSON.stringify(join(REPO, 'src/experiments/plan.ts'))};
    import { getExperiment } from ${JSON.stringify(join(REPO, 'src/experiments/registry.ts'))};
    const run = planExperiment(getExperiment(${JSON.stringify(exp)}), 'paper').find((r) => r.runKey === ${JSON.stringify(runKey)});
    const s = cacheState(${JSON.stringify(dir)}, run);
    console.log('status: ' + s.state + ': ' + (s.reason ?? ''));
    try { getTrace(${JSON.stringify(exp)}, ${JSON.stringify(runKey)}, { dir: ${JSON.stringify(dir)} }); console.log('build: read'); }
    catch (e) { console.log('build: ' + e.message); }
  `;
  const file = join(dir, '..', `read-${exp}.mts`);
  writeFileSync(file, script);
  return spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
}

for (const viaLink of [false, true]) {
  test(`a FIFO${viaLink ? ' behind a symbolic link' : ''} in place of a trace fails at once, never hangs`, (t) => {
    const d = fixture([GD]);
    const target = join(d, `${GD}.json`);
    rmSync(target);
    const fifo = viaLink ? join(d, 'pipe') : target;
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status !== 0) return t.skip('mkfifo is not available');
    if (viaLink) symlinkSync(fifo, target);
    const r = readInChild(d, GD);
    assert.equal(r.signal, null, `the reader hung and was killed (${r.signal}); stdout: ${r.stdout}`);
    assert.match(r.stdout, /status: corrupt: .*grid-m1024-eta0p5-s0\.json.*(FIFO|symbolic link)/);
    assert.match(r.stdout, /build: .*grid-m1024-eta0p5-s0\.json.*(FIFO|symbolic link).*npm run experiments/);
  });
}
