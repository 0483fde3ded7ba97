/**
 * Build-time access to committed traces for Astro pages (and tests, from plain Node).
 * Every trace is validated, checked against the registry's current `paper` config hash and
 * decoded; a missing, malformed or stale trace throws an error that names the file and the
 * command that regenerates it. Node-only (reads files): import from pages/frontmatter, not islands.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { planExperiment, type PlannedRun } from '../experiments/plan';
import { getExperiment } from '../experiments/registry';
import { decodeTrace, parseTraceText, recomputeConfigHash, type Trace, type TraceFile } from '../experiments/trace';
import { parseModelFile, type ModelFile } from '../experiments/modelFile';
import type { ProfileName } from '../experiments/types';

export type { Trace } from '../experiments/trace';

/** Where to look: `dir` defaults to <cwd>/content/traces, `profile` to 'paper' (what the site shows). */
export interface TraceOptions {
  dir?: string;
  profile?: ProfileName;
}

const defaultDir = () => resolve(process.cwd(), 'content/traces');

/** The exact command that regenerates an experiment's traces (paper profile unless told otherwise). */
export function regenerateCommand(experiment: string, profile: ProfileName = 'paper'): string {
  return `npm run experiments -- --only ${experiment}${profile === 'paper' ? '' : ` --profile ${profile}`}`;
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

const plans = new Map<string, PlannedRun[]>();
function plan(experiment: string, profile: ProfileName): PlannedRun[] {
  const key = `${experiment}:${profile}`;
  if (!plans.has(key)) plans.set(key, planExperiment(getExperiment(experiment), profile));
  return plans.get(key)!;
}

/**
 * Checks a parsed trace file against the planned run and decodes it; throws naming `source`
 * and the regenerate command if the config hash differs (the trace is stale).
 */
export function checkTrace(file: TraceFile, run: PlannedRun, source: string): Trace {
  if (file.experiment !== run.experiment || file.runKey !== run.runKey) {
    throw new Error(`${source} holds ${file.experiment}/${file.runKey}, expected ${run.experiment}/${run.runKey}; regenerate with \`${regenerateCommand(run.experiment)}\``);
  }
  if (recomputeConfigHash(file) !== file.configHash) {
    throw new Error(
      `${source} is inconsistent: its config does not hash to its configHash (edited by hand?); regenerate with \`${regenerateCommand(run.experiment, run.profile)} --force\``,
    );
  }
  if (file.configHash !== run.configHash) {
    throw new Error(
      `${source} is stale: it was made from a different config than src/experiments now defines ` +
        `(configHash ${file.configHash.slice(0, 12)}… ≠ ${run.configHash.slice(0, 12)}…); regenerate with \`${regenerateCommand(run.experiment, run.profile)}\``,
    );
  }
  return decodeTrace(file);
}

const cache = new Map<string, { mtimeMs: number; trace: Trace }>();

function load(run: PlannedRun, dir: string): Trace {
  const path = join(dir, run.experiment, `${run.runKey}.json`);
  const source = display(path);
  if (!existsSync(path)) {
    throw new Error(`missing trace ${source}; generate it with \`${regenerateCommand(run.experiment, run.profile)}\``);
  }
  const mtimeMs = statSync(path).mtimeMs;
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs && hit.trace.configHash === run.configHash) return hit.trace;
  let file: TraceFile;
  try {
    file = parseTraceText(readFileSync(path, 'utf8'), source);
  } catch (e) {
    throw new Error(`${(e as Error).message}; regenerate it with \`${regenerateCommand(run.experiment, run.profile)} --force\``);
  }
  const trace = checkTrace(file, run, source);
  cache.set(path, { mtimeMs, trace });
  return trace;
}

/** The decoded, fresh trace of one run (runKey as in the file name, e.g. "traj-eta3-s0"). */
export function getTrace(experiment: string, runKey: string, opts: TraceOptions = {}): Trace {
  const runs = plan(experiment, opts.profile ?? 'paper');
  const run = runs.find((r) => r.runKey === runKey);
  if (!run) {
    throw new Error(
      `${experiment} has no run "${runKey}" in its ${opts.profile ?? 'paper'} profile; known run keys: ${runs.map((r) => r.runKey).join(', ')}`,
    );
  }
  return load(run, opts.dir ?? defaultDir());
}

/** All runs of an experiment's profile (default paper), in plan order (grid points × seeds); all must be fresh. */
export function getTraces(experiment: string, opts: TraceOptions = {}): Trace[] {
  const dir = opts.dir ?? defaultDir();
  return plan(experiment, opts.profile ?? 'paper').map((run) => load(run, dir));
}

/**
 * For pages that read the `traces` content collection: checks and decodes one entry's data
 * (already validated by the collection schema) against the registry.
 */
export function traceFromEntry(entry: { id: string; data: TraceFile; filePath?: string }, opts: Pick<TraceOptions, 'profile'> = {}): Trace {
  const source = entry.filePath ?? `content/traces/${entry.id}.json`;
  const run = plan(entry.data.experiment, opts.profile ?? 'paper').find((r) => r.runKey === entry.data.runKey);
  if (!run) {
    throw new Error(`${source}: ${entry.data.experiment} no longer has a run "${entry.data.runKey}"; delete the file or run \`${regenerateCommand(entry.data.experiment)}\``);
  }
  return checkTrace(entry.data, run, source);
}

/** Model files exported next to an experiment's traces: {runKey, path, model} (validated). */
export function getModelFiles(experiment: string, opts: TraceOptions = {}): { runKey: string; path: string; model: ModelFile }[] {
  const dir = join(opts.dir ?? defaultDir(), experiment);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.model.json') && !f.startsWith('.'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        throw new Error(`${display(path)}: not valid JSON (${(e as Error).message}); regenerate with \`${regenerateCommand(experiment)} --force\``);
      }
      return { runKey: f.replace(/\.model\.json$/, ''), path, model: parseModelFile(raw, display(path)) };
    });
}
