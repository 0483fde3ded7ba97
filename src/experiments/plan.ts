/**
 * From an experiment and a profile to the list of runs, each with its stable run key, seed,
 * stored config and config hash; plus deterministic sharding of that list.
 */
import { configHash } from './hash';
import { parseConfig } from './schema';
import { TRACE_SCHEMA_VERSION } from './trace';
import type { AnyExperiment, ProfileName } from './types';
import { PROFILES } from './types';

/** A run's key: its grid point's key and its seed, "<gridKey>-s<seed>". */
export const runKeyOf = (gridKey: string, seed: number): string => `${gridKey}-s${seed}`;

/** The grid point's key of a run key (runKeyOf without its seed). */
export const gridKeyOf = (runKey: string): string => runKey.replace(/-s\d+$/, '');

/** One run to perform (or to find up to date on disk). */
export interface PlannedRun {
  experiment: string;
  profile: ProfileName;
  runKey: string;
  seed: number;
  /** The grid point's config plus `codeVersion` (experiment.version); what the trace stores. */
  config: Record<string, unknown>;
  configHash: string;
}

const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Validated config of a profile; throws naming the experiment, profile and field. */
export function profileConfig(exp: AnyExperiment, profile: ProfileName, overrides: { seeds?: number } = {}) {
  if (!PROFILES.includes(profile)) {
    throw new Error(`unknown profile "${profile}"; use one of ${PROFILES.join(', ')}`);
  }
  const raw = {
    ...(exp.profiles[profile] as object),
    ...(overrides.seeds !== undefined ? { seeds: overrides.seeds } : {}),
  };
  return parseConfig(`${exp.id} (profile ${profile})`, exp.schema, raw);
}

/** Expands an experiment config into planned runs: grid points × seeds baseSeed..baseSeed+seeds−1. */
export function planExperiment(
  exp: AnyExperiment,
  profile: ProfileName,
  overrides: { seeds?: number; config?: unknown } = {},
): PlannedRun[] {
  const cfg =
    overrides.config !== undefined
      ? parseConfig(`${exp.id}`, exp.schema, overrides.config)
      : profileConfig(exp, profile, { seeds: overrides.seeds });
  const runs: PlannedRun[] = [];
  const seen = new Set<string>();
  for (const point of exp.expand(cfg)) {
    if (!KEY_RE.test(point.key)) {
      throw new Error(`${exp.id}: grid key "${point.key}" is not file-name safe; use letters, digits, '.', '_' or '-'`);
    }
    for (let s = 0; s < cfg.seeds; s++) {
      const seed = cfg.baseSeed + s;
      const runKey = runKeyOf(point.key, seed);
      if (seen.has(runKey)) throw new Error(`${exp.id}: duplicate run key "${runKey}"; make grid keys unique`);
      seen.add(runKey);
      const config = { ...(point.config as Record<string, unknown>), codeVersion: exp.version };
      runs.push({
        experiment: exp.id,
        profile,
        runKey,
        seed,
        config,
        configHash: configHash({ experiment: exp.id, schemaVersion: TRACE_SCHEMA_VERSION, runKey, config, seed }),
      });
    }
  }
  return runs;
}

/** Parses "--shard i/N" (1-based, 1 ≤ i ≤ N). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new Error(`--shard must look like i/N with 1 ≤ i ≤ N (e.g. --shard 1/2), got "${text}"`);
  }
  return { index, count };
}

const keyOf = (r: { experiment: string; runKey: string }) => `${r.experiment}/${r.runKey}`;
const byKey = (a: { experiment: string; runKey: string }, b: { experiment: string; runKey: string }) => {
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/**
 * Runs of shard i of N. Without costs: sort all runs by "experiment/runKey" and deal them
 * round-robin. With `cost` (seconds a run is expected to take): longest processing time first,
 * i.e. take runs from the most to the least expensive (ties by key) and give each to the shard
 * with the least work so far (ties to the lowest shard), which keeps the longest shard within 4/3
 * of the best possible split. Either way shards are disjoint, cover every run and depend only on
 * the runs and their costs, not on the machine; a shard's runs come back in key order.
 */
