/**
 * Combines the outputs of `--shard i/N` runs into one traces folder. Every input trace gets the
 * checks the site build applies (src/node/traceFiles.ts: schema, finite numbers, series lengths,
 * its config hash, today's config and source hash, its model file); duplicates are fine when they
 * agree (same series, summary and model). A file already in the output folder is replaced only if
 * it is not up to date; an up-to-date one with other numbers is a conflict. Any refusal happens
 * before anything is written.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../src/experiments/hash';
import { planExperiment, type PlannedRun } from '../../src/experiments/plan';
import { EXPERIMENTS } from '../../src/experiments/registry';
import { MODEL_FILE_SUFFIX, modelFileName, readTraceText, type Trace } from '../../src/experiments/trace';
import { PROFILES, type ProfileName } from '../../src/experiments/types';
import { currentSourceHash, inspectTraceFile } from '../../src/node/traceFiles';
import { readRegularFile } from '../../src/node/regularFile';
import { checkWritableDir, writeFileAtomic } from './atomicWrite';
import { repoRoot } from './provenance';
import { defaultProtectedDir, samePath } from './runPipeline';

/** A merge that was refused because of what the inputs (or the output folder) hold; nothing was written. */
export class MergeRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeRefusal';
  }
}

/** Trace files (not models, not temp files) under dir/<experiment>/. */
export function listTraceFiles(dir: string): string[] {
  return listFiles(dir).filter((f) => !f.endsWith(MODEL_FILE_SUFFIX));
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`merge: input folder ${dir} does not exist`);
  const out: string[] = [];
  for (const exp of readdirSync(dir).sort()) {
    const sub = join(dir, exp);
    if (exp.startsWith('.') || !statSync(sub).isDirectory()) continue;
    for (const f of readdirSync(sub).sort()) if (f.endsWith('.json') && !f.startsWith('.')) out.push(join(sub, f));
  }
  return out;
}

const command = (experiment: string, profile: string, force = false) =>
  `npm run experiments -- --only ${experiment}${profile === 'paper' ? '' : ` --profile ${profile}`}${force ? ' --force' : ''}`;

const plans = new Map<string, PlannedRun[]>();
/** The run `runKey` of today's profile, also when it came from a `--seeds N` override (a seed beyond the profile's). */
function plannedRun(experiment: string, profile: ProfileName, runKey: string, seed: number): PlannedRun | undefined {
  const exp = EXPERIMENTS.find((e) => e.id === experiment)!;
  const base = planExperiment(exp, profile);
  const hit = base.find((r) => r.runKey === runKey);
  if (hit) return hit;
  const seeds = seed - Math.min(...base.map((r) => r.seed)) + 1;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 10_000) return undefined;
  const key = `${experiment}:${profile}:${seeds}`;
  if (!plans.has(key)) plans.set(key, planExperiment(exp, profile, { seeds }));
  return plans.get(key)!.find((r) => r.runKey === runKey);
}

/** Compared between copies of a run: everything except provenance (two machines agree if they computed the same numbers). */
const bodyOf = (t: Trace, modelText: string | null) =>
  canonicalJson({ series: t.series, summary: t.summary, model: modelText === null ? null : JSON.parse(modelText) });

interface Chosen {
  path: string;
  run: PlannedRun;
  text: string;
  body: string;
  modelText: string | null;
}

/** Checks one input trace file like the site build does; returns it or throws naming the file, the field and the fix. */
function admit(path: string, protectedOut: boolean): Chosen {
  const parts = path.split(/[\\/]/);
  const experiment = parts[parts.length - 2];
  const runKey = parts[parts.length - 1].replace(/\.json$/, '');
  if (!EXPERIMENTS.some((e) => e.id === experiment)) {
    throw new MergeRefusal(
      `merge: ${path} is in a folder named after no experiment ("${experiment}"); known: ${EXPERIMENTS.map((e) => e.id).join(', ')}`,
    );
  }
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (e) {
    throw new MergeRefusal(
      `merge: ${(e as Error).message}; delete it, or regenerate it with \`${command(experiment, 'paper', true)}\``,
    );
  }
  const parsed = readTraceText(text);
  if (!parsed.ok)
    throw new MergeRefusal(
      `merge: ${path}: ${parsed.message}; regenerate it with \`${command(experiment, 'paper', true)}\``,
    );
  const profile = parsed.file.profile as ProfileName;
  if (!PROFILES.includes(profile))
    throw new MergeRefusal(`merge: ${path}: field "profile": unknown profile "${parsed.file.profile}"`);
  const run = plannedRun(experiment, profile, runKey, parsed.file.seed);
  if (!run) {
    throw new MergeRefusal(
      `merge: ${path}: field "runKey": ${experiment} has no run "${runKey}" in its ${profile} profile today; delete the file or rerun \`${command(experiment, profile)}\``,
    );
  }
  const s = inspectTraceFile(path, run, { sourceHash: currentSourceHash(experiment, repoRoot()) });
  if (s.state === 'stale') {
    throw new MergeRefusal(
      `merge: ${s.message}; merge only takes traces made from this checkout's config and code: rerun \`${command(experiment, profile)}\` from it`,
    );
  }
  if (s.state !== 'fresh')
    throw new MergeRefusal(`merge: ${s.message}; regenerate it with \`${command(experiment, profile, true)}\``);
  if (protectedOut && s.file.provenance.commit.endsWith('+dirty')) {
    throw new MergeRefusal(
      `merge: ${path}: field "provenance.commit" is ${s.file.provenance.commit}: it was made from uncommitted code, and traces merged into content/traces must record a clean commit; rerun it from a clean checkout`,
    );
  }
  const modelPath = join(path, '..', modelFileName(runKey));
  const modelText = typeof s.trace.summary.modelFile === 'string' ? readRegularFile(modelPath) : null;
  return { path, run, text, body: bodyOf(s.trace, modelText), modelText };
}

