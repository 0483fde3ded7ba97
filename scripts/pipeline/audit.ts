/**
 * The reproducibility audit: rerun a few randomly chosen cheap runs of the paper profile into a
 * temporary folder and require byte-identical traces (series, summary and model file; provenance
 * aside) against the committed ones. This is the one check a plausible value edited by hand
 * cannot pass. The choice depends only on the seed and the committed traces' recorded
 * provenance.wallSeconds, so a failure is replayed with the seed it printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSeries, serializeTrace, stableStringify, type TraceFile } from '../../src/experiments/trace';
import { serializeModelFile } from '../../src/experiments/modelFile';
import type { PlannedRun } from '../../src/experiments/plan';
import { currentSourceHash, inspectTraceFile, tracePath, fileSha256 } from '../../src/node/traceFiles';
import { readRegularFile } from '../../src/node/regularFile';
import { runInWorkers } from './pool';
import { repoRoot, tfjsVersion } from './provenance';
import { assembleTrace, planSelection, writeRunOutput } from './runPipeline';
import { recordedWallSeconds } from './traceStore';
import type { RunOutput } from './executeRun';

export interface AuditOptions {
  /** Seeds the choice of runs; print it so a failure can be replayed. */
  seed: number;
  /** At most this many runs. */
  count: number;
  /** The chosen runs' recorded wall seconds add up to at most this. */
  budget: number;
  /** Committed traces to audit (default content/traces). */
  dir: string;
  only?: string[];
  jobs?: number;
  /** Called with progress lines. */
  log?: (line: string) => void;
}

/** One difference between a rerun and its committed trace. */
export interface AuditDiff {
  run: string;
  /** "series.loss", "summary.catapults", "model file", … */
  field: string;
  /** First differing index of a series (or line of a model file), when there is one. */
  index?: number;
  message: string;
}

export interface AuditResult {
  chosen: { run: string; wallSeconds: number }[];
  /** Runs with an up-to-date committed trace the audit could choose from (within the budget). */
  candidates: number;
  diffs: AuditDiff[];
  /** Rerun traces, kept when something differs (removed otherwise). */
  rerunDir: string | null;
}

/** mulberry32: a small seeded generator, so the choice is the same on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks runs in a seeded random order, keeping each whose recorded cost still fits the budget,
 * until `count` are chosen. Candidates are sorted by key first, so the choice depends only on the
 * seed and the candidates.
 */
