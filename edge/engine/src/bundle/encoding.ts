/**
 * Byte encodings used by the bundle envelope, written against Web APIs only (no Buffer) so the
 * same code runs in Workers, Node gateways and the control plane.
 */

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes bytes as standard, padded base64 (RFC 4648 section 4). */
export function toBase64(bytes: Uint8Array): string {
  // String.fromCharCode takes its arguments on the stack, so large inputs go in slices.
  const chunks: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    chunks.push(String.fromCharCode(...bytes.subarray(offset, offset + 0x8000)));
  }
  return btoa(chunks.join(""));
}

/**
 * Decodes standard, padded base64 strictly: whitespace, the URL-safe alphabet, missing padding
 * and non-zero padding bits are refused, so every byte string has exactly one accepted spelling.
 * Returns undefined when the text is not canonical base64.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64_PATTERN.test(text)) {
    return undefined;
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) {
    bytes[index] = binary.charCodeAt(index);
  }

  // atob ignores bits beyond the last full byte; re-encoding shows whether they were zero.
  return toBase64(bytes) === text ? bytes : undefined;
}

/** Encodes bytes as lowercase hexadecimal. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    out += byte.toString(16).padStart(2, "0");
  }
  return out;
}

/** SHA-256 of the bytes, as lowercase hexadecimal. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return toHex(new Uint8Array(digest));
}

/** Constant-time comparison of two byte strings of possibly different lengths. */
export function bytesEqual(left: Uint8Array, right: Uint8Array): boolean {
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}
