/**
 * Build-time access to committed traces for Astro pages (and tests, from plain Node).
 * Every trace gets the checks of src/node/traceFiles.ts (schema, finite numbers, declared series
 * lengths, its model file, config and source hash against today's code) and is decoded. A missing
 * or malformed trace throws an error that names the file, the field and the command that fixes it;
 * a stale one throws one error listing every experiment with stale traces and the single command
 * that regenerates them all. Node-only (reads files): import from pages/frontmatter, not islands.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { planExperiment, type PlannedRun } from '../experiments/plan';
import { EXPERIMENTS, getExperiment } from '../experiments/registry';
import { modelFileName, type Trace } from '../experiments/trace';
import { parseModelFile, type ModelFile } from '../experiments/modelFile';
import type { ProfileName } from '../experiments/types';
import { findProjectRoot } from '../node/sourceHash';
import { currentSourceHash, inspectTraceFile, modelPath, tracePath, type Change } from '../node/traceFiles';

export type { Trace } from '../experiments/trace';

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
export function regenerateCommand(experiments: string | string[], profile: ProfileName = 'paper', dir?: string): string {
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
function staleExperiments(dir: string, profile: ProfileName): { id: string; stale: number; missing: number; runs: number; changed: Set<Change> }[] {
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
    const what = e.changed.size === 2 ? 'code and config changed' : e.changed.has('code') ? 'code changed' : 'config changed';
    return `  ${e.id}: ${e.stale} of ${e.runs} runs stale (${what})${e.missing ? `, ${e.missing} missing` : ''}`;
  });
  return new Error(
    `${message}.\nExperiments with stale traces in ${display(dir)} (${profile} profile):\n${lines.join('\n')}\n` +
      `Regenerate them with \`${regenerateCommand(list.map((e) => e.id), profile, dir)}\``,
  );
}

function load(run: PlannedRun, dir: string): Trace {
  const path = tracePath(dir, run.experiment, run.runKey);
  const source = display(path);
  const key = `${path}:${run.profile}`;
  const mtimeMs = existsSync(path) ? statSync(path).mtimeMs : -1;
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === mtimeMs) return hit.trace;
  const s = inspectTraceFile(path, run, { sourceHash: currentSourceHash(run.experiment, sourceRoot()), display: source });
  if (s.state === 'fresh') {
    cache.set(key, { mtimeMs, trace: s.trace });
    return s.trace;
  }
  if (s.state === 'missing') throw new Error(`${s.message}; generate it with \`${regenerateCommand(run.experiment, run.profile, dir)}\``);
  if (s.state === 'corrupt') throw new Error(`${s.message}; regenerate it with \`${regenerateCommand(run.experiment, run.profile, dir)} --force\``);
  throw staleError(s.message, dir, run.profile);
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
 * Model files exported next to an experiment's traces: {runKey, path, model}, validated. Each must
 * belong to a fresh trace that names it in `summary.modelFile`; any other *.model.json is an orphan
 * and fails (it would be published without the run that made it).
 */
export function getModelFiles(experiment: string, opts: TraceOptions = {}): { runKey: string; path: string; model: ModelFile }[] {
  const root = opts.dir ?? defaultDir();
  const profile = opts.profile ?? 'paper';
  const dir = join(root, experiment);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.model.json') && !f.startsWith('.'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const runKey = f.slice(0, -'.model.json'.length);
      const run = plan(experiment, profile).find((r) => r.runKey === runKey);
      const orphan = (why: string) =>
        new Error(`${display(path)} is an orphan model file: ${why}; delete it, or regenerate with \`${regenerateCommand(experiment, profile, root)} --force\``);
      if (!run) throw orphan(`${experiment} has no run "${runKey}" in its ${profile} profile`);
      const tracePathOf = tracePath(root, experiment, runKey);
      if (!existsSync(tracePathOf)) throw orphan(`its trace ${display(tracePathOf)} does not exist`);
      const trace = load(run, root);
      if (trace.summary.modelFile !== modelFileName(runKey)) throw orphan(`its trace ${display(tracePathOf)} does not name it (field "summary.modelFile" is absent)`);
      // load() has validated the model already; parse again for the typed value.
      const model = parseModelFile(JSON.parse(readFileSync(modelPath(root, experiment, runKey), 'utf8')), display(path));
      return { runKey, path, model };
    });
}
