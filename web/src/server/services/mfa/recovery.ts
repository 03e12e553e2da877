import { randomBytes } from "node:crypto";
import { sha256 } from "../../tokens.ts";

/** How many recovery codes a user holds at once. */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * Ten fresh codes such as `7k3m-q9xa-2fhd-p0wz`: 16 Crockford base32 characters, 80 random bits,
 * so a fast hash at rest is enough and no code can be guessed online or offline.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(16)].map((byte) => ALPHABET.charAt(byte & 31)).join("");
    return chars.match(/.{4}/g)?.join("-") ?? chars;
  });
}

/**
 * The stored form of a code as a person may type it: case, spaces and dashes do not matter, and
 * the letters base32 readers confuse (i, l, o) read as the digits they look like.
 */
export function hashRecoveryCode(typed: string): string {
  const normal = typed.toLowerCase().replace(/[\s-]/g, "").replace(/[il]/g, "1").replace(/o/g, "0");
  return sha256(`recovery-code:${normal}`);
}
