/**
 * Rule dating on constructed repositories: a rule committed before its traces is "written before",
 * an edit inside the rule's lines after them is "revised after", an edit elsewhere in the file is
 * not, uncommitted edits and missing history are said as such.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dateRule, ruleDatingText } from '../../../src/node/ruleHistory';

const RULE = { file: 'rule.ts', from: '^export function verdict', to: '^}' };

/** A repository with a rule file committed, then traces of experiment 'exp' committed. */
function repo(): { dir: string; git: (...a: string[]) => string; write: (p: string, s: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rule-history-'));
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir, encoding: 'utf8' });
  const write = (p: string, s: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), s);
  };
  git('init', '-q');
  write('rule.ts', '// header\nexport function verdict(x: number) {\n  return x > 0.5;\n}\n// footer\n');
  git('add', '.');
  git('commit', '-qm', 'rule');
  write('content/traces/exp/a.json', '{}');
  git('add', '.');
  git('commit', '-qm', 'traces');
  return { dir, git, write };
}

test('a rule committed before its traces was written before the runs', () => {
  const { dir } = repo();
  const d = dateRule(RULE, ['exp'], dir);
  assert.equal(d.against[0].ruleFirst, true);
  assert.match(ruleDatingText(d), /written before the `exp` traces/);
});

test('an edit inside the rule after the traces is a revision; an edit elsewhere in the file is not', () => {
  const { dir, git, write } = repo();
  write('rule.ts', '// header, reworded\nexport function verdict(x: number) {\n  return x > 0.5;\n}\n// footer\n');
  git('commit', '-qam', 'comment');
  assert.equal(dateRule(RULE, ['exp'], dir).against[0].ruleFirst, true);
  // the whole file counts when no line range is given
  assert.equal(dateRule({ file: 'rule.ts' }, ['exp'], dir).against[0].ruleFirst, false);
  write('rule.ts', '// header, reworded\nexport function verdict(x: number) {\n  return x > 0.4;\n}\n// footer\n');
  git('commit', '-qam', 'threshold');
  const d = dateRule(RULE, ['exp'], dir);
  assert.equal(d.against[0].ruleFirst, false);
  assert.match(ruleDatingText(d), /rule revised after the `exp` traces/);
});

test('traces rerun after a revision are judged by a rule that predates them again', () => {
  const { dir, git, write } = repo();
  write('rule.ts', '// header\nexport function verdict(x: number) {\n  return x > 0.4;\n}\n// footer\n');
  git('commit', '-qam', 'threshold');
  write('content/traces/exp/a.json', '{"rerun":true}');
  git('commit', '-qam', 'traces again');
  assert.equal(dateRule(RULE, ['exp'], dir).against[0].ruleFirst, true);
});

test('uncommitted edits, unknown experiments and missing history are said, not guessed', () => {
  const { dir, write } = repo();
  assert.equal(dateRule(RULE, ['nothing-here'], dir).against[0].ruleFirst, null);
  write('rule.ts', '// header\nexport function verdict(x: number) {\n  return x > 0.1;\n}\n// footer\n');
  const d = dateRule(RULE, ['exp'], dir);
  assert.equal(d.dirty, true);
  assert.match(ruleDatingText(d), /uncommitted edits/);
  const bare = mkdtempSync(join(tmpdir(), 'no-git-'));
  const none = dateRule(RULE, ['exp'], bare);
  assert.equal(none.changed, null);
  // a rule first written after the traces is "written after", not "revised"
  const { dir: late, git: g2, write: w2 } = repo();
  w2('late.ts', 'export function verdict() {\n  return 1;\n}\n');
  g2('add', '.');
  g2('commit', '-qm', 'late rule');
  assert.match(ruleDatingText(dateRule({ file: 'late.ts' }, ['exp'], late)), /written after the `exp` traces/);
  assert.match(ruleDatingText(none), /unknown here/);
  assert.throws(() => dateRule({ file: 'rule.ts', from: 'x' }, ['exp'], dir), /needs both 'from' and 'to'/);
});

test('traces are dated by the commits their runs executed on, so a later commit of the files (a provenance migration) does not make the runs younger', () => {
  const { dir, git, write } = repo();
  const runCommit = git('rev-parse', 'HEAD').trim();
  write('content/traces/exp/a.json', JSON.stringify({ provenance: { commit: runCommit } }));
  git('commit', '-qam', 'traces with provenance');
  // The rule changes after the runs; then the trace files are touched again (provenance only).
  write('rule.ts', '// header\nexport function verdict(x: number) {\n  return x > 0.3;\n}\n// footer\n');
  git('commit', '-qam', 'threshold after the runs');
  write('content/traces/exp/a.json', JSON.stringify({ provenance: { commit: runCommit, extra: 1 } }));
  git('commit', '-qam', 'provenance migration');
  const d = dateRule(RULE, ['exp'], dir);
  assert.equal(d.against[0].traces?.commit, runCommit);
  assert.equal(d.against[0].ruleFirst, false);
  assert.match(ruleDatingText(d), /rule revised after the `exp` traces/);
});

test('a rerun that repeats the values (provenance.resultsSince) keeps the mark of a rule revised after them', () => {
  const { dir, git, write } = repo();
  const firstRun = git('rev-parse', 'HEAD').trim();
  write('content/traces/exp/a.json', JSON.stringify({ provenance: { commit: firstRun } }));
  git('commit', '-qam', 'traces with provenance');
  write('rule.ts', '// header\nexport function verdict(x: number) {\n  return x > 0.3;\n}\n// footer\n');
  git('commit', '-qam', 'threshold after the runs');
  // rerun on a later commit: the same numbers, so resultsSince names the first run's commit
  const rerun = git('rev-parse', 'HEAD').trim();
  write('content/traces/exp/a.json', JSON.stringify({ provenance: { commit: rerun, resultsSince: firstRun } }));
  git('commit', '-qam', 'rerun, same values');
  const kept = dateRule(RULE, ['exp'], dir);
  assert.equal(kept.against[0].traces?.commit, firstRun);
  assert.match(ruleDatingText(kept), /rule revised after the `exp` traces/);
  // a rerun with new values (no resultsSince) is judged by the rule that now predates it
  write('content/traces/exp/a.json', JSON.stringify({ provenance: { commit: rerun } }));
  git('commit', '-qam', 'rerun, new values');
  assert.equal(dateRule(RULE, ['exp'], dir).against[0].ruleFirst, true);
});
