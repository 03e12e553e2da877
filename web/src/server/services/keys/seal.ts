import { fromBase64, toBase64 } from "@ringfence/engine/bundle";
import type { KeyEncryptionKey } from "./kek.ts";

/** A sealed value cannot be opened: wrong key-encryption key, or altered or misplaced data. */
export class UnsealError extends Error {
  override readonly name = "UnsealError";
}

/**
 * Seals bytes with AES-256-GCM under the key-encryption key. The result is text:
 * `v1.<kek fingerprint>.<iv>.<ciphertext and tag>`. `context` (for example the organisation and
 * the row's purpose) is bound as associated data, so a sealed key copied into another row or
 * organisation does not open.
 */
export async function seal(
  kek: KeyEncryptionKey,
  plaintext: Uint8Array<ArrayBuffer>,
  context: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = new TextEncoder().encode(context);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData },
    kek.key,
    plaintext,
  );
  return `v1.${kek.fingerprint}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** Opens what `seal` produced with the same key and context; throws UnsealError otherwise. */
export async function unseal(
  kek: KeyEncryptionKey,
  sealed: string,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const [version, fingerprint, ivText, bodyText] = sealed.split(".");
  const iv = fromBase64(ivText ?? "");
  const body = fromBase64(bodyText ?? "");
  if (version !== "v1" || iv === undefined || body === undefined) {
    throw new UnsealError("the sealed value is malformed");
  }
  if (fingerprint !== kek.fingerprint) {
    throw new UnsealError(
      `the value was sealed with key-encryption key ${fingerprint}, not the configured ${kek.fingerprint}`,
    );
  }

  const additionalData = new TextEncoder().encode(context);
  try {
    const opened = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData },
      kek.key,
      body,
    );
    return new Uint8Array(opened);
  } catch (cause) {
    throw new UnsealError("the sealed value does not open: altered, or bound to another row", {
      cause,
    });
  }
}

/** The fingerprint a sealed value names, without opening it. */
export function sealedFingerprint(sealed: string): string | undefined {
  return sealed.split(".")[1];
}
