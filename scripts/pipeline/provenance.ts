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

/** HEAD and the paths (repository-relative) that differ from it, untracked files included; null outside git. */
export interface GitState {
  head: string;
  dirty: Set<string>;
}

const git = (args: string[], cwd: string) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** The work tree's HEAD and its changed paths (modified, staged, deleted, renamed, untracked), or null outside git. */
export function gitState(root: string = ROOT): GitState | null {
  try {
    const head = git(['rev-parse', 'HEAD'], root).trim();
    const top = git(['rev-parse', '--show-toplevel'], root).trim();
    const prefix = git(['rev-parse', '--show-prefix'], root).trim();
    // -z: NUL-separated, paths relative to the top level and never quoted; a rename is "R  new\0old\0".
    const out = git(['status', '--porcelain=v1', '-z', '--untracked-files=all'], top);
    const dirty = new Set<string>();
    const parts = out.split('\0');
    for (let i = 0; i < parts.length; i++) {
      const entry = parts[i];
      if (entry.length < 4) continue;
      const path = entry.slice(3);
      if (path.startsWith(prefix)) dirty.add(path.slice(prefix.length));
      if (entry[0] === 'R' || entry[0] === 'C') {
        const old = parts[++i];
        if (old?.startsWith(prefix)) dirty.add(old.slice(prefix.length));
      }
    }
    return { head, dirty };
  } catch {
    return null;
  }
}

/** The commit to record for a run of code made of `modules`: HEAD, "+dirty" if any of them differs from it; "unknown" outside git. */
export function commitFor(state: GitState | null, modules: Iterable<string>): string {
  if (!state) return 'unknown';
  for (const m of modules) if (state.dirty.has(m)) return `${state.head}+dirty`;
  return state.head;
}

/** HEAD commit hash, with "+dirty" when tracked files differ from it; "unknown" outside git. */
export function gitCommit(): string {
  try {
    const head = git(['rev-parse', 'HEAD'], ROOT).trim();
    const dirty = git(['status', '--porcelain', '--untracked-files=no'], ROOT).trim();
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
