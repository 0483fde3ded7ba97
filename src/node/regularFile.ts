/**
 * Node-only: reading a trace or model file only if it is a regular file of bounded size. A FIFO in
 * place of a trace would block a plain readFileSync forever, a directory or a device named like a
 * trace is no trace, and a symbolic link could point anywhere; each fails at once with a message
 * naming the file. The file is opened non-blocking and without following a final symbolic link, and
 * checked through the open descriptor, so nothing can be swapped in between the check and the read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Largest trace or model file read (the largest committed one is about 1 MB). */
export const MAX_TRACE_FILE_BYTES = 32 * 1024 * 1024;

/** A file that is not a readable regular file within the size limit; `message` names the file. */
export class FileKindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileKindError';
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * The UTF-8 text of the regular file at `path` (named `display` in errors). Throws FileKindError
 * for a symbolic link, a FIFO, a directory, a device or a socket, or a file over `limit` bytes,
 * without blocking; other read errors are rethrown with the file named.
 */
export function readRegularFile(path: string, display = path, limit = MAX_TRACE_FILE_BYTES): string {
  return readRegularFileBytes(path, display, limit).toString('utf8');
}

/** The bytes of the regular file at `path`; same checks as readRegularFile. */
export function readRegularFileBytes(path: string, display = path, limit = MAX_TRACE_FILE_BYTES): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ELOOP' || err.code === 'EMLINK')
      throw new FileKindError(`${display} is a symbolic link; only regular files are read as traces or models`);
    throw new FileKindError(`${display}: cannot open (${err.message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new FileKindError(`${display} is ${kindOf(st)}; only regular files are read as traces or models`);
    if (st.size > limit)
      throw new FileKindError(
        `${display} holds ${st.size} bytes, more than the ${limit} bytes a trace or model file may have`,
      );
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const got = readSync(fd, buf, off, st.size - off, off);
      if (got === 0) break;
      off += got;
    }
    if (off !== st.size) throw new FileKindError(`${display} changed while it was read (${off} of ${st.size} bytes)`);
    return buf;
  } finally {
    closeSync(fd);
  }
}
