/**
 * The precompute: plan the selected experiments, skip runs whose trace is up to date, run the
 * rest in worker threads, and write each trace (and model) atomically as it finishes.
 */
import { availableParallelism } from 'node:os';
import { planExperiment, shardRuns, type PlannedRun } from '../../src/experiments/plan';
import { selectExperiments } from '../../src/experiments/registry';
import { serializeTrace, TRACE_SCHEMA_VERSION, type TraceFile } from '../../src/experiments/trace';
import { serializeModelFile } from '../../src/experiments/modelFile';
import type { ProfileName } from '../../src/experiments/types';
import { writeFileAtomic } from './atomicWrite';
import { runInWorkers } from './pool';
import { plainReporter, ttyReporter, type Reporter } from './progress';
import { gitCommit, tfjsVersion } from './provenance';
import { cacheState, modelPath, tracePath } from './traceStore';
import type { RunOutput } from './executeRun';

export interface PipelineOptions {
  only?: string[];
  profile: ProfileName;
  seeds?: number;
  force?: boolean;
  jobs?: number;
  shard?: { index: number; count: number };
  outDir: string;
  /** Per-experiment fields merged over the profile's config (tests use this to inject failures). */
  overrides?: Record<string, Record<string, unknown>>;
  /** Reporter to use; default: bars on a TTY, log lines otherwise. */
  reporter?: Reporter;
}

export interface PipelineResult {
  planned: number;
  upToDate: number;
  written: string[];
  failures: { run: string; message: string }[];
}

/** Builds the full trace file for a finished run (provenance is the only non-deterministic part). */
export function assembleTrace(run: PlannedRun, output: RunOutput, meta: { commit: string; tfjsVersion: string }): TraceFile {
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    experiment: run.experiment,
    runKey: run.runKey,
    profile: run.profile,
    config: run.config,
    configHash: run.configHash,
    seed: run.seed,
    provenance: {
      backend: output.backend,
      tfjsVersion: meta.tfjsVersion,
      node: process.version,
      commit: meta.commit,
      wallSeconds: Math.round(output.wallSeconds * 1000) / 1000,
      finishedAt: new Date().toISOString(),
    },
    series: output.series,
    summary: output.summary,
  };
}

/** Writes model then trace, so a fresh trace never points at a missing model. */
export function writeRunOutput(outDir: string, run: PlannedRun, output: RunOutput, meta: { commit: string; tfjsVersion: string }): string {
  if (output.model) writeFileAtomic(modelPath(outDir, run.experiment, run.runKey), serializeModelFile(output.model));
  const path = tracePath(outDir, run.experiment, run.runKey);
  writeFileAtomic(path, serializeTrace(assembleTrace(run, output, meta)));
  return path;
}

/** All planned runs of the selection (after sharding). Throws on unknown ids or invalid configs. */
export function planSelection(opts: Pick<PipelineOptions, 'only' | 'profile' | 'seeds' | 'shard' | 'overrides'>): PlannedRun[] {
  const runs = selectExperiments(opts.only).flatMap((exp) => {
    const extra = opts.overrides?.[exp.id];
    if (!extra) return planExperiment(exp, opts.profile, { seeds: opts.seeds });
    const config = { ...(exp.profiles[opts.profile] as object), ...extra, ...(opts.seeds ? { seeds: opts.seeds } : {}) };
    return planExperiment(exp, opts.profile, { config });
  });
  return opts.shard ? shardRuns(runs, opts.shard) : runs;
}

/** Runs the pipeline; never throws for a failed run (see `failures`), only for bad options. */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const runs = planSelection(opts);
  const todo: PlannedRun[] = [];
  const log = opts.reporter?.log ?? ((l: string) => process.stderr.write(l + '\n'));
  for (const run of runs) {
    if (opts.force) {
      todo.push(run);
      continue;
    }
    const c = cacheState(opts.outDir, run);
    if (c.state === 'fresh') continue;
    if (c.state !== 'missing') log(`${c.state}: ${c.reason}`);
    todo.push(run);
  }
  const result: PipelineResult = { planned: runs.length, upToDate: runs.length - todo.length, written: [], failures: [] };
  if (todo.length === 0) return result;

  const meta = { commit: gitCommit(), tfjsVersion: tfjsVersion() };
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const reporter = opts.reporter ?? (process.stderr.isTTY ? ttyReporter(todo.length) : plainReporter(todo.length));
  await runInWorkers(todo, jobs, {
    onStart: (run) => reporter.start(run),
    onProgress: (run, done, total) => reporter.progress(run, done, total),
    onDone(run, output) {
      try {
        result.written.push(writeRunOutput(opts.outDir, run, output, meta));
        reporter.done(run, output.wallSeconds);
      } catch (e) {
        const message = `${run.experiment}/${run.runKey} failed while writing: ${(e as Error).message}`;
        result.failures.push({ run: `${run.experiment}/${run.runKey}`, message });
        reporter.fail(run, message);
      }
    },
    onError(run, message) {
      result.failures.push({ run: `${run.experiment}/${run.runKey}`, message });
      reporter.fail(run, message);
    },
  });
  reporter.stop();
  return result;
}
