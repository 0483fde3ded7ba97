/**
 * Build side of a figure's one embedded copy of its data: the JSON download's object, gzipped and
 * base64-encoded into the page (src/site/figurePayloadDecode.ts reads it back in the browser).
 * Gzip because full-precision series are most of a chapter's HTML; base64 because the HTML is text.
 * Deterministic: Node's gzip writes no timestamp or file name, so one commit builds one page.
 */
import { gzipSync } from 'node:zlib';

/** The value as JSON, gzipped (level 9), in base64. */
export function encodeFigurePayload(value: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 9 }).toString('base64');
}
