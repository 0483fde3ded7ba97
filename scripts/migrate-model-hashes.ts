/**
 * Applied once to content/traces: records each model file's SHA-256 in the trace that names it
 * (provenance.modelSha256). Usage: `node --import tsx scripts/migrate-model-hashes.ts [DIR]`.
 */
import { resolve } from 'node:path';
import { addModelHashes } from './pipeline/modelHashes';

const dir = resolve(process.cwd(), process.argv[2] ?? 'content/traces');
try {
  const r = addModelHashes(dir);
  process.stdout.write(
    `${r.updated.length} traces now record their model file's SHA-256, ${r.unchanged} already did, ${r.withoutModel} name no model file (${dir})\n`,
  );
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
