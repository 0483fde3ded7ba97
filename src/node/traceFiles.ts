/**
 * Node-only: the one place that decides whether a trace file on disk can be trusted for a planned
 * run. Used by the site build (src/site/traces.ts), the CLI's up-to-date check and `merge`, so all
 * three apply the same checks: the file parses and matches the trace schema, holds the run it is
 * named after, its config hashes to its configHash, it was made from today's config and code
 * (configHash and sourceHash), every series decodes to finite numbers with the lengths its
 * experiment declares, every summary number is finite, and the model file it names exists and is valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlannedRun } from '../experiments/plan';
import { getExperiment } from '../experiments/registry';
import {
  checkTraceFile,
  readTraceText,
  recomputeConfigHash,
  seriesAxesFor,
  TraceFieldError,
  type Trace,
  type TraceFile,
} from '../experiments/trace';
import { parseModelFile } from '../experiments/modelFile';
import { experimentSourceHash } from './sourceHash';

/** content/traces/<experiment>/<runKey>.json under `dir`. */
export function tracePath(dir: string, experiment: string, runKey: string): string {
  return join(dir, experiment, `${runKey}.json`);
}

/** <runKey>.model.json next to the trace. */
export function modelPath(dir: string, experiment: string, runKey: string): string {
  return join(dir, experiment, `${runKey}.model.json`);
}

/** The source hash today's code gives experiment `id` (computed once per process and root). */
export function currentSourceHash(id: string, root: string): string {
  return experimentSourceHash(id, { usesTfjs: getExperiment(id).usesTfjs, root });
}

/** What changed since a stale trace was made. */
export type Change = 'config' | 'code';

/**
 * The verdict on one trace file. `message` starts with the file's display name and names the bad
 * field; callers append the command that fixes it.
 */
export type TraceState =
  | { state: 'fresh'; path: string; file: TraceFile; trace: Trace }
  | { state: 'missing'; path: string; message: string }
  | { state: 'corrupt'; path: string; field: string; message: string }
  | { state: 'stale'; path: string; changed: Change[]; message: string };

/** Reads and checks the trace of `run` at `path`, against the source hash `sourceHash` today's code has. */
export function inspectTraceFile(
  path: string,
  run: PlannedRun,
  opts: { sourceHash: string; display?: string },
): TraceState {
  const source = opts.display ?? path;
  if (!existsSync(path)) return { state: 'missing', path, message: `missing trace ${source}` };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      state: 'corrupt',
      path,
      field: '(file)',
      message: `${source}: cannot read trace (${(e as Error).message})`,
    };
  }
  const parsed = readTraceText(text);
  if (!parsed.ok) return { state: 'corrupt', path, field: parsed.field, message: `${source}: ${parsed.message}` };
  const file = parsed.file;
  if (file.experiment !== run.experiment || file.runKey !== run.runKey) {
    const field = file.experiment !== run.experiment ? 'experiment' : 'runKey';
    return {
      state: 'corrupt',
      path,
      field,
      message: `${source}: field "${field}": holds ${file.experiment}/${file.runKey}, expected ${run.experiment}/${run.runKey}`,
    };
  }
  if (recomputeConfigHash(file) !== file.configHash) {
    return {
      state: 'corrupt',
      path,
      field: 'configHash',
      message: `${source} is inconsistent: its config does not hash to its configHash (field "configHash"; edited by hand?)`,
    };
  }
  const changed: Change[] = [];
  const why: string[] = [];
  if (file.configHash !== run.configHash) {
    changed.push('config');
    why.push(
      `it was made from a different config than src/experiments now defines (configHash ${file.configHash.slice(0, 12)}… ≠ ${run.configHash.slice(0, 12)}…)`,
    );
  }
  if (file.sourceHash !== opts.sourceHash) {
    changed.push('code');
    why.push(
      file.sourceHash === undefined
        ? 'it records no sourceHash (made before traces recorded the code they ran)'
        : `the code it ran has changed since (sourceHash ${file.sourceHash.slice(0, 12)}… ≠ ${opts.sourceHash.slice(0, 12)}…)`,
    );
  }
  if (changed.length) return { state: 'stale', path, changed, message: `${source} is stale: ${why.join('; ')}` };
  let trace: Trace;
  try {
    trace = checkTraceFile(file, seriesAxesFor(getExperiment(run.experiment), file.config));
  } catch (e) {
    if (!(e instanceof TraceFieldError)) throw e;
    return { state: 'corrupt', path, field: e.field, message: `${source}: not a valid trace: ${e.message}` };
  }
  if (typeof file.summary.modelFile === 'string') {
    const m = join(dirname(path), file.summary.modelFile);
    const mSource = join(dirname(source), file.summary.modelFile);
    if (!existsSync(m)) {
      return {
        state: 'corrupt',
        path,
        field: 'summary.modelFile',
        message: `${source}: field "summary.modelFile" names ${mSource}, which does not exist`,
      };
    }
    const bad = modelFileProblem(m, mSource);
    if (bad)
      return {
        state: 'corrupt',
        path,
        field: 'summary.modelFile',
        message: `${source}: field "summary.modelFile": ${bad}`,
      };
  }
  return { state: 'fresh', path, file, trace };
}

/** Null if the model file at `path` is valid JSON and a valid model, else why not (naming `display` and the field). */
export function modelFileProblem(path: string, display = path): string | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return `${display}: not valid JSON (${(e as Error).message})`;
  }
  try {
    parseModelFile(raw, display);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
