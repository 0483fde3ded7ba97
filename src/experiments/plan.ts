/**
 * From an experiment and a profile to the list of runs, each with its stable run key, seed,
 * stored config and config hash; plus deterministic sharding of that list.
 */
import { configHash } from './hash';
import { parseConfig } from './schema';
import { TRACE_SCHEMA_VERSION } from './trace';
import type { AnyExperiment, ProfileName } from './types';
import { PROFILES } from './types';

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
      const runKey = `${point.key}-s${seed}`;
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

/**
 * Runs of shard i of N: sort all runs by "experiment/runKey" and deal them round-robin, so
 * shards are balanced, disjoint, cover everything, and do not depend on the machine.
 */
export function shardRuns<T extends { experiment: string; runKey: string }>(
  runs: T[],
  shard: { index: number; count: number },
): T[] {
  const sorted = [...runs].sort((a, b) => {
    const ka = `${a.experiment}/${a.runKey}`;
    const kb = `${b.experiment}/${b.runKey}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}
