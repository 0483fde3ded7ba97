/**
 * What `npm run experiments -- status` reports: per experiment, how many of the selected runs have
 * an up-to-date trace in a folder and how many are stale, missing or corrupt, with the reason for
 * each one that is not up to date.
 */
import type { ProfileName } from '../../src/experiments/types';
import { planShardCount, type PlannedRun, type ShardPlan } from '../../src/experiments/plan';
import { currentSourceHash } from '../../src/node/traceFiles';
import { planSelection, shardCosts } from './runPipeline';
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
  /** How many shards a regeneration of the runs to do takes (costs: the wall seconds content/traces recorded). */
  shards: ShardPlan & { list: number[] };
}

/** What one regeneration shard should take at most, wall seconds. */
export const SHARD_TARGET_SECONDS = 900;
/** At most this many shards: jobs beyond the hosting plan's concurrent-job limit (20 on GitHub's free plan) only queue. */
export const MAX_SHARDS = 20;

/** Inspects the trace of every selected run in `absDir` (shown as `dir`) with every reader's checks. */
export function traceStatus(opts: {
  only?: string[];
  profile: ProfileName;
  dir: string;
  absDir: string;
  /** Cores of the machine a shard runs on (its --jobs). */
  cores: number;
}): StatusReport {
  const experiments: Record<string, ExperimentStatus> = {};
  const problems: StatusReport['problems'] = [];
  const planned = planSelection({ only: opts.only, profile: opts.profile });
  const todo: PlannedRun[] = [];
  for (const run of planned) {
    const e = (experiments[run.experiment] ??= { runs: 0, fresh: 0, stale: 0, missing: 0, corrupt: 0 });
    e.runs++;
    const s = cacheState(opts.absDir, run, currentSourceHash(run.experiment, repoRoot()));
    e[s.state]++;
    if (s.state !== 'fresh') {
      problems.push({ run: `${run.experiment}/${run.runKey}`, state: s.state, reason: s.reason });
      todo.push(run);
    }
  }
  const toRun = Object.values(experiments).reduce((s, e) => s + e.runs - e.fresh, 0);
  // the same costs the shards deal by (shardCosts over all planned runs), so plan and shards agree
  const plan = planShardCount(todo, shardCosts(planned), {
    targetSeconds: SHARD_TARGET_SECONDS,
    cores: opts.cores,
    maxShards: MAX_SHARDS,
  });
  const shards = { ...plan, list: Array.from({ length: plan.count }, (_, i) => i + 1) };
  return { profile: opts.profile, dir: opts.dir, toRun, experiments, problems, shards };
}
