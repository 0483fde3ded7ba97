/**
 * Build-time access to committed traces for Astro pages (and tests, from plain Node): the one
 * path by which the site reads and validates traces. Every trace gets the checks of
 * src/node/traceFiles.ts (schema, finite numbers, declared series lengths, its model file, config
 * and source hash against today's code), is decoded, and is checked against its experiment's
 * declared outputs (summary schema and series names). A missing, malformed or mismatching trace
 * throws an error that names the file, the field and the command that fixes it; a stale one throws
 * one error listing every experiment with stale traces and the single command that regenerates
 * them all. Reads are typed by experiment id: getTraces('uv-catapult') returns traces whose
 * summary, series and config have that experiment's declared types.
 * Node-only (reads files): import from pages/frontmatter, not islands.
 */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { planExperiment, type PlannedRun } from '../experiments/plan';
import { EXPERIMENTS, EXPERIMENTS_BY_ID, getExperiment, type ExperimentId } from '../experiments/registry';
import { isModelFileName, isTraceFileName, modelFileName, runKeyOfModelFile, type Trace } from '../experiments/trace';
import { parseModelFile, type ModelFile } from '../experiments/modelFile';
import {
  checkOutputs,
  formatOutputIssues,
  outputIssues,
  outputVariants,
  type TraceOutputs,
} from '../experiments/outputs';
import type { Experiment, ProfileName } from '../experiments/types';
import { findProjectRoot } from '../node/sourceHash';
import { currentSourceHash, inspectTraceFile, modelPath, tracePath, type Change } from '../node/traceFiles';
import { readRegularFile } from '../node/regularFile';

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
const sourceRoot = () => findProjectRoot(process.cwd());

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/**
 * The exact command that regenerates these experiments' traces (paper profile into content/traces
 * unless told otherwise).
 */
export function regenerateCommand(
  experiments: string | string[],
  profile: ProfileName = 'paper',
  dir?: string,
): string {
  const list = Array.isArray(experiments) ? experiments : [experiments];
  const defaults = EXPERIMENTS.filter((e) => e.runByDefault !== false).map((e) => e.id);
  // Every experiment a bare `npm run experiments` runs: no --only needed.
  const all = list.length === defaults.length && defaults.every((id) => list.includes(id));
  const flags = [
    all ? '' : ` --only ${list.join(',')}`,
    profile === 'paper' ? '' : ` --profile ${profile}`,
    dir !== undefined && resolve(dir) !== defaultDir() ? ` --out ${display(resolve(dir))}` : '',
  ].join('');
  return flags ? `npm run experiments --${flags}` : 'npm run experiments';
}

const plans = new Map<string, PlannedRun[]>();
function plan(experiment: string, profile: ProfileName): PlannedRun[] {
  const key = `${experiment}:${profile}`;
  if (!plans.has(key)) plans.set(key, planExperiment(getExperiment(experiment), profile));
  return plans.get(key)!;
}

const cache = new Map<string, { mtimeMs: number; trace: Trace }>();

/** Every experiment that has stale traces in `dir` (profile `profile`), with counts, for one error message. */
function staleExperiments(
  dir: string,
  profile: ProfileName,
): { id: string; stale: number; missing: number; runs: number; changed: Set<Change> }[] {
  const out = [];
  for (const exp of EXPERIMENTS) {
    if (exp.runByDefault === false && !existsSync(join(dir, exp.id))) continue;
    const runs = plan(exp.id, profile);
    const sourceHash = currentSourceHash(exp.id, sourceRoot());
    let stale = 0;
    let missing = 0;
    const changed = new Set<Change>();
    for (const run of runs) {
      const s = inspectTraceFile(tracePath(dir, run.experiment, run.runKey), run, { sourceHash });
      if (s.state === 'stale') {
        stale++;
        for (const c of s.changed) changed.add(c);
      } else if (s.state === 'missing') missing++;
    }
    if (stale) out.push({ id: exp.id, stale, missing, runs: runs.length, changed });
  }
  return out;
}

function staleError(message: string, dir: string, profile: ProfileName): Error {
  const list = staleExperiments(dir, profile);
  const lines = list.map((e) => {
    const what =
      e.changed.size === 2 ? 'code and config changed' : e.changed.has('code') ? 'code changed' : 'config changed';
    return `  ${e.id}: ${e.stale} of ${e.runs} runs stale (${what})${e.missing ? `, ${e.missing} missing` : ''}`;
  });
  return new Error(
    `${message}.\nExperiments with stale traces in ${display(dir)} (${profile} profile):\n${lines.join('\n')}\n` +
      `Regenerate them with \`${regenerateCommand(
        list.map((e) => e.id),
        profile,
        dir,
      )}\``,
  );
}

