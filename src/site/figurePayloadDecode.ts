/**
 * Browser side (and Node's, for tests) of a figure's embedded data: base64 → gunzip → JSON, the
 * inverse of encodeFigurePayload. Synchronous (fflate), so a download runs inside the click that
 * asked for it: the browser then treats it as the user's, and allows one per click.
 */
import { gunzipSync, strFromU8 } from 'fflate';

/** Decodes a payload written by encodeFigurePayload. */
export function decodeFigurePayload(base64: string): unknown {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return JSON.parse(strFromU8(gunzipSync(bytes)));
}
