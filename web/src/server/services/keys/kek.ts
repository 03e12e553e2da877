import { readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Database } from "@ringfence/db";
import { fromBase64 } from "@ringfence/engine/bundle";
import { Keyring } from "./keyring.ts";
import { localKeyWrapper } from "./kms.ts";

/** Why the key-encryption key could not be loaded; the message says what to fix. */
export class KekError extends Error {
  override readonly name = "KekError";
}

/** @deprecated The KEK is now reached through the keyring it heads; use `Keyring`. */
export type KeyEncryptionKey = Keyring;

const HOW_TO =
  "set RINGFENCE_KEK to base64 of 32 random bytes (e.g. `openssl rand -base64 32`) or " +
  "RINGFENCE_KEK_FILE to a file holding it, outside the data directory";

/**
 * Loads the keyring's KEKs from configuration: the current one from `RINGFENCE_KEK` or
 * `RINGFENCE_KEK_FILE` (required), and during a KEK rotation the old one from
 * `RINGFENCE_KEK_PREVIOUS` or `RINGFENCE_KEK_PREVIOUS_FILE`. `RINGFENCE_KMS` chooses what wraps
 * data keys; only `local` (the KEK itself) ships. Files must be readable by their owner only
 * and lie outside the data directory, so a copy of the data never carries the key that opens
 * it. Throws a KekError naming the setting at fault.
 */
export async function loadKeyring(
  env: Record<string, string | undefined>,
  dataDir: string | undefined,
  db?: Database,
): Promise<Keyring> {
  const kms = env.RINGFENCE_KMS || "local";
  if (kms !== "local") {
    throw new KekError(
      `RINGFENCE_KMS=${kms} is not available: only \`local\` ships (see docs/identity.md, ` +
        '"Using a KMS")',
    );
  }
  const current = readKey(env, "RINGFENCE_KEK", dataDir);
  if (current === undefined) {
    throw new KekError(`no key-encryption key is configured: ${HOW_TO}`);
  }
  const previous = readKey(env, "RINGFENCE_KEK_PREVIOUS", dataDir);
  const wrappers = [await localKeyWrapper(current)];
  if (previous !== undefined) {
    const old = await localKeyWrapper(previous);
    if (old.id === wrappers[0]?.id) {
      throw new KekError("RINGFENCE_KEK_PREVIOUS is the same key as RINGFENCE_KEK; unset it");
    }
    wrappers.push(old);
  }
  return new Keyring(wrappers, db);
}

/** A keyring with one local KEK of the given bytes, for tests and tools. */
export async function importKek(bytes: Uint8Array<ArrayBuffer>, db?: Database): Promise<Keyring> {
  return new Keyring([await localKeyWrapper(bytes)], db);
}

/** The 32 key bytes of `<name>` or `<name>_FILE`, or undefined when neither is set. */
function readKey(
  env: Record<string, string | undefined>,
  name: string,
  dataDir: string | undefined,
): Uint8Array<ArrayBuffer> | undefined {
  const inline = env[name] || undefined;
  const file = env[`${name}_FILE`] || undefined;
  if (inline !== undefined && file !== undefined) {
    throw new KekError(`both ${name} and ${name}_FILE are set; set only one`);
  }
  if (inline === undefined && file === undefined) {
    return undefined;
  }

  const source = inline === undefined ? `${name}_FILE` : name;
  const text = inline ?? readKekFile(source, file ?? "", dataDir);
  const bytes = fromBase64(text.trim());
  if (bytes === undefined || bytes.length !== 32) {
    throw new KekError(`${source} must hold base64 of exactly 32 bytes: ${HOW_TO}`);
  }
  return bytes;
}

function readKekFile(setting: string, path: string, dataDir: string | undefined): string {
  const absolute = resolve(path);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (cause) {
    throw new KekError(`${setting} ${absolute} cannot be read`, { cause });
  }
  if (dataDir !== undefined && isInside(real, resolve(dataDir))) {
    throw new KekError(
      `${setting} ${absolute} is inside the data directory; keep it elsewhere so ` +
        "a copy of the data never carries its key",
    );
  }
  if ((statSync(real).mode & 0o077) !== 0) {
    throw new KekError(
      `${setting} ${absolute} is readable by other users; run \`chmod 600\` on it`,
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
