/**
 * Atomic file writes: write a hidden temp file in the target's directory, then rename over the
 * target. A crash or kill at any point leaves either the old file or the new one, never half of one.
 */
import {
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

/**
 * mkdir -p without `{ recursive: true }`, which loops forever in Node 20 when a parent refuses new
 * entries with ENOENT (e.g. /proc/x): create each missing component from the nearest existing one.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (existsSync(d) && !statSync(d).isDirectory())
    throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' });
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Test hook: called after the temp file is complete and before the rename (simulates a crash there). */
export interface AtomicWriteHooks {
  beforeRename?(tempPath: string): void;
}

/** Writes `text` (UTF-8) to `path` atomically, creating parent folders. */
export function writeFileAtomic(path: string, text: string, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(path);
  makeDirs(dir);
  // Same directory as the target so rename never crosses file systems; leading dot and .tmp keep
  // it out of the traces glob (**/*.json) if a kill leaves it behind.
  const temp = join(dir, `.${basename(path)}.${process.pid}-${threadId}-${counter++}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeFileSync(fd, text, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Creates `dir` if needed and proves it is writable by writing and removing a probe file, so a bad
 * output folder fails before any run starts; throws naming the folder and the reason.
 */
export function checkWritableDir(dir: string, what = '--out'): void {
  try {
    makeDirs(dir);
    const probe = join(dir, `.write-probe-${process.pid}-${threadId}.tmp`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new Error(
      `${what} ${dir} is not a writable folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose another folder`,
    );
  }
}
