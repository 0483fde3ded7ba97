/** Facts about the machine and code that produced a trace (stored under `provenance`, never hashed). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of the repository root (two levels above this file). */
export function repoRoot(): string {
  return ROOT;
}

/** HEAD commit hash, with "+dirty" when tracked files differ from it; "unknown" outside git. */
export function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** Installed @tensorflow/tfjs-core version, read from its package.json. */
export function tfjsVersion(): string {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
