/**
 * package.json: the four tfjs packages pinned exactly to one version (their backends require exactly
 * the core of their own version) and installed at it; @types/node on the major of the Node we run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const TFJS = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
];

test('the four tfjs packages are pinned exactly to one version, and installed at it', () => {
  const ranges = TFJS.map((name) => pkg.dependencies[name]);
  for (const [i, range] of ranges.entries()) {
    assert.match(range, /^\d+\.\d+\.\d+$/, `package.json: dependencies["${TFJS[i]}"] is "${range}"; pin it exactly`);
  }
  assert.equal(new Set(ranges).size, 1, `package.json: the tfjs packages differ (${ranges.join(', ')})`);
  for (const name of TFJS) {
    const installed = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
    assert.equal(installed, ranges[0], `node_modules/${name} is ${installed}; run npm ci`);
  }
});

test('@types/node is on the major of the Node we run', () => {
  const major = readFileSync('.node-version', 'utf8').trim();
  assert.match(pkg.devDependencies['@types/node'], new RegExp(`^\\^${major}\\.`), 'package.json: @types/node');
});
