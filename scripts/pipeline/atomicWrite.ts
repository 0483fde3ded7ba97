/**
 * Atomic file writes: write a hidden temp file in the target's directory, then rename over the
 * target. A crash or kill at any point leaves either the old file or the new one, never half of one.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

/** Test hook: called after the temp file is complete and before the rename (simulates a crash there). */
export interface AtomicWriteHooks {
  beforeRename?(tempPath: string): void;
}

/** Writes `text` (UTF-8) to `path` atomically, creating parent folders. */
export function writeFileAtomic(path: string, text: string, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
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
