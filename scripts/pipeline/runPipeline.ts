/**
 * The precompute: plan the selected experiments, skip runs whose trace is up to date (same config
 * and code), run the rest in worker threads, and write each trace (and model) atomically as it
 * finishes. Writing into content/traces needs the code the runs import to be committed.
 */
import { availableParallelism } from 'node:os';
import { realpathSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { costsWithMedians, planExperiment, shardRuns, type PlannedRun } from '../../src/experiments/plan';
import { getExperiment, selectExperiments } from '../../src/experiments/registry';
import { carriedResultsSince, serializeTrace, TRACE_SCHEMA_VERSION, type TraceFile } from '../../src/experiments/trace';
import { serializeModelFile } from '../../src/experiments/modelFile';
import type { ProfileName } from '../../src/experiments/types';
import { experimentSourceInput } from '../../src/node/sourceHash';
import { currentSourceHash, fileSha256 } from '../../src/node/traceFiles';
import { checkWritableDir, writeFileAtomic } from './atomicWrite';
import { runInWorkers } from './pool';
import { plainReporter, ttyReporter, type Reporter } from './progress';
import { commitFor, gitState, repoRoot, tfjsVersion } from './provenance';
import { cacheState, modelPath, readTraceFile, recordedWallSeconds, tracePath } from './traceStore';
import type { RunOutput } from './executeRun';

export interface PipelineOptions {
  only?: string[];
  profile: ProfileName;
  seeds?: number;
  force?: boolean;
  jobs?: number;
  shard?: { index: number; count: number };
  outDir: string;
  /** Folders whose up-to-date traces count as done (CI shards pass the checkout's content/traces). */
  reuse?: string[];
  /** Per-experiment fields merged over the profile's config (tests use this to inject failures). */
  overrides?: Record<string, Record<string, unknown>>;
  /** Reporter to use; default: bars on a TTY, log lines otherwise. */
  reporter?: Reporter;
  /** Aborting stops the pipeline: running runs are abandoned, finished ones stay written. */
  signal?: AbortSignal;
  /** Folder only committed code may write into (default: the repository's content/traces). */
  protectedDir?: string;
}

export interface PipelineResult {
  /** Runs of the selection. */
  planned: number;
  /** Runs found up to date (in --out or a --reuse folder). */
  upToDate: number;
  /** Runs that need running but belong to other shards. */
  otherShards: number;
  written: string[];
  failures: { run: string; message: string }[];
  /** Set when the signal aborted: runs in flight (abandoned) and runs never started. */
  interrupted?: { abandoned: string[]; notStarted: number };
}

/** What a trace records about the code that made it. */
export interface RunMeta {
  commit: string;
  tfjsVersion: string;
  sourceHash: string;
}

const label = (run: { experiment: string; runKey: string }) => `${run.experiment}/${run.runKey}`;

/** Builds the full trace file for a finished run (provenance is the only non-deterministic part). */
export function assembleTrace(run: PlannedRun, output: RunOutput, meta: RunMeta): TraceFile {
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    experiment: run.experiment,
    runKey: run.runKey,
    profile: run.profile,
    config: run.config,
    configHash: run.configHash,
    sourceHash: meta.sourceHash,
    seed: run.seed,
    provenance: {
      backend: output.backend,
      tfjsVersion: meta.tfjsVersion,
      node: process.version,
      commit: meta.commit,
      wallSeconds: Math.round(output.wallSeconds * 1000) / 1000,
      finishedAt: new Date().toISOString(),
      // Binds the model file to this trace: every reader checks the file's bytes against it.
      modelSha256: output.model ? fileSha256(Buffer.from(serializeModelFile(output.model), 'utf8')) : undefined,
    },
    series: output.series,
    summary: output.summary,
  };
}

/** The trace of `run` in `dir` if it is readable and valid, else null (it is only compared with, never trusted). */
function previousTrace(dir: string, run: PlannedRun): TraceFile | null {
  try {
    return readTraceFile(tracePath(dir, run.experiment, run.runKey));
  } catch {
    return null;
  }
}

/**
 * Writes model then trace, so a fresh trace never points at a missing model; a run without a model
 * leaves no old one behind. A rerun that repeats the values of the trace it replaces (in `outDir`, else
 * in content/traces, where a shard's runs will be merged) keeps when those values were first produced
 * (provenance.resultsSince).
 */
export function writeRunOutput(outDir: string, run: PlannedRun, output: RunOutput, meta: RunMeta): string {
  const model = modelPath(outDir, run.experiment, run.runKey);
  if (output.model) writeFileAtomic(model, serializeModelFile(output.model));
  const path = tracePath(outDir, run.experiment, run.runKey);
  const trace = assembleTrace(run, output, meta);
  const since = carriedResultsSince(previousTrace(outDir, run) ?? previousTrace(defaultProtectedDir(), run), trace);
  if (since) trace.provenance.resultsSince = since;
  writeFileAtomic(path, serializeTrace(trace));
  if (!output.model) rmSync(model, { force: true });
  return path;
}

/** All planned runs of the selection (before sharding). Throws on unknown ids or invalid configs. */
export function planSelection(opts: Pick<PipelineOptions, 'only' | 'profile' | 'seeds' | 'overrides'>): PlannedRun[] {
  return selectExperiments(opts.only).flatMap((exp) => {
    const extra = opts.overrides?.[exp.id];
    if (!extra) return planExperiment(exp, opts.profile, { seeds: opts.seeds });
    const config = {
      ...(exp.profiles[opts.profile] as object),
      ...extra,
      ...(opts.seeds ? { seeds: opts.seeds } : {}),
    };
    return planExperiment(exp, opts.profile, { config });
  });
}

