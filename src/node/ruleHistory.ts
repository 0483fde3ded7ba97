/**
 * When a status rule was written, against when the traces it judges were committed, read from the
 * repository's history: a rule is "written before the runs" only if its last change is an ancestor
 * of the commit that last wrote those traces. The rule is a file, or the lines of it between two
 * regular expressions (git log -L), so edits elsewhere in the file do not count as revisions.
 * Without git or history (a tarball, a shallow clone) the answer is "unknown", never a guess.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTraceFileName } from '../experiments/trace';

/** Where a claim's status rule lives. */
export interface RuleRef {
  /** Path from the repository root, e.g. 'src/exhibits/catapultRemovalRule.ts'. */
  file: string;
  /** With `to`: the rule is the lines from the first match of this regex to the next match of `to` (git log -L syntax, no slashes). */
  from?: string;
  to?: string;
}

/** A commit, short and dated. */
export interface CommitStamp {
  commit: string;
  date: string;
}

/** The rule's dating against one experiment's traces. */
export interface TraceDating {
  experiment: string;
  traces: CommitStamp | null;
  /** The rule's last change is an ancestor of (or the same as) the traces' commit; null when unknown. */
  ruleFirst: boolean | null;
  /** The rule's first version is an ancestor of the traces' commit (so a later change is a revision); null when unknown. */
  existedBefore: boolean | null;
}

export interface RuleDating {
  rule: RuleRef;
  /** The rule's last change, or null when git cannot tell (no repository, shallow history, uncommitted rule). */
  changed: CommitStamp | null;
  /** The rule has uncommitted edits in the working tree. */
  dirty: boolean;
  against: TraceDating[];
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The commits of `git log` with `args`, newest first, as stamps. */
function commits(cwd: string, args: string[]): CommitStamp[] {
  const out = git(cwd, ['log', '--format=%H %cI', ...args]) ?? '';
  return out
    .split('\n')
    .filter((l) => /^[0-9a-f]{40} /.test(l))
    .map((l) => {
      const [commit, date] = l.split(' ');
      return { commit, date };
    });
}

/** The last commit of `git log` with `args` as a stamp, or null. */
function lastCommit(cwd: string, args: string[]): CommitStamp | null {
  return commits(cwd, ['-1', ...args])[0] ?? null;
}

/**
 * The distinct commits the values of the traces in `dir` (relative to `cwd`) were first produced on
 * (provenance.resultsSince, else provenance.commit), as dated stamps; empty when any trace has none or names a commit the history does not hold (then the caller
 * falls back to the folder's own commits).
 */
function runCommits(cwd: string, dir: string): CommitStamp[] {
  let files: string[];
  try {
    files = readdirSync(join(cwd, dir)).filter(isTraceFileName);
  } catch {
    return [];
  }
  const ids = new Set<string>();
  for (const f of files) {
    try {
      // when the values were first produced: a rerun that changed no number keeps that commit
      const p = (
        JSON.parse(readFileSync(join(cwd, dir, f), 'utf8')) as {
          provenance?: { commit?: unknown; resultsSince?: unknown };
        }
      ).provenance;
      const c = p?.resultsSince ?? p?.commit;
      if (typeof c !== 'string' || !/^[0-9a-f]{40}$/.test(c)) return [];
      ids.add(c);
    } catch {
      return [];
    }
  }
  const out: CommitStamp[] = [];
  for (const id of ids) {
    const date = git(cwd, ['show', '-s', '--format=%cI', id]);
    if (!date) return [];
    out.push({ commit: id, date });
  }
  return out;
}

/**
 * Dates a rule against the traces of `experiments` (folders under `tracesRoot`), in the repository
 * at `cwd`. Not memoised: the history can move between calls (a build calls it once per claim).
 */
export function dateRule(
  rule: RuleRef,
  experiments: readonly string[],
  cwd = process.cwd(),
  tracesRoot = 'content/traces',
): RuleDating {
  if ((rule.from === undefined) !== (rule.to === undefined))
    throw new Error(`dateRule: rule ${rule.file} needs both 'from' and 'to' (a line range) or neither`);
  const shallow = git(cwd, ['rev-parse', '--is-shallow-repository']);
  const usable = shallow === 'false';
  const history = !usable
    ? []
    : rule.from
      ? commits(cwd, ['-s', '-L', `/${rule.from}/,/${rule.to}/:${rule.file}`])
      : commits(cwd, ['--', rule.file]);
  const changed = history[0] ?? null;
  const first = history[history.length - 1] ?? null;
  const status = usable ? git(cwd, ['status', '--porcelain', '--', rule.file]) : null;
  const dirty = !!status;
  const against = experiments.map((experiment) => {
    // The commits the runs executed on (their provenance), when the history has them: a later commit of the
    // trace files (e.g. a provenance migration) does not make the runs younger. Else the folder's last commit.
    const runs = usable ? runCommits(cwd, join(tracesRoot, experiment)) : [];
    const stamps = runs.length
      ? runs
      : [usable ? lastCommit(cwd, ['--', `${tracesRoot}/${experiment}`]) : null].filter((c): c is CommitStamp => !!c);
    const traces = stamps.length ? stamps.reduce((a, b) => (b.date < a.date ? b : a)) : null;
    const before = (c: CommitStamp | null) =>
      c && traces && !dirty
        ? stamps.every((t) => git(cwd, ['merge-base', '--is-ancestor', c.commit, t.commit]) !== null)
        : null;
    return { experiment, traces, ruleFirst: before(changed), existedBefore: before(first) };
  });
  return { rule, changed, dirty, against };
}

/** The dating in one sentence for the report; file names, experiment ids and commits stand in `backticks` (code). */
export function ruleDatingText(d: RuleDating): string {
  const day = (s: CommitStamp) => `${s.date.slice(0, 10)}, \`${s.commit.slice(0, 7)}\``;
  if (d.dirty) return `Rule (\`${d.rule.file}\`) has uncommitted edits: written after any committed run.`;
  if (!d.changed) return `Rule (\`${d.rule.file}\`): when it was written is unknown here (no git history).`;
  const parts = d.against.map((a) =>
    a.ruleFirst === null
      ? `the \`${a.experiment}\` traces: unknown`
      : a.ruleFirst
        ? `written before the \`${a.experiment}\` traces (${day(a.traces!)})`
        : a.existedBefore
          ? `rule revised after the \`${a.experiment}\` traces (${day(a.traces!)})`
          : `written after the \`${a.experiment}\` traces (${day(a.traces!)})`,
  );
  return `Rule (\`${d.rule.file}\`, last changed ${day(d.changed)}): ${parts.join('; ')}.`;
}
