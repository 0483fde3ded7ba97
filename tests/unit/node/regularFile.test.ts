import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKindError, readRegularFile, readRegularFileBytes } from '../../../src/node/regularFile';

const dir = mkdtempSync(join(tmpdir(), 'regular-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('reads a regular file as UTF-8 text or bytes', () => {
  writeFileSync(join(dir, 'a.json'), '{"λ":1}');
  assert.equal(readRegularFile(join(dir, 'a.json')), '{"λ":1}');
  assert.equal(readRegularFileBytes(join(dir, 'a.json')).length, 8);
});

test('refuses a directory, a symbolic link and a FIFO at once, naming the file', (t) => {
  mkdirSync(join(dir, 'd.json'));
  assert.throws(() => readRegularFile(join(dir, 'd.json'), 'traces/d.json'), /traces\/d\.json is a directory/);
  writeFileSync(join(dir, 'target.json'), '{}');
  symlinkSync(join(dir, 'target.json'), join(dir, 'link.json'));
  assert.throws(() => readRegularFile(join(dir, 'link.json')), /link\.json is a symbolic link/);
  const fifo = join(dir, 'p.json');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('mkfifo is not available');
  const t0 = performance.now();
  assert.throws(
    () => readRegularFile(fifo),
    (e: Error) => e instanceof FileKindError && /FIFO/.test(e.message),
  );
  assert.ok(performance.now() - t0 < 1000);
});

test('refuses a file over the size limit, and a missing file, naming it', () => {
  writeFileSync(join(dir, 'big.json'), 'x'.repeat(2000));
  assert.throws(
    () => readRegularFile(join(dir, 'big.json'), 'big.json', 1000),
    /big\.json holds 2000 bytes, more than the 1000/,
  );
  assert.equal(readRegularFile(join(dir, 'big.json'), 'big.json', 2000).length, 2000);
  assert.throws(() => readRegularFile(join(dir, 'none.json'), 'none.json'), /none\.json: cannot open/);
});