function load(run: PlannedRun, dir: string): Trace {
  const path = tracePath(dir, run.experiment, run.runKey);
  const source = display(path);
  const key = `${path}:${run.profile}`;
  let mtimeMs = -1;
  try {
    mtimeMs = lstatSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  } catch {
    // A path through a file that is no folder: missing, as inspectTraceFile says.
  }
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === mtimeMs) return hit.trace;
  const s = inspectTraceFile(path, run, {
    sourceHash: currentSourceHash(run.experiment, sourceRoot()),
    display: source,
  });
  if (s.state === 'fresh') {
    checkTraceOutputs(s.trace, source);
    cache.set(key, { mtimeMs, trace: s.trace });
    return s.trace;
  }
  if (s.state === 'missing')
    throw new Error(`${s.message}; generate it with \`${regenerateCommand(run.experiment, run.profile, dir)}\``);
  if (s.state === 'corrupt')
    throw new Error(
      `${s.message}; regenerate it with \`${regenerateCommand(run.experiment, run.profile, dir)} --force\``,
    );
  throw staleError(s.message, dir, run.profile);
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
    const files = readdirSync(sub).filter(isTraceFileName);
    if (!(experiment in EXPERIMENTS_BY_ID)) {
      if (files.length)
        throw new Error(
          `${display(join(sub, files[0]))}: no registered experiment "${experiment}"; delete ${display(sub)} or register the experiment in src/experiments/registry.ts`,
        );
      continue;
    }
    const runs = new Map(plan(experiment, profile).map((r) => [r.runKey, r]));
    for (const f of files.sort()) {
      const runKey = f.replace(/\.json$/, '');
      if (!runs.has(runKey)) {
        throw new Error(
          `${display(join(sub, f))}: ${experiment} no longer has a run "${runKey}" in its ${profile} profile; delete the file (or restore the grid point), then run \`${regenerateCommand(experiment, profile)}\``,
        );
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
export function asVariant<
  T extends Trace | TypedTrace<unknown, unknown, string, string>,
  S,
  N extends string,
  O extends string,
>(
  t: T,
  v: TraceOutputs<S, N, O>,
): Omit<T, 'summary' | 'series'> & { summary: S; series: Record<N, number[]> & Partial<Record<O, number[]>> } {
  const issues = outputIssues(v, t as Trace);
  if (issues.length)
    throw new Error(`${t.experiment}/${t.runKey} is not one of its ${v.name} runs: ${formatOutputIssues(issues)}`);
  return t as never;
}

/** Summary value `key` of trace `t`, which must not be null here; throws naming the experiment, run and key. */
export function need<
  T extends { experiment: string; runKey: string; summary: object },
  K extends keyof T['summary'] & string,
>(t: T, key: K): NonNullable<T['summary'][K]> {
  const v = (t.summary as Record<string, unknown>)[key];
  if (v === null || v === undefined)
    throw new Error(`${t.experiment}/${t.runKey}: summary "${key}" is ${v} where a value is needed`);
  return v as NonNullable<T['summary'][K]>;
}

/** The first trace matching `pred`; throws naming the experiment, what was sought and the runs there are. */
export function findRun<T extends { experiment: string; runKey: string }>(
  traces: readonly T[],
  what: string,
  pred: (t: T) => boolean,
): T {
  const t = traces.find(pred);
  if (t) return t;
  throw new Error(
    `${traces[0]?.experiment ?? 'experiment'}: no run ${what} among ${traces.length ? traces.map((x) => x.runKey).join(', ') : 'no runs at all'}`,
  );
}

/** `xs` itself, which must not be empty; throws naming what was expected. */
export function nonEmpty<T>(xs: readonly T[], what: string): T[] {
  if (!xs.length) throw new Error(`no ${what}; check the experiment's paper profile and its traces`);
  return [...xs];
}

/**
 * Model files exported next to an experiment's traces: {runKey, path, model}, validated. Each must
 * belong to a fresh trace that names it in `summary.modelFile`; any other *.model.json is an orphan
 * and fails (it would be published without the run that made it).
 */
export function getModelFiles(
  experiment: string,
  opts: TraceOptions = {},
): { runKey: string; path: string; model: ModelFile }[] {
  const root = opts.dir ?? defaultDir();
  const profile = opts.profile ?? 'paper';
  const dir = join(root, experiment);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(isModelFileName)
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const runKey = runKeyOfModelFile(f);
      const run = plan(experiment, profile).find((r) => r.runKey === runKey);
      const orphan = (why: string) =>
        new Error(
          `${display(path)} is an orphan model file: ${why}; delete it, or regenerate with \`${regenerateCommand(experiment, profile, root)} --force\``,
        );
      if (!run) throw orphan(`${experiment} has no run "${runKey}" in its ${profile} profile`);
      const tracePathOf = tracePath(root, experiment, runKey);
      if (!existsSync(tracePathOf)) throw orphan(`its trace ${display(tracePathOf)} does not exist`);
      const trace = load(run, root);
      if (trace.summary.modelFile !== modelFileName(runKey))
        throw orphan(`its trace ${display(tracePathOf)} does not name it (field "summary.modelFile" is absent)`);
      // load() has validated the model already; parse again for the typed value.
      const model = parseModelFile(
        JSON.parse(readRegularFile(modelPath(root, experiment, runKey), display(path))),
        display(path),
      );
      return { runKey, path, model };
    });
}
