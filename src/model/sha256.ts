/**
 * SHA-256 through Web Crypto (`globalThis.crypto.subtle`), available in Node 20,
 * browsers, Deno and Workers alike, so the runtime-neutral core needs no Node import.
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
