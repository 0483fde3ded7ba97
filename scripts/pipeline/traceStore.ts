/** Where traces live on disk and whether a stored trace still matches its planned run (code and config). */
import { parseTraceText, type Trace, type TraceFile } from '../../src/experiments/trace';
import type { PlannedRun } from '../../src/experiments/plan';
import { currentSourceHash, inspectTraceFile, modelPath, tracePath } from '../../src/node/traceFiles';
import { readRegularFile } from '../../src/node/regularFile';
import { repoRoot } from './provenance';

export { modelPath, tracePath };

/** Reads and validates a trace file; throws naming the path and the bad field. */
export function readTraceFile(path: string): TraceFile {
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (e) {
    throw new Error(`${path}: cannot read trace (${(e as Error).message})`);
  }
  return parseTraceText(text, path);
}

export type CacheState = { state: 'fresh'; trace: Trace } | { state: 'missing' | 'stale' | 'corrupt'; reason: string };

/**
 * Is the trace for `run` in `outDir` valid (every check of src/node/traceFiles.ts), made from
 * today's config and code, with its model file if it names one? `sourceHash` defaults to what the
 * repository's code hashes to now.
 */
export function cacheState(
  outDir: string,
  run: PlannedRun,
  sourceHash: string = currentSourceHash(run.experiment, repoRoot()),
): CacheState {
  const s = inspectTraceFile(tracePath(outDir, run.experiment, run.runKey), run, { sourceHash });
  if (s.state === 'fresh') return { state: 'fresh', trace: s.trace };
  return { state: s.state, reason: s.message };
}

/** The provenance.wallSeconds the trace of `run` in `dir` records (stale or not), if it has a readable one. */
export function recordedWallSeconds(dir: string, run: PlannedRun): number | undefined {
  try {
    const t = JSON.parse(readRegularFile(tracePath(dir, run.experiment, run.runKey)));
    const w = t?.provenance?.wallSeconds;
    return typeof w === 'number' && Number.isFinite(w) && w >= 0 ? w : undefined;
  } catch {
    return undefined;
  }
}
