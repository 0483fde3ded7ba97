/**
 * What `npm run experiments -- status` reports: per experiment, how many of the selected runs have
 * an up-to-date trace in a folder and how many are stale, missing or corrupt, with the reason for
 * each one that is not up to date.
 */
import type { ProfileName } from '../../src/experiments/types';
import { currentSourceHash } from '../../src/node/traceFiles';
import { planSelection } from './runPipeline';
import { repoRoot } from './provenance';
import { cacheState } from './traceStore';

export interface ExperimentStatus {
  runs: number;
  fresh: number;
  stale: number;
  missing: number;
  corrupt: number;
}

export interface StatusReport {
  profile: ProfileName;
  /** The folder as given (e.g. "content/traces"). */
  dir: string;
  /** Runs that are not up to date (stale, missing or corrupt): what a regeneration would run. */
  toRun: number;
  experiments: Record<string, ExperimentStatus>;
  /** Every run that is not up to date, with the reason (file, field). */
  problems: { run: string; state: 'stale' | 'missing' | 'corrupt'; reason: string }[];
}

/** Inspects the trace of every selected run in `absDir` (shown as `dir`) with every reader's checks. */
export function traceStatus(opts: {
  only?: string[];
  profile: ProfileName;
  dir: string;
  absDir: string;
}): StatusReport {
  const experiments: Record<string, ExperimentStatus> = {};
  const problems: StatusReport['problems'] = [];
  for (const run of planSelection({ only: opts.only, profile: opts.profile })) {
    const e = (experiments[run.experiment] ??= { runs: 0, fresh: 0, stale: 0, missing: 0, corrupt: 0 });
    e.runs++;
    const s = cacheState(opts.absDir, run, currentSourceHash(run.experiment, repoRoot()));
    e[s.state]++;
    if (s.state !== 'fresh')
      problems.push({ run: `${run.experiment}/${run.runKey}`, state: s.state, reason: s.reason });
  }
  const toRun = Object.values(experiments).reduce((s, e) => s + e.runs - e.fresh, 0);
  return { profile: opts.profile, dir: opts.dir, toRun, experiments, problems };
}
