/**
 * Node-only: the one place that decides whether a trace file on disk can be trusted for a planned
 * run. Used by the site build (src/site/traces.ts), the CLI's up-to-date check and `merge`, so all
 * three apply the same checks: the file is a regular file of bounded size, parses with no key given
 * twice and matches the trace schema, holds the run it is named after in the profile asked for, its
 * config hashes to its configHash, it was made from today's config and code (configHash and
 * sourceHash), every series decodes to finite numbers with the lengths its experiment declares,
 * every summary number is finite, the experiment's semantic checks hold (src/experiments/checks),
 * and the model file it names is the one it was written with (SHA-256 in provenance.modelSha256)
 * and valid. In a checkout's content/traces, a trace must also be of the paper profile and record a
 * clean commit.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { PlannedRun } from '../experiments/plan';
import { getExperiment } from '../experiments/registry';
import {
  checkTraceFile,
  modelFileName,
  readTraceText,
  recomputeConfigHash,
  seriesAxesFor,
  TraceFieldError,
  type Trace,
  type TraceFile,
} from '../experiments/trace';
import { parseModelFile } from '../experiments/modelFile';
import { findDuplicateKey } from '../experiments/jsonText';
import { semanticIssues } from '../experiments/checks';
import { experimentSourceHash, findProjectRoot } from './sourceHash';
import { FileKindError, readRegularFile, readRegularFileBytes } from './regularFile';

/** content/traces/<experiment>/<runKey>.json under `dir`. */
export function tracePath(dir: string, experiment: string, runKey: string): string {
  return join(dir, experiment, `${runKey}.json`);
}

/** <runKey>.model.json next to the trace. */
export function modelPath(dir: string, experiment: string, runKey: string): string {
  return join(dir, experiment, modelFileName(runKey));
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

/** SHA-256 (hex) of a file's bytes, as recorded in provenance.modelSha256. */
export function fileSha256(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** Whether anything (a file, a link, a FIFO…) is at `path`; a path through a non-folder holds nothing. */
function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

const protectedDirs = new Map<string, boolean>();
const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};
/**
 * Whether `dir` is a checkout's content/traces (the folder the site is built from): then only
 * paper-profile traces of committed code belong there.
 */
export function isCheckoutTraceDir(dir: string): boolean {
  const key = resolve(dir);
  let hit = protectedDirs.get(key);
  if (hit === undefined) {
    const root = findProjectRoot(key);
    hit = root !== key && real(join(root, 'content/traces')) === real(key);
    protectedDirs.set(key, hit);
  }
  return hit;
}

/** The profile a checkout's content/traces holds. */
export const CHECKOUT_PROFILE = 'paper';

/**
 * Reads and checks the trace of `run` at `path`, against the source hash `sourceHash` today's code
 * has. `checkout` (default: whether the folder is a checkout's content/traces) also requires the
 * paper profile and a clean provenance commit.
 */
export function inspectTraceFile(
  path: string,
  run: PlannedRun,
  opts: { sourceHash: string; display?: string; checkout?: boolean },
): TraceState {
  const source = opts.display ?? path;
  const corrupt = (field: string, message: string): TraceState => ({ state: 'corrupt', path, field, message });
  if (!present(path)) return { state: 'missing', path, message: `missing trace ${source}` };
  let text: string;
  try {
    text = readRegularFile(path, source);
  } catch (e) {
    if (e instanceof FileKindError) return corrupt('(file)', e.message);
    return corrupt('(file)', `${source}: cannot read trace (${(e as Error).message})`);
  }
  const parsed = readTraceText(text);
  if (!parsed.ok) return corrupt(parsed.field, `${source}: ${parsed.message}`);
  const file = parsed.file;
  if (file.experiment !== run.experiment || file.runKey !== run.runKey) {
    const field = file.experiment !== run.experiment ? 'experiment' : 'runKey';
    return corrupt(
      field,
      `${source}: field "${field}": holds ${file.experiment}/${file.runKey}, expected ${run.experiment}/${run.runKey}`,
    );
  }
  const checkout = opts.checkout ?? isCheckoutTraceDir(dirname(dirname(path)));
  if (file.profile !== run.profile || (checkout && file.profile !== CHECKOUT_PROFILE)) {
    return corrupt(
      'profile',
      `${source}: field "profile" is "${file.profile}", but ${
        checkout
          ? `a checkout's content/traces holds ${CHECKOUT_PROFILE}-profile traces only`
          : `it is read as a run of the ${run.profile} profile`
      } (the config hash does not cover the profile)`,
    );
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
  const issues = semanticIssues(trace);
  if (issues.length) {
    return corrupt(
      issues[0].field,
      `${source}: not a valid ${run.experiment} trace: ${issues
        .slice(0, 3)
        .map((i) => `field "${i.field}" ${i.message}`)
        .join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`,
    );
  }
  if (checkout && file.provenance.commit.endsWith('+dirty')) {
    return corrupt(
      'provenance.commit',
      `${source}: field "provenance.commit" is ${file.provenance.commit}: it was made from uncommitted code, and a checkout's content/traces holds traces of committed code only`,
    );
  }
  const recorded = file.provenance.modelSha256;
  if (typeof file.summary.modelFile === 'string') {
    const m = join(dirname(path), file.summary.modelFile);
    const mSource = join(dirname(source), file.summary.modelFile);
    if (!present(m)) {
      return corrupt(
        'summary.modelFile',
        `${source}: field "summary.modelFile" names ${mSource}, which does not exist`,
      );
    }
    let bytes: Buffer;
    try {
      bytes = readRegularFileBytes(m, mSource);
    } catch (e) {
      return corrupt('summary.modelFile', `${source}: field "summary.modelFile": ${(e as Error).message}`);
    }
    const bad = modelTextProblem(bytes.toString('utf8'), mSource);
    if (bad) return corrupt('summary.modelFile', `${source}: field "summary.modelFile": ${bad}`);
    if (recorded === undefined) {
      return corrupt(
        'provenance.modelSha256',
        `${source}: field "provenance.modelSha256" is missing: the trace does not record which model file ${mSource} it was written with`,
      );
    }
    const actual = fileSha256(bytes);
    if (actual !== recorded) {
      return corrupt(
        'provenance.modelSha256',
        `${source}: field "provenance.modelSha256" is ${recorded.slice(0, 12)}…, but ${mSource} hashes to ${actual.slice(0, 12)}…: the model file is not the one this run wrote (swapped or edited)`,
      );
    }
  } else if (recorded !== undefined) {
    return corrupt(
      'provenance.modelSha256',
      `${source}: field "provenance.modelSha256" is set, but the trace names no model file (field "summary.modelFile")`,
    );
  }
  return { state: 'fresh', path, file, trace };
}

/** Null if `text` is JSON with no repeated key and a valid model, else why not (naming `display` and the field). */
export function modelTextProblem(text: string, display: string): string | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `${display}: not valid JSON (${(e as Error).message})`;
  }
  const dup = findDuplicateKey(text);
  if (dup)
    return `${display}: not a valid model file: field "${dup.field}": key "${dup.key}" appears twice in one object`;
  try {
    parseModelFile(raw, display);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