export function chooseAuditRuns<T extends { key: string; wallSeconds: number }>(
  candidates: T[],
  opts: { seed: number; count: number; budget: number },
): T[] {
  const pool = [...candidates].filter((c) => c.wallSeconds <= opts.budget).sort((a, b) => (a.key < b.key ? -1 : 1));
  const rand = mulberry32(opts.seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const out: T[] = [];
  let spent = 0;
  for (const c of pool) {
    if (out.length >= opts.count) break;
    if (spent + c.wallSeconds > opts.budget) continue;
    out.push(c);
    spent += c.wallSeconds;
  }
  return out;
}

const show = (v: unknown) => (typeof v === 'number' ? String(v) : JSON.stringify(v));

/** Field-level differences between a committed trace and a rerun (provenance aside). */
export function diffTraces(run: string, committed: TraceFile, rerun: TraceFile): AuditDiff[] {
  const diffs: AuditDiff[] = [];
  const names = [...new Set([...Object.keys(committed.series), ...Object.keys(rerun.series)])].sort();
  for (const k of names) {
    const a = committed.series[k];
    const b = rerun.series[k];
    const field = `series.${k}`;
    if (!a || !b) {
      diffs.push({
        run,
        field,
        message: `${run}: ${field} is ${a ? 'only in the committed trace' : 'only in the rerun'}`,
      });
      continue;
    }
    if (stableStringify(a) === stableStringify(b)) continue;
    const xa = decodeSeries(a);
    const xb = decodeSeries(b);
    let i = 0;
    while (i < Math.min(xa.length, xb.length) && Object.is(xa[i], xb[i])) i++;
    if (i < Math.min(xa.length, xb.length))
      diffs.push({ run, field, index: i, message: `${run}: ${field}[${i}] is ${xa[i]} committed, ${xb[i]} rerun` });
    else if (xa.length !== xb.length)
      diffs.push({
        run,
        field,
        index: i,
        message: `${run}: ${field} has ${xa.length} values committed, ${xb.length} rerun (first differing index ${i})`,
      });
    else diffs.push({ run, field, message: `${run}: ${field} is stored differently (same values)` });
  }
  const keys = [...new Set([...Object.keys(committed.summary), ...Object.keys(rerun.summary)])].sort();
  for (const k of keys) {
    const a = committed.summary[k];
    const b = rerun.summary[k];
    if (JSON.stringify(a) !== JSON.stringify(b))
      diffs.push({
        run,
        field: `summary.${k}`,
        message: `${run}: summary.${k} is ${show(a)} committed, ${show(b)} rerun`,
      });
  }
  for (const k of ['schemaVersion', 'experiment', 'runKey', 'profile', 'configHash', 'sourceHash', 'seed'] as const) {
    if (JSON.stringify(committed[k]) !== JSON.stringify(rerun[k]))
      diffs.push({
        run,
        field: k,
        message: `${run}: ${k} is ${show(committed[k])} committed, ${show(rerun[k])} rerun`,
      });
  }
  return diffs;
}

/** Differences between a committed model file's text and a rerun's (first differing line). */
function diffModel(run: string, file: string, committed: string, rerun: string): AuditDiff[] {
  if (committed === rerun) return [];
  const a = committed.split('\n');
  const b = rerun.split('\n');
  let i = 0;
  while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
  return [
    {
      run,
      field: 'model file',
      index: i + 1,
      message: `${run}: model file ${file} differs from the rerun's from line ${i + 1} (${(a[i] ?? '').trim().slice(0, 60)} committed, ${(b[i] ?? '').trim().slice(0, 60)} rerun)`,
    },
  ];
}

/**
 * Experiments whose runs share a set-up fitted once per process, which the recorded wall time of
 * most runs omits: optimizer-alignment and mnist-batch-sweep fit their AGOP proxies once per task in
 * each process (about a minute; the first run of a task in a process carries it). Value: the
 * experiment whose traces show the set-up (its slowest run less its median).
 */
const PER_PROCESS_SETUP: Record<string, string> = {
  'optimizer-alignment': 'optimizer-alignment',
  'mnist-batch-sweep': 'optimizer-alignment',
};

function setupSeconds(experiment: string, dir: string): number {
  const from = PER_PROCESS_SETUP[experiment];
  if (!from) return 0;
  const xs = planSelection({ only: [from], profile: 'paper' })
    .map((r) => recordedWallSeconds(dir, r))
    .filter((w): w is number => w !== undefined)
    .sort((a, b) => a - b);
  return xs.length ? xs[xs.length - 1] - xs[xs.length >> 1] : 0;
}

/** Runs the audit: chooses runs, reruns them into a temporary folder, compares. */
export async function auditTraces(opts: AuditOptions): Promise<AuditResult> {
  const log = opts.log ?? (() => {});
  const root = repoRoot();
  const hashes = new Map<string, string>();
  const hashOf = (id: string) => {
    if (!hashes.has(id)) hashes.set(id, currentSourceHash(id, root));
    return hashes.get(id)!;
  };
  const fresh = new Map<string, { run: PlannedRun; file: TraceFile; text: string }>();
  const candidates: { key: string; wallSeconds: number }[] = [];
  for (const run of planSelection({ only: opts.only, profile: 'paper' })) {
    const path = tracePath(opts.dir, run.experiment, run.runKey);
    const s = inspectTraceFile(path, run, { sourceHash: hashOf(run.experiment) });
    if (s.state !== 'fresh') continue;
    const key = `${run.experiment}/${run.runKey}`;
    fresh.set(key, { run, file: s.file, text: readRegularFile(path) });
    candidates.push({ key, wallSeconds: s.file.provenance.wallSeconds });
  }
  // A run of an experiment with a per-process set-up costs the set-up too when rerun alone.
  const setups = new Map(
    [...new Set(candidates.map((c) => c.key.split('/')[0]))].map((e) => [e, setupSeconds(e, opts.dir)]),
  );
  for (const c of candidates) c.wallSeconds += setups.get(c.key.split('/')[0]) ?? 0;
  const chosen = chooseAuditRuns(candidates, opts);
  const within = candidates.filter((c) => c.wallSeconds <= opts.budget).length;
  if (chosen.length === 0)
    throw new Error(
      `audit: no up-to-date trace in ${opts.dir} costs at most --budget ${opts.budget} s; check \`npm run experiments -- status\` or raise --budget`,
    );
  log(
    `audit: rerunning ${chosen.length} runs (recorded ${chosen.reduce((s, c) => s + c.wallSeconds, 0).toFixed(1)} s of a ${opts.budget} s budget, from ${within} candidates): ${chosen.map((c) => c.key).join(', ')}`,
  );
  const rerunDir = mkdtempSync(join(tmpdir(), 'catapults-audit-'));
  const diffs: AuditDiff[] = [];
  const outputs = new Map<string, RunOutput>();
  await runInWorkers(
    chosen.map((c) => fresh.get(c.key)!.run),
    Math.max(1, Math.min(opts.jobs ?? 1, chosen.length)),
    {
      onDone: (run, output) => outputs.set(`${run.experiment}/${run.runKey}`, output),
      onError: (run, message) =>
        diffs.push({ run: `${run.experiment}/${run.runKey}`, field: '(run)', message: `rerun failed: ${message}` }),
    },
  );
  const tfjs = tfjsVersion();
  for (const c of chosen) {
    const { run, file, text } = fresh.get(c.key)!;
    const output = outputs.get(c.key);
    if (!output) continue;
    const meta = { commit: file.provenance.commit, tfjsVersion: tfjs, sourceHash: hashOf(run.experiment) };
    writeRunOutput(rerunDir, run, output, meta);
    const rerun = assembleTrace(run, output, meta);
    // Byte for byte, with the committed provenance: series, summary, config and hashes.
    const same = serializeTrace({ ...rerun, provenance: file.provenance }) === text;
    const found = diffTraces(c.key, file, rerun);
    if (!same && found.length === 0)
      found.push({
        run: c.key,
        field: 'provenance.modelSha256',
        message: `${c.key}: the rerun's model file hashes differently`,
      });
    diffs.push(...found);
    if (output.model && typeof file.summary.modelFile === 'string') {
      const committedModel = readRegularFile(join(opts.dir, run.experiment, file.summary.modelFile));
      const rerunModel = serializeModelFile(output.model);
      diffs.push(...diffModel(c.key, file.summary.modelFile, committedModel, rerunModel));
      if (fileSha256(Buffer.from(rerunModel)) !== file.provenance.modelSha256 && committedModel === rerunModel)
        diffs.push({
          run: c.key,
          field: 'provenance.modelSha256',
          message: `${c.key}: provenance.modelSha256 does not match the model file`,
        });
    } else if (Boolean(output.model) !== (typeof file.summary.modelFile === 'string')) {
      diffs.push({
        run: c.key,
        field: 'summary.modelFile',
        message: `${c.key}: the rerun ${output.model ? 'wrote' : 'wrote no'} model file`,
      });
    }
  }
  if (diffs.length === 0) rmSync(rerunDir, { recursive: true, force: true });
  return {
    chosen: chosen.map((c) => ({ run: c.key, wallSeconds: c.wallSeconds })),
    candidates: within,
    diffs,
    rerunDir: diffs.length ? rerunDir : null,
  };
}
