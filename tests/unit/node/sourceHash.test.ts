/**
 * Code-aware cache keys: what the per-module token hash ignores and what it sees, the import graph
 * behind an experiment, and end to end on the real tree (a temporary edit of src/lib/uvModel.ts,
 * restored in `finally`): the edit makes exactly the experiments that import it stale for the site
 * reader, `status` and the CLI, a comment edit makes nothing stale, and content/traces refuses runs
 * of uncommitted code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  experimentSourceHash,
  experimentSourceInput,
  moduleTokenHash,
  resetSourceHashCache,
  runtimeImports,
} from '../../../src/node/sourceHash';
import { getExperiment } from '../../../src/experiments/registry';
import { runPipeline } from '../../../scripts/pipeline/runPipeline';
import { gitState } from '../../../scripts/pipeline/provenance';
import type { Reporter } from '../../../scripts/pipeline/progress';

const ROOT = resolve(import.meta.dirname, '../../..');
const silent: Reporter = { log() {}, start() {}, progress() {}, done() {}, fail() {}, stop() {} };
const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/experiments.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
const hashOf = (id: string) => experimentSourceHash(id, { usesTfjs: getExperiment(id).usesTfjs, root: ROOT });

test('module token hash: blind to layout, comments, quotes and types; sees every run-time token', () => {
  const base = [
    "import { a, type B } from './a';",
    "import type { C } from './c';",
    'interface I { x: number }',
    'type T = string;',
    'export function f<T extends object>(x: number, y?: T): number {',
    '  const z = (x as number)!;',
    '  const u = <number>z;',
    "  return g<T>(z + 1, 'it\\'s', `a ${x} // b`, /\\/\\//.source, u) satisfies number;",
    '}',
    'class K implements I { x!: number; constructor(private p: number) {} }',
  ].join('\n');
  const h = (s: string) => moduleTokenHash(s, 'x.ts');
  const same: Record<string, string> = {
    'reindented, extra blank lines': base.replace(/\n/g, '\n\n    '),
    'comments added': `/** doc */\n${base.replace('{\n', '{ // why\n')}\n/* end */`,
    'double quotes': base.replace("'it\\'s'", '"it\'s"'),
    'trailing comma': base.replace('.source, u)', '.source, u,)'),
    'number spelling': base.replace('z + 1', 'z + 1.0'),
    'interface changed': base.replace('interface I { x: number }', 'interface I { x: string; y: boolean }'),
    'type alias changed': base.replace('type T = string;', 'type T = number;'),
    'annotations changed': base.replace('(x: number,', '(x: string,').replace('): number {', '): void {'),
    'type parameters and arguments dropped': base.replace('<T extends object>', '').replace('g<T>(', 'g('),
    'assertions dropped': base
      .replace('(x as number)!', '(x)')
      .replace('<number>z', 'z')
      .replace(' satisfies number', ''),
    'type-only import changed': base.replace('import type { C }', 'import type { C, D }'),
    'implements dropped': base.replace(' implements I', ''),
    'redundant parentheses (Prettier adds and drops them)': base
      .replace('z + 1', '(z + 1)')
      .replace('const z = (x as number)!', 'const z = ((x as number)!)'),
  };
  const differ: Record<string, string> = {
    operator: base.replace('z + 1', 'z - 1'),
    'parentheses that change precedence': base.replace('z + 1', '(z + 1) * 2'),
    'string value': base.replace("'it\\'s'", "'its'"),
    'template text that looks like a comment': base.replace('a ${x} // b', 'a ${x} // c'),
    'regular expression': base.replace('/\\/\\//', '/\\/\\/x/'),
    'parameter property': base.replace('private p', 'p'),
    'declaration kind': base.replace('const z', 'let z'),
    identifier: base.replace('return g', 'return h'),
    'run-time import': base.replace("from './a'", "from './b'"),
  };
  const b = h(base);
  // The tree, not the parentheses, carries precedence: these two must differ.
  assert.notEqual(h(base.replace('z + 1', '(z + 1) * 2')), h(base.replace('z + 1', 'z + 1 * 2')), 'precedence');
  assert.equal(
    h(base + '\nconst sq = (q: number) => q * q;'),
    h(base + '\nconst sq = q => q * q;'),
    'arrow parameter parentheses',
  );
  for (const [why, s] of Object.entries(same)) assert.equal(h(s), b, `${why} must not change the hash`);
  for (const [why, s] of Object.entries(differ)) assert.notEqual(h(s), b, `${why} must change the hash`);
  assert.deepEqual(
    runtimeImports(base + "\nexport { q } from './q';\nexport type { R } from './r';\nawait import('./lazy');", 'x.ts'),
    ['./a', './q', './lazy'],
  );
});

test('import graph: uv-catapult covers src/lib/uvModel.ts, pipeline-selftest does not; tfjs versions only where tfjs runs', () => {
  const uv = experimentSourceInput('uv-catapult', { usesTfjs: false, root: ROOT });
  const self = experimentSourceInput('pipeline-selftest', { usesTfjs: false, root: ROOT });
  assert.ok('src/experiments/uvCatapult.ts' in uv.modules && 'src/lib/uvModel.ts' in uv.modules);
  assert.ok(!('src/lib/uvModel.ts' in self.modules) && 'src/experiments/pipelineSelftest.ts' in self.modules);
  assert.deepEqual(uv.packages, {});
  const tfjsVersion = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8'),
  ).version;
  const regimes = experimentSourceInput('shallow-gd-regimes', { usesTfjs: true, root: ROOT });
  assert.equal(regimes.packages['@tensorflow/tfjs-core'], tfjsVersion);
  assert.ok('src/lib/backend.ts' in regimes.modules && 'ml-matrix' in regimes.packages);
  // Type-only imports are not followed: no module of the site or the pipeline is in any graph.
  for (const m of Object.keys(regimes.modules))
    assert.ok(m.startsWith('src/lib/') || m.startsWith('src/experiments/'), m);
});

test('editing src/lib/uvModel.ts stales exactly uv-catapult (reader, status, CLI); a comment edit stales nothing; content/traces refuses dirty code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stale-edit-'));
  const guarded = mkdtempSync(join(tmpdir(), 'stale-guarded-'));
  const file = join(ROOT, 'src/lib/uvModel.ts');
  const original = readFileSync(file, 'utf8');
  const args = ['--only', 'uv-catapult,pipeline-selftest', '--profile', 'quick', '--out', dir, '--jobs', '1'];
  const readBoth = async () => {
    // A fresh process, as the site build is: nothing cached from before the edit.
    const script = `import { getTraces } from ${JSON.stringify(join(ROOT, 'src/site/traces.ts'))};
      const out = {};
      for (const id of ['uv-catapult', 'pipeline-selftest']) {
        try { out[id] = getTraces(id, { dir: ${JSON.stringify(dir)}, profile: 'quick' }).length; } catch (e) { out[id] = e.message; }
      }
      console.log(JSON.stringify(out));`;
    const r = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return JSON.parse(r.stdout) as Record<string, number | string>;
  };
  try {
    assert.match((await cli(args)).stdout, /^8 runs written, 0 runs up to date, 0 failed/);
    const before = { uv: hashOf('uv-catapult'), self: hashOf('pipeline-selftest') };

    writeFileSync(
      file,
      original.replace('export function', '// a comment the hash ignores\n\nexport   function') +
        '\n/* and another */\n',
    );
    assert.equal((await cli(args)).stdout.trim(), '8 runs up to date');

    writeFileSync(file, original + '\nexport const sourceHashProbe = 1;\n');
    resetSourceHashCache();
    assert.notEqual(hashOf('uv-catapult'), before.uv);
    assert.equal(hashOf('pipeline-selftest'), before.self);

    const read = await readBoth();
    assert.equal(read['pipeline-selftest'], 4);
    const msg = String(read['uv-catapult']);
    assert.match(msg, /uv-catapult\/traj-eta1-s0\.json is stale: the code it ran has changed since/);
    assert.match(msg, /uv-catapult: 4 of 4 runs stale \(code changed\)/);
    assert.ok(!msg.includes('pipeline-selftest'), msg);
    assert.ok(
      msg.includes(`Regenerate them with \`npm run experiments -- --only uv-catapult --profile quick --out ${dir}\``),
      msg,
    );

    const status = JSON.parse(
      (await cli(['status', '--only', 'uv-catapult,pipeline-selftest', '--profile', 'quick', '--out', dir, '--json']))
        .stdout,
    );
    assert.equal(status.toRun, 4);
    assert.deepEqual(status.experiments['uv-catapult'], { runs: 4, fresh: 0, stale: 4, missing: 0, corrupt: 0 });
    assert.deepEqual(status.experiments['pipeline-selftest'], { runs: 4, fresh: 4, stale: 0, missing: 0, corrupt: 0 });

    // Clean provenance: runs of the edited (uncommitted) code may not go into the guarded folder...
    await assert.rejects(
      runPipeline({
        only: ['uv-catapult'],
        profile: 'quick',
        outDir: guarded,
        protectedDir: guarded,
        jobs: 1,
        reporter: silent,
      }),
      /refusing to write into .*: the code of uv-catapult has uncommitted changes in .*src\/lib\/uvModel\.ts/,
    );
    assert.equal(existsSync(join(guarded, 'uv-catapult')), false);
    // ...while an experiment whose code is untouched may, and elsewhere the edited code is marked dirty.
    const ok = await runPipeline({
      only: ['pipeline-selftest'],
      profile: 'quick',
      outDir: guarded,
      protectedDir: guarded,
      jobs: 1,
      reporter: silent,
    });
    assert.equal(ok.written.length, 4);
    const selfModules = Object.keys(
      experimentSourceInput('pipeline-selftest', { usesTfjs: false, root: ROOT }).modules,
    );
    const git = gitState(ROOT);
    const commit = JSON.parse(readFileSync(ok.written[0], 'utf8')).provenance.commit as string;
    if (git && !selfModules.some((m) => git.dirty.has(m))) assert.equal(commit, git.head);
    assert.ok(JSON.parse(readFileSync(join(dir, 'uv-catapult/phase-s0.json'), 'utf8')).provenance.commit !== undefined);

    // The CLI reruns exactly the stale runs, and they carry the new hash and a dirty commit.
    assert.match((await cli(args)).stdout, /^4 runs written, 4 runs up to date, 0 failed/);
    const rerun = JSON.parse(readFileSync(join(dir, 'uv-catapult/phase-s0.json'), 'utf8'));
    assert.equal(rerun.sourceHash, hashOf('uv-catapult'));
    if (git) assert.match(rerun.provenance.commit, /\+dirty$/);
    assert.equal((await readBoth())['uv-catapult'], 4);
  } finally {
    writeFileSync(file, original);
    resetSourceHashCache();
    rmSync(dir, { recursive: true, force: true });
    rmSync(guarded, { recursive: true, force: true });
  }
  assert.equal(readFileSync(file, 'utf8'), original);
});