/** Whether two paths name the same folder (symlinks resolved). */
export const samePath = (a: string, b: string) => {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
};

/** The repository's content/traces, which only committed code may write into. */
export const defaultProtectedDir = () => resolve(repoRoot(), 'content/traces');

/**
 * The shard plan's cost of each run: the wall seconds its trace in this checkout's content/traces
 * recorded (paper profile), else its experiment's median, else the median of all (see costsWithMedians).
 */
export function shardCosts(runs: PlannedRun[], dir: string = defaultProtectedDir()): (run: PlannedRun) => number {
  return costsWithMedians(runs, (r) => (r.profile === 'paper' ? recordedWallSeconds(dir, r) : undefined));
}

/**
 * Which runs this invocation performs: runs up to date in a --reuse folder are done; the rest are
 * dealt to shards (so a shard's share depends only on the --reuse folders, and a resumed shard keeps
 * its share); of this shard's share, runs already up to date in --out are done too.
 */
export function selectTodo(
  runs: PlannedRun[],
  opts: Pick<PipelineOptions, 'force' | 'shard' | 'outDir' | 'reuse'>,
  log: (l: string) => void = () => {},
) {
  const hashes = new Map<string, string>();
  const hashOf = (id: string) => {
    if (!hashes.has(id)) hashes.set(id, currentSourceHash(id, repoRoot()));
    return hashes.get(id)!;
  };
  const freshIn = (dir: string, run: PlannedRun, quiet = false) => {
    const c = cacheState(dir, run, hashOf(run.experiment));
    if (c.state !== 'fresh' && c.state !== 'missing' && !quiet) log(`${c.state}: ${c.reason}`);
    return c.state === 'fresh';
  };
  const reuse = opts.force ? [] : (opts.reuse ?? []);
  const rest = runs.filter((run) => !reuse.some((d) => freshIn(d, run, true)));
  // Shards are balanced by what each run cost when its committed trace was made (content/traces of this
  // checkout, the same on every shard): longest processing time first, not round-robin.
  const cost = shardCosts(runs);
  const mine = opts.shard ? shardRuns(rest, opts.shard, cost) : rest;
  // longest first: a free worker takes the longest run left, so no long run starts last (see makespan)
  const todo = (opts.force ? mine : mine.filter((run) => !freshIn(opts.outDir, run))).sort((a, b) => cost(b) - cost(a));
  return {
    todo,
    upToDate: runs.length - rest.length + (mine.length - todo.length),
    otherShards: rest.length - mine.length,
  };
}

/** Refuses (throws) to write runs of code with uncommitted changes into the protected folder. */
function checkCleanProvenance(
  todo: PlannedRun[],
  outDir: string,
  protectedDir: string,
  modules: Map<string, string[]>,
  git: ReturnType<typeof gitState>,
) {
  if (!git || !samePath(outDir, protectedDir)) return;
  const dirty = new Map<string, string[]>();
  for (const id of new Set(todo.map((r) => r.experiment))) {
    const files = (modules.get(id) ?? []).filter((m) => git.dirty.has(m));
    if (files.length) dirty.set(id, files);
  }
  if (dirty.size === 0) return;
  const files = [...new Set([...dirty.values()].flat())].sort();
  throw new Error(
    `refusing to write into ${protectedDir}: the code of ${[...dirty.keys()].join(', ')} has uncommitted changes in ${files.join(', ')}. ` +
      'Traces there must record a clean commit: commit (or revert) those files first, or write elsewhere with --out DIR',
  );
}

/** Runs the pipeline; never throws for a failed run (see `failures`), only for bad options or a refused write. */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const runs = planSelection(opts);
  checkWritableDir(opts.outDir);
  const log = opts.reporter?.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const { todo, upToDate, otherShards } = selectTodo(runs, opts, log);
  const result: PipelineResult = { planned: runs.length, upToDate, otherShards, written: [], failures: [] };
  if (todo.length === 0) return result;

  const root = repoRoot();
  const git = gitState(root);
  const modules = new Map<string, string[]>();
  const metas = new Map<string, RunMeta>();
  const tfjs = tfjsVersion();
  for (const id of new Set(todo.map((r) => r.experiment))) {
    const input = experimentSourceInput(id, { usesTfjs: getExperiment(id).usesTfjs, root });
    modules.set(id, Object.keys(input.modules));
    metas.set(id, {
      commit: commitFor(git, Object.keys(input.modules)),
      tfjsVersion: tfjs,
      sourceHash: currentSourceHash(id, root),
    });
  }
  checkCleanProvenance(todo, opts.outDir, opts.protectedDir ?? defaultProtectedDir(), modules, git);

  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const reporter = opts.reporter ?? (process.stderr.isTTY ? ttyReporter(todo.length) : plainReporter(todo.length));
  const left = await runInWorkers(
    todo,
    jobs,
    {
      onStart: (run) => reporter.start(run),
      onProgress: (run, done, total) => reporter.progress(run, done, total),
      onDone(run, output) {
        try {
          result.written.push(writeRunOutput(opts.outDir, run, output, metas.get(run.experiment)!));
          reporter.done(run, output.wallSeconds);
        } catch (e) {
          const message = `${label(run)} failed while writing: ${(e as Error).message}`;
          result.failures.push({ run: label(run), message });
          reporter.fail(run, message);
        }
      },
      onError(run, message) {
        result.failures.push({ run: label(run), message });
        reporter.fail(run, message);
      },
    },
    opts.signal,
  );
  reporter.stop();
  if (opts.signal?.aborted)
    result.interrupted = { abandoned: left.abandoned.map(label), notStarted: left.notStarted.length };
  return result;
}
