/**
 * One-off migration: record in each trace the SHA-256 of the model file it names
 * (`provenance.modelSha256`), taken from the model files as they are, without rerunning anything.
 * Traces written since record it themselves (runPipeline's assembleTrace). Every trace is checked
 * before anything is written: a trace whose text is not exactly what the writer produces, a model
 * file that is missing or not a regular file, or a recorded hash that disagrees is refused, naming
 * the file, and nothing is changed.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTraceText, serializeTrace, type TraceFile } from '../../src/experiments/trace';
import { fileSha256 } from '../../src/node/traceFiles';
import { readRegularFile, readRegularFileBytes } from '../../src/node/regularFile';
import { writeFileAtomic } from './atomicWrite';

export interface ModelHashMigration {
  /** Traces that now record their model file's hash. */
  updated: string[];
  /** Traces that already recorded the right hash. */
  unchanged: number;
  /** Traces that name no model file (left as they are). */
  withoutModel: number;
}

/** Adds `provenance.modelSha256` to every trace under `dir`/<experiment>/ that names a model file. */
export function addModelHashes(dir: string): ModelHashMigration {
  const plan: { path: string; text: string }[] = [];
  let unchanged = 0;
  let withoutModel = 0;
  for (const exp of readdirSync(dir).sort()) {
    const sub = join(dir, exp);
    if (exp.startsWith('.') || !statSync(sub).isDirectory()) continue;
    for (const f of readdirSync(sub).sort()) {
      if (!f.endsWith('.json') || f.endsWith('.model.json') || f.startsWith('.')) continue;
      const path = join(sub, f);
      const text = readRegularFile(path);
      const parsed = readTraceText(text);
      if (!parsed.ok) throw new Error(`${path}: ${parsed.message}; fix or regenerate it before migrating`);
      const file: TraceFile = parsed.file;
      if (typeof file.summary.modelFile !== 'string') {
        withoutModel++;
        continue;
      }
      if (serializeTrace(file) !== text)
        throw new Error(`${path}: its text is not what the trace writer produces; refusing to rewrite it`);
      const sha = fileSha256(readRegularFileBytes(join(sub, file.summary.modelFile)));
      const recorded = file.provenance.modelSha256;
      if (recorded === sha) {
        unchanged++;
        continue;
      }
      if (recorded !== undefined)
        throw new Error(
          `${path}: field "provenance.modelSha256" is ${recorded}, but ${file.summary.modelFile} hashes to ${sha}; the model file changed after the run: regenerate with \`npm run experiments -- --only ${file.experiment} --force\``,
        );
      plan.push({ path, text: serializeTrace({ ...file, provenance: { ...file.provenance, modelSha256: sha } }) });
    }
  }
  for (const p of plan) writeFileAtomic(p.path, p.text);
  return { updated: plan.map((p) => p.path), unchanged, withoutModel };
}
