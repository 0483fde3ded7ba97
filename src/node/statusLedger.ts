/**
 * The ledger of the Reproduction report's statuses (content/report-statuses.json: claim id →
 * status, committed) and the history read from it: each commit that changed the file is one
 * update, and comparing consecutive versions says which claim went from what to what. The build
 * refuses a ledger that disagrees with the statuses it computes, naming the command that refreshes
 * it, so every status change reaches the history through a commit. Without git or with shortened
 * history (a tarball, a shallow clone) the history is unavailable and says so; it never guesses.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the ledger lives, from the repository root. */
export const LEDGER_PATH = 'content/report-statuses.json';
/** The command that rewrites the ledger from the statuses the build computes. */
export const LEDGER_REFRESH = 'npm run report:statuses';

/** Claim id → status. */
export type Ledger = Record<string, string>;

/** One claim's status between two versions of the ledger; `from` null: the claim was added, `to` null: removed. */
export interface StatusChange {
  id: string;
  from: string | null;
  to: string | null;
}

/** A commit that changed the ledger, short and dated, with what it changed. */
export interface LedgerUpdate {
  commit: string;
  date: string;
  changes: StatusChange[];
}

/** The ledger's history: `start` is its first commit (null when git cannot tell, with the reason in `unavailable`). */
export interface StatusHistory {
  start: { commit: string; date: string } | null;
  /** Updates after the first commit, newest first. */
  updates: LedgerUpdate[];
  /** Why the history cannot be read (no git, shallow clone), or null. */
  unavailable: string | null;
  /** The working tree's ledger differs from the last commit's. */
  uncommitted: boolean;
}

/** The ledger as JSON with sorted keys, one claim a line (stable diffs). */
export function formatLedger(l: Ledger): string {
  const sorted = Object.fromEntries(
    Object.keys(l)
      .sort()
      .map((k) => [k, l[k]]),
  );
  return JSON.stringify(sorted, null, 2) + '\n';
}

/** Parses a ledger's text; throws naming `where` when it is not an object of strings. */
export function parseLedger(text: string, where: string): Ledger {
  const v: unknown = JSON.parse(text);
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string'))
    throw new Error(`${where}: expected a JSON object of claim id → status (strings)`);
  return v as Ledger;
}

/** What differs from `before` to `after`, in the order of `after`'s ids and then the removed ones. */
export function diffLedgers(before: Ledger, after: Ledger): StatusChange[] {
  const out: StatusChange[] = [];
  for (const id of Object.keys(after).sort())
    if (before[id] !== after[id]) out.push({ id, from: before[id] ?? null, to: after[id] });
  for (const id of Object.keys(before).sort()) if (!(id in after)) out.push({ id, from: before[id], to: null });
  return out;
}

/** Throws, naming each difference and the refresh command, when the built statuses differ from the ledger. */
export function checkLedger(ledger: Ledger, built: Ledger): void {
  const d = diffLedgers(ledger, built);
  if (!d.length) return;
  const say = (s: string | null) => (s === null ? '(none)' : `'${s}'`);
  throw new Error(
    `${LEDGER_PATH} does not match the report's statuses (${d.map((c) => `${c.id}: ledger ${say(c.from)}, built ${say(c.to)}`).join('; ')}). ` +
      `Run \`${LEDGER_REFRESH}\` and commit ${LEDGER_PATH}: its commits are the report's "Updates and corrections".`,
  );
}

/** Reads the working tree's ledger under `root`. */
export function readLedger(root = process.cwd()): Ledger {
  return parseLedger(readFileSync(join(root, LEDGER_PATH), 'utf8'), LEDGER_PATH);
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** The ledger's committed history in the repository at `cwd`. Not memoised: the build calls it once. */
export function statusHistory(cwd = process.cwd(), path = LEDGER_PATH): StatusHistory {
  const none = (why: string): StatusHistory => ({ start: null, updates: [], unavailable: why, uncommitted: false });
  const shallow = git(cwd, ['rev-parse', '--is-shallow-repository'])?.trim();
  if (shallow === undefined) return none('this copy of the site was built without its git repository');
  if (shallow !== 'false')
    return none('this copy of the site was built from a shallow clone, which holds too little history to read it');
  const log = (git(cwd, ['log', '--reverse', '--format=%H %cI', '--', path]) ?? '')
    .split('\n')
    .filter((l) => /^[0-9a-f]{40} /.test(l))
    .map((l) => ({ commit: l.slice(0, 40), date: l.slice(41) }));
  const uncommitted = !!git(cwd, ['status', '--porcelain', '--', path])?.trim();
  if (!log.length) return { ...none(`${path} has not been committed yet`), uncommitted };
  const updates: LedgerUpdate[] = [];
  let prev: Ledger | null = null;
  for (const c of log) {
    const text = git(cwd, ['show', `${c.commit}:${path}`]);
    // A commit that deleted the file: the next version is compared with the last one that existed.
    if (text === null) continue;
    const cur = parseLedger(text, `${path} at ${c.commit.slice(0, 7)}`);
    if (prev) {
      const changes = diffLedgers(prev, cur);
      if (changes.length) updates.push({ commit: c.commit, date: c.date, changes });
    }
    prev = cur;
  }
  return { start: log[0], updates: updates.reverse(), unavailable: null, uncommitted };
}
