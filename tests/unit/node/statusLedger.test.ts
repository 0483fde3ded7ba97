/**
 * The statuses ledger on constructed repositories: the build's check names each difference and the
 * refresh command; the history lists each committed status change with its commit, newest first,
 * and says where it starts; a shallow clone or a folder without git degrades to a stated reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LEDGER_PATH,
  LEDGER_REFRESH,
  checkLedger,
  diffLedgers,
  formatLedger,
  statusHistory,
} from '../../../src/node/statusLedger';

function repo() {
  const dir = mkdtempSync(join(tmpdir(), 'status-ledger-'));
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (ledger: Record<string, string>, msg: string) => {
    mkdirSync(join(dir, 'content'), { recursive: true });
    writeFileSync(join(dir, LEDGER_PATH), formatLedger(ledger));
    git('add', '.');
    git('commit', '-qm', msg);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q');
  return { dir, git, commit };
}

test('diffLedgers names changed, added and removed claims', () => {
  assert.deepEqual(diffLedgers({ a: 'reproduced', b: 'differs' }, { a: 'not reproduced', c: 'reproduced' }), [
    { id: 'a', from: 'reproduced', to: 'not reproduced' },
    { id: 'c', from: null, to: 'reproduced' },
    { id: 'b', from: 'differs', to: null },
  ]);
});

test('checkLedger passes on equal statuses and otherwise names the claim and the refresh command', () => {
  checkLedger({ a: 'reproduced' }, { a: 'reproduced' });
  assert.throws(
    () => checkLedger({ a: 'reproduced' }, { a: 'differs' }),
    (e: Error) => e.message.includes("a: ledger 'reproduced', built 'differs'") && e.message.includes(LEDGER_REFRESH),
  );
});

test('the history starts at the first commit and lists later changes, newest first, with their commits', () => {
  const { dir, commit } = repo();
  const first = commit({ a: 'reproduced', b: 'differs' }, 'ledger');
  const second = commit({ a: 'not reproduced', b: 'differs' }, 'rerun a');
  const third = commit({ a: 'not reproduced', b: 'reproduced', c: 'reproduced' }, 'rerun b, add c');
  const h = statusHistory(dir);
  assert.equal(h.unavailable, null);
  assert.equal(h.start?.commit, first);
  assert.deepEqual(
    h.updates.map((u) => u.commit),
    [third, second],
  );
  assert.deepEqual(h.updates[1].changes, [{ id: 'a', from: 'reproduced', to: 'not reproduced' }]);
  assert.deepEqual(
    h.updates[0].changes.map((c) => c.id),
    ['b', 'c'],
  );
  assert.match(h.updates[0].date, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(h.uncommitted, false);
  writeFileSync(join(dir, LEDGER_PATH), formatLedger({ a: 'reproduced' }));
  assert.equal(statusHistory(dir).uncommitted, true);
});

test('a shallow clone and a folder without git give a reason, not a history', () => {
  const { dir, commit } = repo();
  commit({ a: 'reproduced' }, 'ledger');
  commit({ a: 'differs' }, 'rerun');
  const clone = join(mkdtempSync(join(tmpdir(), 'status-ledger-clone-')), 'c');
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${dir}`, clone]);
  const shallow = statusHistory(clone);
  assert.equal(shallow.start, null);
  assert.match(shallow.unavailable ?? '', /shallow clone/);
  const bare = mkdtempSync(join(tmpdir(), 'status-ledger-nogit-'));
  assert.match(statusHistory(bare).unavailable ?? '', /without its git repository/);
});
