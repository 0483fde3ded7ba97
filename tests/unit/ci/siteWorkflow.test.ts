/**
 * .github/workflows/site.yml: every action on a major that runs on Node 24; Pages and OIDC permissions
 * only on the deploy job; `!cancelled()`, never `always()`; Node from .node-version (the major of the
 * `node` devDependency); pull requests tested, never deployed; the regenerated traces cached under a key
 * made of the code, configs and committed traces. (`npm run lint:workflow` checks it against the
 * workflow schema.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const FILE = '.github/workflows/site.yml';

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = readFileSync(FILE, 'utf8');
const wf = parse(text) as Workflow;
const steps = Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.map((s) => ({ job, ...s })));

/** The first major of each action that runs on Node 24 by default (earlier majors run on Node 20). */
const NODE24_MAJOR: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/cache': 5,
  'actions/cache/restore': 5,
  'actions/cache/save': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
  'actions/configure-pages': 6,
  'actions/upload-pages-artifact': 5,
  'actions/deploy-pages': 5,
};

test('every action is on a major that runs on Node 24', () => {
  const used = steps.filter((s) => s.uses);
  assert.ok(used.length > 0);
  for (const s of used) {
    const m = /^([^@]+)@v(\d+)$/.exec(s.uses!);
    assert.ok(m, `${FILE}: job ${s.job}: "uses: ${s.uses}" should name a major tag, e.g. @v6`);
    const min = NODE24_MAJOR[m[1]];
    assert.ok(
      min !== undefined,
      `${FILE}: job ${s.job}: ${m[1]} is not in NODE24_MAJOR of this test; add its first Node 24 major`,
    );
    assert.ok(Number(m[2]) >= min, `${FILE}: job ${s.job}: ${s.uses} runs on Node 20; use @v${min} or later`);
  }
});

test('Pages and OIDC permissions only on the deploy job; the workflow default is read-only', () => {
  assert.deepEqual(wf.permissions, { contents: 'read' }, `${FILE}: top-level permissions should be { contents: read }`);
  for (const [name, job] of Object.entries(wf.jobs)) {
    const p = job.permissions ?? {};
    if (name === 'deploy') {
      assert.deepEqual(p, { pages: 'write', 'id-token': 'write' }, `${FILE}: job deploy permissions`);
    } else {
      assert.notEqual(p.pages, 'write', `${FILE}: job ${name} must not have pages: write`);
      assert.equal(p['id-token'], undefined, `${FILE}: job ${name} must not have id-token`);
      for (const [k, v] of Object.entries(p)) assert.ok(v !== 'write', `${FILE}: job ${name}: ${k}: write`);
    }
  }
});

test('`!cancelled()`, never `always()`', () => {
  assert.doesNotMatch(text, /always\(\)/, `${FILE}: replace always() with !cancelled() (always() also runs on cancel)`);
  assert.match(wf.jobs.build.if ?? '', /!cancelled\(\)/);
});

test('Node comes from .node-version, the major of the node devDependency', () => {
  const version = readFileSync('.node-version', 'utf8').trim();
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const major = /^\^?(\d+)\./.exec(pkg.devDependencies.node)?.[1];
  assert.equal(version, major, '.node-version should hold the major of package.json devDependencies.node');
  assert.equal(pkg.engines.node, `>=${major}`);
  const setups = steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
  assert.equal(setups.length, Object.keys(wf.jobs).length - 1, 'every job but deploy sets up Node');
  for (const s of setups) {
    assert.equal(s.with?.['node-version-file'], '.node-version', `${FILE}: job ${s.job}: setup-node node-version-file`);
    assert.equal(s.with?.['node-version'], undefined, `${FILE}: job ${s.job}: drop node-version`);
  }
});

test('pull requests are tested, never deployed', () => {
  assert.ok('pull_request' in wf.on, `${FILE}: add a pull_request trigger`);
  assert.match(wf.jobs.deploy.if ?? '', /github\.event_name != 'pull_request'/);
  assert.ok(steps.some((s) => s.job === 'build' && s.run === 'npm test'));
  for (const s of steps.filter((s) => /configure-pages|upload-pages-artifact/.test(s.uses ?? ''))) {
    assert.match(s.if ?? '', /github\.event_name != 'pull_request'/, `${FILE}: ${s.uses} runs on pull requests`);
  }
});

test('regenerated traces are cached under a key of code, configs and committed traces', () => {
  const env = steps.find((s) => s.job === 'plan' && s.env?.CODE_HASH)?.env?.CODE_HASH ?? '';
  for (const glob of ['src/lib/**', 'src/experiments/**', 'src/node/**', 'package-lock.json', 'content/traces/**']) {
    assert.ok(env.includes(`'${glob}'`), `${FILE}: the plan's CODE_HASH should hash ${glob}`);
  }
  assert.match(wf.jobs.plan.outputs?.['cache-key'] ?? '', /steps\.status\.outputs\.cache-key/);
  const regen = steps.filter((s) => s.job === 'regenerate');
  const restore = regen.find((s) => s.uses?.startsWith('actions/cache/restore@'));
  const save = regen.find((s) => s.uses?.startsWith('actions/cache/save@'));
  assert.ok(restore && save, `${FILE}: regenerate should restore and save its shard's traces`);
  for (const s of [restore, save]) {
    assert.match(String(s.with?.key), /^\$\{\{ needs\.plan\.outputs\.cache-key \}\}-shard-\$\{\{ matrix\.shard \}\}/);
    assert.equal(s.with?.path, 'shard-${{ matrix.shard }}');
  }
  assert.match(save.if ?? '', /!cancelled\(\)/, 'a failed shard still saves what it finished');
  const order = regen.map((s) => s.uses ?? s.run ?? '');
  assert.ok(
    order.findIndex((u) => u.startsWith('actions/cache/restore@')) <
      order.findIndex((u) => u.includes('experiments -- --shard')),
    'restore before the shard runs',
  );
});

test('the regeneration matrix is the plan’s shard list, and each shard is told the same count', () => {
  const matrix = wf.jobs.regenerate.strategy?.matrix?.shard;
  assert.equal(matrix, '${{ fromJSON(needs.plan.outputs.shards) }}', `${FILE}: the matrix should be the plan’s list`);
  for (const k of ['shards', 'shard-count'])
    assert.match(wf.jobs.plan.outputs?.[k] ?? '', new RegExp(`steps\\.status\\.outputs\\.${k}`), `plan output ${k}`);
  const run = steps.find((s) => s.job === 'regenerate' && s.run?.includes('experiments -- --shard'))?.run ?? '';
  assert.match(run, /--shard \$\{\{ matrix\.shard \}\}\/\$\{\{ needs\.plan\.outputs\.shard-count \}\}/);
});
