/**
 * src/site/buildDate.ts: the commit's date from git, SOURCE_DATE_EPOCH without git, today without
 * either; a malformed value fails naming itself and the fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { buildDate } from '../../../src/site/buildDate';

test("the build date is this checkout's commit date", () => {
  const expected = execFileSync('git', ['log', '-1', '--format=%cI'], { encoding: 'utf8' }).trim();
  const d = buildDate();
  assert.equal(d.source, 'git');
  assert.equal(d.iso, new Date(expected).toISOString().slice(0, 10));
  assert.equal(d.year, new Date(expected).getUTCFullYear());
});

test('committer dates with an offset are read in UTC', () => {
  assert.deepEqual(buildDate({ git: () => '2025-12-31T23:30:00-02:00' }), {
    iso: '2026-01-01',
    year: 2026,
    source: 'git',
  });
});

test('without git: SOURCE_DATE_EPOCH, then today', () => {
  assert.deepEqual(buildDate({ git: () => null, env: { SOURCE_DATE_EPOCH: '1700000000' } }), {
    iso: '2023-11-14',
    year: 2023,
    source: 'SOURCE_DATE_EPOCH',
  });
  assert.deepEqual(buildDate({ git: () => null, env: {}, now: () => new Date('2027-03-04T05:06:07Z') }), {
    iso: '2027-03-04',
    year: 2027,
    source: 'today',
  });
  // A missing git binary or repository reads as null, never as an error.
  assert.equal(buildDate({ cwd: '/', env: {}, now: () => new Date('2027-03-04T00:00:00Z') }).source, 'today');
});

test('malformed values fail naming the value and the fix', () => {
  assert.throws(() => buildDate({ git: () => 'fatal: bad object' }), /git log -1 --format=%cI.*not a date/);
  assert.throws(
    () => buildDate({ git: () => null, env: { SOURCE_DATE_EPOCH: 'yesterday' } }),
    /SOURCE_DATE_EPOCH="yesterday".*set it to/,
  );
});
