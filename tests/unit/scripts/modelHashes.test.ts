import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addModelHashes } from '../../../scripts/pipeline/modelHashes';
import { getTrace } from '../../../src/site/traces';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const scratch: string[] = [];
after(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

const RUN = 'optimizer-alignment/mnist01-adam-r0p001-s0';
const PLAIN = 'shallow-gd-regimes/grid-m1024-eta0p5-s0';

/** Committed traces as they were before the migration: no provenance.modelSha256. */
function unmigrated(): string {
  const d = mkdtempSync(join(tmpdir(), 'model-hashes-'));
  scratch.push(d);
  for (const rel of [RUN, PLAIN]) {
    mkdirSync(join(d, rel.split('/')[0]), { recursive: true });
    const t = readFileSync(join(REPO, 'content/traces', `${rel}.json`), 'utf8');
    writeFileSync(join(d, `${rel}.json`), t.replace(/,\n {4}"modelSha256": "[0-9a-f]{64}"/, ''));
  }
  copyFileSync(join(REPO, 'content/traces', `${RUN}.model.json`), join(d, `${RUN}.model.json`));
  return d;
}

test('the migration records each model file’s SHA-256 in its trace and changes nothing else', () => {
  const d = unmigrated();
  const before = readFileSync(join(d, `${RUN}.json`), 'utf8');
  const plainBefore = readFileSync(join(d, `${PLAIN}.json`), 'utf8');
  assert.throws(
    () => getTrace('optimizer-alignment', 'mnist01-adam-r0p001-s0', { dir: d }),
    /provenance\.modelSha256" is missing/,
  );
  const r = addModelHashes(d);
  assert.deepEqual([r.updated.length, r.unchanged, r.withoutModel], [1, 0, 1]);
  const after = readFileSync(join(d, `${RUN}.json`), 'utf8');
  const sha = createHash('sha256')
    .update(readFileSync(join(d, `${RUN}.model.json`)))
    .digest('hex');
  assert.equal(after, before.replace(/("finishedAt": "[^"]+")/, `$1,\n    "modelSha256": "${sha}"`));
  assert.equal(readFileSync(join(d, `${PLAIN}.json`), 'utf8'), plainBefore);
  assert.equal(getTrace('optimizer-alignment', 'mnist01-adam-r0p001-s0', { dir: d }).provenance.modelSha256, sha);
  // Applying it again is a no-op.
  assert.deepEqual(addModelHashes(d).updated, []);
  // The committed trace is exactly what the migration makes.
  assert.equal(after, readFileSync(join(REPO, 'content/traces', `${RUN}.json`), 'utf8'));
});

test('the migration refuses, writing nothing, a recorded hash that disagrees or a missing model file', () => {
  const d = unmigrated();
  addModelHashes(d);
  writeFileSync(
    join(d, `${RUN}.model.json`),
    readFileSync(join(d, `${RUN}.model.json`), 'utf8').replace(/"testLoss": [\d.e+-]+/, '"testLoss": 1'),
  );
  const text = readFileSync(join(d, `${RUN}.json`), 'utf8');
  assert.throws(() => addModelHashes(d), /mnist01-adam-r0p001-s0\.json: field "provenance\.modelSha256".*--force/);
  assert.equal(readFileSync(join(d, `${RUN}.json`), 'utf8'), text);
  const e = unmigrated();
  rmSync(join(e, `${RUN}.model.json`));
  assert.throws(() => addModelHashes(e), /mnist01-adam-r0p001-s0\.model\.json: cannot open/);
});
