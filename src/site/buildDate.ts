/**
 * The date a build publishes under (citation year, Scholar's publication date, the sitemap): the
 * committer date of the checked-out commit, so two builds of one commit cite the same date. Without
 * git (a source tarball), `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds variable)
 * and, failing that, today's date. Node-only; read at build time.
 */
import { execFileSync } from 'node:child_process';

export interface BuildDate {
  /** ISO 8601 date, e.g. '2026-12-07'. */
  iso: string;
  year: number;
  /** Where the date came from, for the build log. */
  source: 'git' | 'SOURCE_DATE_EPOCH' | 'today';
}

/** Runs `git log -1 --format=%cI` in `cwd`; returns null when git or the repository is missing. */
function gitCommitDate(cwd: string): string | null {
  try {
    return execFileSync('git', ['log', '-1', '--format=%cI'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function fromDate(d: Date, source: BuildDate['source']): BuildDate {
  return { iso: d.toISOString().slice(0, 10), year: d.getUTCFullYear(), source };
}

/**
 * The build's date. `git` and `env` are injectable for tests. Throws naming the value and its fix
 * when git prints something that is not a date or SOURCE_DATE_EPOCH is not a whole number of seconds.
 */
export function buildDate(
  opts: { git?: () => string | null; env?: NodeJS.ProcessEnv; now?: () => Date; cwd?: string } = {},
): BuildDate {
  const git = opts.git ?? (() => gitCommitDate(opts.cwd ?? process.cwd()));
  const env = opts.env ?? process.env;
  const out = git();
  if (out) {
    const d = new Date(out);
    if (Number.isNaN(d.getTime())) {
      throw new Error(
        `build date: \`git log -1 --format=%cI\` printed "${out}", not a date; check the checkout (git status) or build from a commit`,
      );
    }
    return fromDate(d, 'git');
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) {
      throw new Error(
        `build date: SOURCE_DATE_EPOCH="${epoch}" is not a whole number of seconds since 1970; set it to e.g. $(date +%s) or unset it`,
      );
    }
    return fromDate(new Date(Number(epoch) * 1000), 'SOURCE_DATE_EPOCH');
  }
  return fromDate((opts.now ?? (() => new Date()))(), 'today');
}

let cached: BuildDate | undefined;
/** The build's date, computed once per build. */
export function siteBuildDate(): BuildDate {
  cached ??= buildDate();
  return cached;
}