export interface MergeResult {
  /** Runs in the inputs (after removing identical duplicates). */
  runs: number;
  duplicates: number;
  /** Runs whose up-to-date copy in the output folder already holds the same numbers (left as they are). */
  unchanged: number;
  /** Runs that replaced a stale or invalid file in the output folder. */
  replaced: number;
}

/** Merges trace folders into `outDir`; refuses (throws, writing nothing) on any bad, stale, orphaned or conflicting input. */
export function mergeTraceDirs(inputs: string[], outDir: string, opts: { protectedDir?: string } = {}): MergeResult {
  if (inputs.length === 0)
    throw new Error('merge: give at least one input folder, e.g. `npm run experiments -- merge shard1 shard2`');
  const files = inputs.map((dir) => listFiles(dir));
  checkWritableDir(outDir);
  const protectedOut = samePath(outDir, opts.protectedDir ?? defaultProtectedDir());
  const chosen = new Map<string, Chosen>();
  let duplicates = 0;
  for (const list of files) {
    const named = new Set<string>();
    for (const path of list.filter((f) => !f.endsWith(MODEL_FILE_SUFFIX))) {
      const c = admit(path, protectedOut);
      if (c.modelText !== null) named.add(join(path, '..', modelFileName(c.run.runKey)));
      const key = `${c.run.experiment}/${c.run.runKey}`;
      const prev = chosen.get(key);
      if (prev) {
        if (prev.run.configHash !== c.run.configHash || prev.body !== c.body) {
          throw new MergeRefusal(
            `merge: conflicting results for ${key}: ${prev.path} and ${path} have the same config but different numbers (both made from this checkout's code); ` +
              `rerun that experiment in one place (${command(c.run.experiment, c.run.profile, true)})`,
          );
        }
        duplicates++;
        continue;
      }
      chosen.set(key, c);
    }
    for (const m of list.filter((f) => f.endsWith('.model.json'))) {
      if (!named.has(m))
        throw new MergeRefusal(
          `merge: ${m} is an orphan model file: no trace beside it names it in "summary.modelFile"; delete it or rerun its experiment`,
        );
    }
  }
  if (protectedOut) {
    const other = [...chosen.values()].find((c) => c.run.profile !== 'paper');
    if (other)
      throw new MergeRefusal(
        `merge: ${other.path}: field "profile" is "${other.run.profile}": content/traces holds paper-profile traces only; merge it into another --out`,
      );
  }
  // What is already in the output folder: an up-to-date file with other numbers is never overwritten.
  let unchanged = 0;
  let replaced = 0;
  const toWrite: Chosen[] = [];
  for (const [key, c] of chosen) {
    const target = join(outDir, `${key}.json`);
    if (!existsSync(target)) {
      toWrite.push(c);
      continue;
    }
    const s = inspectTraceFile(target, c.run, { sourceHash: currentSourceHash(c.run.experiment, repoRoot()) });
    if (s.state === 'fresh') {
      const modelText =
        typeof s.trace.summary.modelFile === 'string'
          ? readRegularFile(join(target, '..', modelFileName(c.run.runKey)))
          : null;
      if (bodyOf(s.trace, modelText) === c.body) {
        unchanged++;
        continue;
      }
      throw new MergeRefusal(
        `merge: refusing to overwrite ${target}: it is up to date and holds different numbers than ${c.path}; ` +
          `remove one of them, or rerun ${key} in one place (${command(c.run.experiment, c.run.profile, true)})`,
      );
    }
    replaced++;
    toWrite.push(c);
  }
  for (const c of toWrite) {
    const target = join(outDir, c.run.experiment, `${c.run.runKey}.json`);
    const model = join(outDir, c.run.experiment, modelFileName(c.run.runKey));
    if (c.modelText !== null) writeFileAtomic(model, c.modelText);
    writeFileAtomic(target, c.text);
    if (c.modelText === null) rmSync(model, { force: true });
  }
  return { runs: chosen.size, duplicates, unchanged, replaced };
}
