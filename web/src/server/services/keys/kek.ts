import { readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { fromBase64, sha256Hex } from "@ringfence/engine/bundle";

/** Why the key-encryption key could not be loaded; the message says what to fix. */
export class KekError extends Error {
  override readonly name = "KekError";
}

/** The key that seals every private key at rest, with a fingerprint that names it safely. */
export interface KeyEncryptionKey {
  key: CryptoKey;
  /** First 16 hex digits of a domain-separated SHA-256 of the key: identifies, never reveals. */
  fingerprint: string;
}

const HOW_TO =
  "set RINGFENCE_KEK to base64 of 32 random bytes (e.g. `openssl rand -base64 32`) or " +
  "RINGFENCE_KEK_FILE to a file holding it, outside the data directory";

/**
 * Loads the key-encryption key from `RINGFENCE_KEK` (base64 of 32 bytes) or `RINGFENCE_KEK_FILE`
 * (a file holding the same, readable by its owner only, outside the data directory so a copy of
 * the data never carries the key that opens it). Throws a KekError naming the problem.
 */
export async function loadKeyEncryptionKey(
  env: Record<string, string | undefined>,
  dataDir: string | undefined,
): Promise<KeyEncryptionKey> {
  const inline = env.RINGFENCE_KEK || undefined;
  const file = env.RINGFENCE_KEK_FILE || undefined;
  if (inline !== undefined && file !== undefined) {
    throw new KekError("both RINGFENCE_KEK and RINGFENCE_KEK_FILE are set; set only one");
  }
  if (inline === undefined && file === undefined) {
    throw new KekError(`no key-encryption key is configured: ${HOW_TO}`);
  }

  const text = inline ?? readKekFile(file ?? "", dataDir);
  const source = inline === undefined ? "RINGFENCE_KEK_FILE" : "RINGFENCE_KEK";
  const bytes = fromBase64(text.trim());
  if (bytes === undefined || bytes.length !== 32) {
    throw new KekError(`${source} must hold base64 of exactly 32 bytes: ${HOW_TO}`);
  }
  return importKek(bytes);
}

/** Imports raw key bytes; exported for tests and for a KMS-backed loader to reuse. */
export async function importKek(bytes: Uint8Array<ArrayBuffer>): Promise<KeyEncryptionKey> {
  const label = new TextEncoder().encode("ringfence-kek-fingerprint:");
  const fingerprint = (await sha256Hex(new Uint8Array([...label, ...bytes]))).slice(0, 16);
  const key = await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { key, fingerprint };
}

function readKekFile(path: string, dataDir: string | undefined): string {
  const absolute = resolve(path);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (cause) {
    throw new KekError(`RINGFENCE_KEK_FILE ${absolute} cannot be read`, { cause });
  }
  if (dataDir !== undefined && isInside(real, resolve(dataDir))) {
    throw new KekError(
      `RINGFENCE_KEK_FILE ${absolute} is inside the data directory; keep it elsewhere so ` +
        "a copy of the data never carries its key",
    );
  }
  if ((statSync(real).mode & 0o077) !== 0) {
    throw new KekError(
      `RINGFENCE_KEK_FILE ${absolute} is readable by other users; run \`chmod 600\` on it`,
    );
  }
  return readFileSync(real, "utf8");
}

function isInside(path: string, directory: string): boolean {
  let realDirectory = directory;
  try {
    realDirectory = realpathSync(directory);
  } catch {
    // A data directory that does not exist yet cannot contain the file; compare as given.
  }
  const rest = relative(realDirectory, path);
  return rest === "" || (!rest.startsWith("..") && !isAbsolute(rest));
}
