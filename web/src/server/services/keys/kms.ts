import { fromBase64, sha256Hex, toBase64 } from "@ringfence/engine/bundle";

/**
 * What wraps data keys: the local key-encryption key, or a KMS key by configuration. Wrapping
 * happens when a data key is created or the KEK rotates and unwrapping once per data key and
 * process, so a KMS behind this interface is never on the path of a request.
 */
export interface KeyWrapper {
  /** Stored with every wrapped key and key-check value: a fingerprint, or the KMS key id. */
  readonly id: string;
  /** Encrypts key bytes; `associatedData` binds the result to its row (a KMS encryption context). */
  wrap(key: Uint8Array<ArrayBuffer>, associatedData: string): Promise<string>;
  /** Reverses `wrap`; throws when the bytes were altered, moved or wrapped by another key. */
  unwrap(wrapped: string, associatedData: string): Promise<Uint8Array<ArrayBuffer>>;
}

/** A wrapped value does not open under this wrapper. */
export class UnwrapError extends Error {
  override readonly name = "UnwrapError";
}

const encoder = new TextEncoder();

/**
 * The local KEK: AES-256-GCM with a random 96-bit IV per wrap, `<iv>.<ciphertext and tag>` in
 * base64. Its id is the first 16 hex digits of a domain-separated SHA-256 of the key, which names
 * the key without revealing it.
 */
export async function localKeyWrapper(bytes: Uint8Array<ArrayBuffer>): Promise<LocalKeyWrapper> {
  const label = encoder.encode("ringfence-kek-fingerprint:");
  const id = (await sha256Hex(new Uint8Array([...label, ...bytes]))).slice(0, 16);
  const key = await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
  return new LocalKeyWrapper(id, key);
}

export class LocalKeyWrapper implements KeyWrapper {
  constructor(
    readonly id: string,
    /** Also opens values of the first envelope format, which the KEK sealed directly. */
    readonly key: CryptoKey,
  ) {}

  wrap(bytes: Uint8Array<ArrayBuffer>, associatedData: string): Promise<string> {
    return gcmSeal(this.key, bytes, associatedData);
  }

  unwrap(wrapped: string, associatedData: string): Promise<Uint8Array<ArrayBuffer>> {
    return gcmOpen(this.key, wrapped, associatedData);
  }
}

/** Opens `<iv>.<ciphertext and tag>` under an AES-GCM key; throws UnwrapError otherwise. */
export async function gcmOpen(
  key: CryptoKey,
  sealed: string,
  associatedData: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const [ivText, bodyText, extra] = sealed.split(".");
  const iv = fromBase64(ivText ?? "");
  const body = fromBase64(bodyText ?? "");
  if (iv === undefined || iv.length !== 12 || body === undefined || extra !== undefined) {
    throw new UnwrapError("the wrapped value is malformed");
  }
  try {
    const additionalData = encoder.encode(associatedData);
    const opened = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData }, key, body);
    return new Uint8Array(opened);
  } catch (cause) {
    throw new UnwrapError("the value does not open: wrong key, altered, or bound elsewhere", {
      cause,
    });
  }
}

/** Seals with an AES-GCM key into `<iv>.<ciphertext and tag>`. */
export async function gcmSeal(
  key: CryptoKey,
  plaintext: Uint8Array<ArrayBuffer>,
  associatedData: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = encoder.encode(associatedData);
  const body = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, plaintext);
  return `${toBase64(iv)}.${toBase64(new Uint8Array(body))}`;
}
