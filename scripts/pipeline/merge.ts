/**
 * Combines the outputs of `--shard i/N` runs into one traces folder. Duplicates are fine when
 * they agree (same config hash, same series and summary); conflicting duplicates abort the merge
 * before anything is written.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../src/experiments/hash';
import { parseTraceText } from '../../src/experiments/trace';
import { writeFileAtomic } from './atomicWrite';

/** Trace files (not models, not temp files) under dir/<experiment>/. */
export function listTraceFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`merge: input folder ${dir} does not exist`);
  const out: string[] = [];
  for (const exp of readdirSync(dir).sort()) {
    const sub = join(dir, exp);
    if (exp.startsWith('.') || !statSync(sub).isDirectory()) continue;
    for (const f of readdirSync(sub).sort()) {
      if (f.endsWith('.json') && !f.endsWith('.model.json') && !f.startsWith('.')) out.push(join(sub, f));
    }
  }
  return out;
}

/** Merges trace folders into `outDir`; returns the number of runs written. */
export function mergeTraceDirs(inputs: string[], outDir: string): { runs: number; duplicates: number } {
  if (inputs.length === 0) throw new Error('merge: give at least one input folder, e.g. `npm run experiments -- merge shard1 shard2`');
  const chosen = new Map<string, { path: string; text: string; body: string; hash: string; modelText: string | null }>();
  let duplicates = 0;
  for (const dir of inputs) {
    for (const path of listTraceFiles(dir)) {
      const text = readFileSync(path, 'utf8');
      const t = parseTraceText(text, path);
      const key = `${t.experiment}/${t.runKey}`;
      const modelFile = path.replace(/\.json$/, '.model.json');
      const modelText = existsSync(modelFile) ? readFileSync(modelFile, 'utf8') : null;
      // Compare everything except provenance: two machines agree if they computed the same numbers.
      const body = canonicalJson({ series: t.series, summary: t.summary, model: modelText });
      const prev = chosen.get(key);
      if (prev) {
        if (prev.hash !== t.configHash || prev.body !== body) {
          throw new Error(
            `merge: conflicting results for ${key}: ${prev.path} and ${path} ` +
              (prev.hash !== t.configHash ? 'have different config hashes' : 'have the same config but different numbers') +
              '; rerun that experiment in one place (npm run experiments -- --only ' + t.experiment + ' --force)',
          );
        }
        duplicates++;
        continue;
      }
      chosen.set(key, { path, text, body, hash: t.configHash, modelText });
    }
  }
  for (const [key, c] of chosen) {
    const target = join(outDir, `${key}.json`);
    if (c.modelText !== null) writeFileAtomic(target.replace(/\.json$/, '.model.json'), c.modelText);
    writeFileAtomic(target, c.text);
  }
  return { runs: chosen.size, duplicates };
}
