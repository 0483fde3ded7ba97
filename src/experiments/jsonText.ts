/**
 * Checks on JSON text that JSON.parse cannot make: a key that appears twice in one object (JSON.parse
 * silently keeps the last one, so a trace could show other numbers than its first copy of a key).
 * Pure: no fs, no Node globals.
 */

/** A key repeated within one object: its dotted path (e.g. "summary.catapults") and the bare key. */
export interface DuplicateKey {
  field: string;
  key: string;
}

interface Frame {
  /** Keys seen so far in this object; null for an array. */
  keys: Set<string> | null;
  /** Path of this container ("" at the root). */
  path: string;
  /** Object: the next string is a key (after "{" or ","). Array: index of the current element. */
  expectKey: boolean;
  index: number;
}

const join = (path: string, part: string | number) =>
  typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : part;

/**
 * The first key that appears twice in one object of `text`, or null. `text` should be JSON that
 * JSON.parse accepts (call it after parsing); on anything else the scan stops without a finding.
 */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = [];
  const quoteOrBackslash = /["\\]/g;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Find the closing quote, skipping escapes; jump between quotes and backslashes only.
      let j = i + 1;
      for (;;) {
        quoteOrBackslash.lastIndex = j;
        const m = quoteOrBackslash.exec(text);
        if (!m) return null;
        if (m[0] === '\\') {
          j = m.index + 2;
          continue;
        }
        j = m.index;
        break;
      }
      const top = stack[stack.length - 1];
      if (top && top.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { field: join(top.path, key), key };
        top.keys.add(key);
        top.expectKey = false;
        (top as Frame & { current?: string }).current = key;
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const top = stack[stack.length - 1] as (Frame & { current?: string }) | undefined;
      const path = !top ? '' : top.keys ? join(top.path, top.current ?? '') : join(top.path, top.index);
      stack.push({ keys: c === 0x7b ? new Set() : null, path, expectKey: c === 0x7b, index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top) {
        if (top.keys) top.expectKey = true;
        else top.index++;
      }
    }
    i++;
  }
  return null;
}

/** JSON.parse that also refuses a key repeated within one object (the error names its dotted path). */
export function parseJsonStrict(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  const dup = findDuplicateKey(text);
  if (dup) throw new DuplicateKeyError(dup);
  return value;
}

/** A JSON text that repeats a key within one object. */
export class DuplicateKeyError extends Error {
  readonly field: string;
  constructor(dup: DuplicateKey) {
    super(
      `field "${dup.field}": key "${dup.key}" appears twice in one object (JSON keeps only the last copy, silently)`,
    );
    this.name = 'DuplicateKeyError';
    this.field = dup.field;
  }
}
