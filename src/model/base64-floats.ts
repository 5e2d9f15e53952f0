/**
 * Float32 weights ⇄ base64 text, little-endian whatever the host's byte order,
 * using only `btoa`/`atob` (present in every runtime churnkit targets).
 */

/** Encodes floats as base64 of their little-endian IEEE-754 bytes. */
export function floatsToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** Decodes base64 little-endian floats; undefined when the text is not base64 of whole floats. */
export function base64ToFloats(text: string): Float32Array | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  if (binary.length % 4 !== 0) return undefined;
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const floats = new Float32Array(binary.length / 4);
  for (let i = 0; i < floats.length; i++) floats[i] = view.getFloat32(i * 4, true);
  return floats;
}
