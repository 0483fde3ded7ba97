/**
 * Build-time access to committed traces for Astro pages (and tests, from plain Node): the one
 * path by which the site reads and validates traces. Every trace is validated as a file, checked
 * against the registry's current `paper` config hash, decoded, and checked against its
 * experiment's declared outputs (summary schema and series names); a missing, malformed, stale or
 * mismatching trace throws an error that names the file (and field) and the command that
 * regenerates it. Reads are typed by experiment id: getTraces('uv-catapult') returns traces
 * whose summary, series and config have that experiment's declared types.
 * Node-only (reads files): import from pages/frontmatter, not islands.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { planExperiment, type PlannedRun } from '../experiments/plan';
import { EXPERIMENTS_BY_ID, getExperiment, type ExperimentId } from '../experiments/registry';
import { decodeTrace, parseTraceText, recomputeConfigHash, type Trace, type TraceFile } from '../experiments/trace';
import { parseModelFile, type ModelFile } from '../experiments/modelFile';
import { checkOutputs, formatOutputIssues, outputIssues, outputVariants, type TraceOutputs } from '../experiments/outputs';
import type { Experiment, ProfileName } from '../experiments/types';

export type { Trace } from '../experiments/trace';

/** A decoded trace whose config, summary and series have the types one kind of run declares. */
export type TypedTrace<R, S, N extends string, O extends string> = Omit<Trace, 'config' | 'summary' | 'series'> & {
  /** The run's config as expand() made it (the config hash guarantees it), plus codeVersion. */
  config: R & { codeVersion: number };
  summary: S;
  series: Record<N, number[]> & Partial<Record<O, number[]>>;
};
/** The typed trace of one kind of run `V` of an experiment whose run config is R. */
export type VariantTrace<R, V> = V extends TraceOutputs<infer S, infer N, infer O> ? TypedTrace<R, S, N, O> : never;
type Variants<Out> = Out extends readonly (infer V)[] ? V : Out;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TraceOfExperiment<E> = E extends Experiment<any, infer R, infer Out> ? VariantTrace<R, Variants<Out>> : never;
/** A trace of the registered experiment `K` (a union when it declares several kinds of run). */
export type TraceOf<K extends ExperimentId> = TraceOfExperiment<(typeof EXPERIMENTS_BY_ID)[K]>;

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
  checkTraceOutputs(trace, source);
  cache.set(path, { mtimeMs, trace });
  return trace;
}

/**
 * Checks a decoded trace against its experiment's declared outputs (summary schema, series
 * names); throws naming `source`, every mismatching field and the regenerate command.
 */
export function checkTraceOutputs(trace: Trace, source: string): void {
  const exp = getExperiment(trace.experiment);
  const bad = checkOutputs(exp.outputs, trace);
  if (!bad) return;
  const closest = outputVariants(exp.outputs).length > 1 ? ` (closest: its ${bad.variant} runs)` : '';
  throw new Error(
    `${source} does not match the outputs ${exp.id} declares${closest}: ${formatOutputIssues(bad.issues)}; ` +
      `regenerate it with \`${regenerateCommand(exp.id)} --force\`, or update \`outputs\` in ${exp.id}'s file under src/experiments if the run's output changed`,
  );
}

/** The decoded, fresh trace of one run (runKey as in the file name, e.g. "traj-eta3-s0"), typed by experiment. */
export function getTrace<K extends ExperimentId>(experiment: K, runKey: string, opts?: TraceOptions): TraceOf<K>;
export function getTrace(experiment: string, runKey: string, opts?: TraceOptions): Trace;
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

/** All runs of an experiment's profile (default paper), in plan order (grid points × seeds), typed by experiment; all must be fresh. */
export function getTraces<K extends ExperimentId>(experiment: K, opts?: TraceOptions): TraceOf<K>[];
export function getTraces(experiment: string, opts?: TraceOptions): Trace[];
export function getTraces(experiment: string, opts: TraceOptions = {}): Trace[] {
  const dir = opts.dir ?? defaultDir();
  return plan(experiment, opts.profile ?? 'paper').map((run) => load(run, dir));
}