export function shardRuns<T extends { experiment: string; runKey: string }>(
  runs: T[],
  shard: { index: number; count: number },
  cost?: (run: T) => number,
): T[] {
  const sorted = [...runs].sort(byKey);
  if (!cost) return sorted.filter((_, i) => i % shard.count === shard.index - 1);
  return balancedShards(sorted, shard.count, cost)[shard.index - 1];
}

/** All N shards of a longest-processing-time-first split (see shardRuns), each in key order. */
export function balancedShards<T extends { experiment: string; runKey: string }>(
  runs: T[],
  count: number,
  cost: (run: T) => number,
): T[][] {
  const costed = runs.map((r) => ({ r, c: cost(r) }));
  costed.sort((a, b) => b.c - a.c || byKey(a.r, b.r));
  const loads = new Array<number>(count).fill(0);
  const shards: T[][] = Array.from({ length: count }, () => []);
  for (const { r, c } of costed) {
    let best = 0;
    for (let i = 1; i < count; i++) if (loads[i] < loads[best]) best = i;
    loads[best] += c;
    shards[best].push(r);
  }
  return shards.map((s) => s.sort(byKey));
}

/**
 * Wall seconds `cores` workers need for runs of these costs (seconds each) when each worker takes
 * the longest run left as soon as it is free (how the pipeline feeds its pool).
 */
export function makespan(costs: number[], cores: number): number {
  const free = new Array<number>(Math.max(1, cores)).fill(0);
  for (const c of [...costs].sort((a, b) => b - a)) {
    let best = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[best]) best = i;
    free[best] += c;
  }
  return Math.max(...free);
}

/** How many shards the runs to do are dealt to, and what the longest of them will take. */
export interface ShardPlan {
  count: number;
  /** Wall seconds of the longest shard (makespan of its runs on `cores` workers). */
  longestShardSeconds: number;
  /** The longest single run: no split of runs into shards can beat it. */
  longestRunSeconds: number;
  targetSeconds: number;
  cores: number;
  /** The longest shard is within the target. */
  fits: boolean;
}

/**
 * The fewest shards (at most `maxShards`) whose longest-processing-time split (balancedShards)
 * keeps every shard within `targetSeconds` of wall time on `cores` workers; when no count does
 * (a run alone is longer, or too few shards), the fewest that reach the shortest longest shard.
 */
export function planShardCount<T extends { experiment: string; runKey: string }>(
  runs: T[],
  cost: (run: T) => number,
  opts: { targetSeconds: number; cores: number; maxShards: number },
): ShardPlan {
  const longestRunSeconds = Math.max(0, ...runs.map(cost));
  const base = { longestRunSeconds, targetSeconds: opts.targetSeconds, cores: opts.cores };
  if (runs.length === 0) return { ...base, count: 1, longestShardSeconds: 0, fits: true };
  let best = { count: 1, longestShardSeconds: Infinity };
  for (let count = 1; count <= Math.min(opts.maxShards, runs.length); count++) {
    const longest = Math.max(
      ...balancedShards(runs, count, cost).map((s) =>
        makespan(
          s.map((r) => cost(r)),
          opts.cores,
        ),
      ),
    );
    if (longest < best.longestShardSeconds - 1e-9) best = { count, longestShardSeconds: longest };
    if (longest <= opts.targetSeconds) break;
  }
  return { ...base, ...best, fits: best.longestShardSeconds <= opts.targetSeconds };
}

/**
 * The cost of each run for the shard plan: its recorded seconds when known, else the median of its
 * experiment's known runs, else the median of all known runs (1 s when nothing is known).
 */
export function costsWithMedians<T extends { experiment: string; runKey: string }>(
  runs: T[],
  recorded: (run: T) => number | undefined,
): (run: T) => number {
  const median = (xs: number[]) => {
    if (!xs.length) return undefined;
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const known = new Map<string, number>();
  const perExperiment = new Map<string, number[]>();
  for (const r of runs) {
    const c = recorded(r);
    if (c === undefined || !Number.isFinite(c) || c < 0) continue;
    known.set(keyOf(r), c);
    perExperiment.set(r.experiment, [...(perExperiment.get(r.experiment) ?? []), c]);
  }
  const overall = median([...known.values()]) ?? 1;
  const medians = new Map([...perExperiment].map(([e, xs]) => [e, median(xs)!]));
  return (r) => known.get(keyOf(r)) ?? medians.get(r.experiment) ?? overall;
}
