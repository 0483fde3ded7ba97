/** Code-aware cache keys: what the per-module token hash ignores and what it sees, and the import graph behind an experiment. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { experimentSourceInput, moduleTokenHash, runtimeImports } from '../../src/node/sourceHash';

const ROOT = resolve(import.meta.dirname, '../..');

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
    'assertions dropped': base.replace('(x as number)!', '(x)').replace('<number>z', 'z').replace(' satisfies number', ''),
    'type-only import changed': base.replace('import type { C }', 'import type { C, D }'),
    'implements dropped': base.replace(' implements I', ''),
  };
  const differ: Record<string, string> = {
    'operator': base.replace('z + 1', 'z - 1'),
    'parentheses': base.replace('z + 1', '(z + 1)'),
    'string value': base.replace("'it\\'s'", "'its'"),
    'template text that looks like a comment': base.replace('a ${x} // b', 'a ${x} // c'),
    'regular expression': base.replace('/\\/\\//', '/\\/\\/x/'),
    'parameter property': base.replace('private p', 'p'),
    'declaration kind': base.replace('const z', 'let z'),
    'identifier': base.replace('return g', 'return h'),
    'run-time import': base.replace("from './a'", "from './b'"),
  };
  const b = h(base);
  for (const [why, s] of Object.entries(same)) assert.equal(h(s), b, `${why} must not change the hash`);
  for (const [why, s] of Object.entries(differ)) assert.notEqual(h(s), b, `${why} must change the hash`);
  assert.deepEqual(runtimeImports(base + "\nexport { q } from './q';\nexport type { R } from './r';\nawait import('./lazy');", 'x.ts'), ['./a', './q', './lazy']);
});

test('import graph: uv-catapult covers src/lib/uvModel.ts, pipeline-selftest does not; tfjs versions only where tfjs runs', () => {
  const uv = experimentSourceInput('uv-catapult', { usesTfjs: false, root: ROOT });
  const self = experimentSourceInput('pipeline-selftest', { usesTfjs: false, root: ROOT });
  assert.ok('src/experiments/uvCatapult.ts' in uv.modules && 'src/lib/uvModel.ts' in uv.modules);
  assert.ok(!('src/lib/uvModel.ts' in self.modules) && 'src/experiments/pipelineSelftest.ts' in self.modules);
  assert.deepEqual(uv.packages, {});
  const tfjsVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8')).version;
  const regimes = experimentSourceInput('shallow-gd-regimes', { usesTfjs: true, root: ROOT });
  assert.equal(regimes.packages['@tensorflow/tfjs-core'], tfjsVersion);
  assert.ok('src/lib/backend.ts' in regimes.modules && 'ml-matrix' in regimes.packages);
  // Type-only imports are not followed: no module of the site or the pipeline is in any graph.
  for (const m of Object.keys(regimes.modules)) assert.ok(m.startsWith('src/lib/') || m.startsWith('src/experiments/'), m);
});
