/**
 * Canonical JSON and SHA-256, with no `node:crypto` import, so the CLI, the Astro build and (if
 * ever needed) the browser compute the same hash.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** JSON with object keys sorted recursively and no whitespace; `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`canonicalJson: non-finite number ${value} cannot be hashed; use null or a finite value`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits (audited @noble/hashes; Node and browser). */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The trace cache key: sha256 of canonical JSON of {experiment, schemaVersion, runKey, config, seed}. */
export function configHash(input: {
  experiment: string;
  schemaVersion: number;
  runKey: string;
  config: unknown;
  seed: number;
}): string {
  const { experiment, schemaVersion, runKey, config, seed } = input;
  return sha256Hex(canonicalJson({ experiment, schemaVersion, runKey, config, seed }));
}