/**
 * Every trace file under `dir` (default content/traces), checked: each must be a planned run of
 * a registered experiment (else it names the file to delete), each experiment folder must hold
 * all of its planned runs, and every trace must be valid, fresh and match its outputs (as
 * getTrace). Run at build time so no trace in the folder escapes the checks.
 */
export function checkTraceDir(opts: TraceOptions = {}): { experiment: string; runKey: string }[] {
  const dir = opts.dir ?? defaultDir();
  const profile = opts.profile ?? 'paper';
  const out: { experiment: string; runKey: string }[] = [];
  if (!existsSync(dir)) return out;
  for (const experiment of readdirSync(dir).sort()) {
    const sub = join(dir, experiment);
    if (experiment.startsWith('.') || !statSync(sub).isDirectory()) continue;
    const files = readdirSync(sub).filter((f) => f.endsWith('.json') && !f.endsWith('.model.json') && !f.startsWith('.'));
    if (!(experiment in EXPERIMENTS_BY_ID)) {
      if (files.length) throw new Error(`${display(join(sub, files[0]))}: no registered experiment "${experiment}"; delete ${display(sub)} or register the experiment in src/experiments/registry.ts`);
      continue;
    }
    const runs = new Map(plan(experiment, profile).map((r) => [r.runKey, r]));
    for (const f of files.sort()) {
      const runKey = f.replace(/\.json$/, '');
      if (!runs.has(runKey)) {
        throw new Error(`${display(join(sub, f))}: ${experiment} no longer has a run "${runKey}" in its ${profile} profile; delete the file (or restore the grid point), then run \`${regenerateCommand(experiment, profile)}\``);
      }
    }
    // A folder holds all of its experiment's runs (a missing one is named by load).
    for (const run of runs.values()) {
      load(run, dir);
      out.push({ experiment, runKey: run.runKey });
    }
  }
  return out;
}

/**
 * Narrows a trace to one declared kind of run (e.g. UV_TRAJECTORY_OUTPUTS); throws naming the
 * run and the fields that differ if it is another kind.
 */
export function asVariant<T extends Trace | TypedTrace<unknown, unknown, string, string>, S, N extends string, O extends string>(
  t: T,
  v: TraceOutputs<S, N, O>,
): Omit<T, 'summary' | 'series'> & { summary: S; series: Record<N, number[]> & Partial<Record<O, number[]>> } {
  const issues = outputIssues(v, t as Trace);
  if (issues.length) throw new Error(`${t.experiment}/${t.runKey} is not one of its ${v.name} runs: ${formatOutputIssues(issues)}`);
  return t as never;
}

/** Summary value `key` of trace `t`, which must not be null here; throws naming the experiment, run and key. */
export function need<T extends { experiment: string; runKey: string; summary: object }, K extends keyof T['summary'] & string>(t: T, key: K): NonNullable<T['summary'][K]> {
  const v = (t.summary as Record<string, unknown>)[key];
  if (v === null || v === undefined) throw new Error(`${t.experiment}/${t.runKey}: summary "${key}" is ${v} where a value is needed`);
  return v as NonNullable<T['summary'][K]>;
}

/** The first trace matching `pred`; throws naming the experiment, what was sought and the runs there are. */
export function findRun<T extends { experiment: string; runKey: string }>(traces: readonly T[], what: string, pred: (t: T) => boolean): T {
  const t = traces.find(pred);
  if (t) return t;
  throw new Error(`${traces[0]?.experiment ?? 'experiment'}: no run ${what} among ${traces.length ? traces.map((x) => x.runKey).join(', ') : 'no runs at all'}`);
}

/** `xs` itself, which must not be empty; throws naming what was expected. */
export function nonEmpty<T>(xs: readonly T[], what: string): T[] {
  if (!xs.length) throw new Error(`no ${what}; check the experiment's paper profile and its traces`);
  return [...xs];
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
