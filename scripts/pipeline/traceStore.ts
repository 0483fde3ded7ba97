/** Where traces live on disk and whether a stored trace still matches its planned run. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTraceText, recomputeConfigHash, type TraceFile } from '../../src/experiments/trace';
import type { PlannedRun } from '../../src/experiments/plan';

/** content/traces/<experiment>/<runKey>.json under `outDir`. */
export function tracePath(outDir: string, experiment: string, runKey: string): string {
  return join(outDir, experiment, `${runKey}.json`);
}

/** <runKey>.model.json next to the trace. */
export function modelPath(outDir: string, experiment: string, runKey: string): string {
  return join(outDir, experiment, `${runKey}.model.json`);
}

/** Reads and validates a trace file; throws naming the path and the bad field. */
export function readTraceFile(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read trace (${(e as Error).message})`);
  }
  return parseTraceText(text, path);
}

export type CacheState =
  | { state: 'fresh'; trace: TraceFile }
  | { state: 'missing' | 'stale' | 'corrupt'; reason: string };

/** Is the trace for `run` on disk, valid, with the same config hash (and its model file, if it had one)? */
export function cacheState(outDir: string, run: PlannedRun): CacheState {
  const path = tracePath(outDir, run.experiment, run.runKey);
  if (!existsSync(path)) return { state: 'missing', reason: `${path} does not exist` };
  let trace: TraceFile;
  try {
    trace = readTraceFile(path);
  } catch (e) {
    return { state: 'corrupt', reason: (e as Error).message };
  }
  if (recomputeConfigHash(trace) !== trace.configHash) {
    return { state: 'corrupt', reason: `${path}: its config does not hash to its configHash (edited by hand?)` };
  }
  if (trace.configHash !== run.configHash) {
    return { state: 'stale', reason: `${path} has configHash ${trace.configHash.slice(0, 12)}…, config now hashes to ${run.configHash.slice(0, 12)}…` };
  }
  if (typeof trace.summary.modelFile === 'string' && !existsSync(modelPath(outDir, run.experiment, run.runKey))) {
    return { state: 'missing', reason: `${modelPath(outDir, run.experiment, run.runKey)} (its model) does not exist` };
  }
  return { state: 'fresh', trace };
}
