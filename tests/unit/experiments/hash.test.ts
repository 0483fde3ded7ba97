import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { configHash, sha256Hex } from '../../../src/experiments/hash';
import { planExperiment } from '../../../src/experiments/plan';
import { getExperiment } from '../../../src/experiments/registry';

test('sha256Hex matches the FIPS 180-4 vectors and node:crypto on multi-block and non-ASCII input', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  for (const s of ['x'.repeat(55), 'y'.repeat(64), 'η_crit = 2/λ_max '.repeat(40)]) {
    assert.equal(sha256Hex(s), createHash('sha256').update(s, 'utf8').digest('hex'));
  }
});

// Hashes of committed paper runs, pinned: a change of hashing (library, canonical JSON, input
// fields) would make every committed trace stale, so it must show up here first.
const PINNED: [experiment: string, runKey: string, hash: string][] = [
  ['uv-catapult', 'traj-eta1-s0', 'fcded78ddf08c33442ad539973a634e9e1a19791090bfdd7c71e9a86099c9b67'],
  ['shallow-gd-regimes', 'grid-m1024-eta1p05-s3', 'dc02c2beed5f565e94da8c2f60bf8dd84e6851810b9f58fb78999d6096be38ef'],
  ['pipeline-selftest', 'b64-s1', '83f014e9e21278a148d07c4094b5ae4f7a46db51427917e40a8ad4cd060cb3c4'],
];

test('config hashes of committed paper runs are unchanged', () => {
  for (const [experiment, runKey, hash] of PINNED) {
    const run = planExperiment(getExperiment(experiment), 'paper').find((r) => r.runKey === runKey);
    assert.ok(run, `${experiment}/${runKey} is planned`);
    assert.equal(run.configHash, hash, `${experiment}/${runKey}`);
    assert.equal(configHash({ ...run, schemaVersion: 1 }), hash);
  }
});
