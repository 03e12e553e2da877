import { fromBase64, sha256Hex, toBase64 } from "./encoding.ts";

const ED25519 = { name: "Ed25519" } as const;

/** A freshly generated bundle-signing key pair, with the parts the control plane stores. */
export interface SigningKeyPair {
  keyId: string;
  /** Raw 32-byte public key, base64. */
  publicKey: string;
  /** PKCS#8 private key, base64: the control plane encrypts it before storing it. */
  privateKeyPkcs8: string;
  privateKey: CryptoKey;
}

/**
 * Derives a stable key id from a raw public key, so the same key always carries the same id
 * and two keys practically never collide.
 */
export async function deriveKeyId(rawPublicKey: Uint8Array<ArrayBuffer>): Promise<string> {
  return `ed25519-${(await sha256Hex(rawPublicKey)).slice(0, 24)}`;
}

/** Generates a new Ed25519 bundle-signing key pair through Web Crypto. */
export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const pkcs8 = new Uint8Array(
    (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer,
  );
  return {
    keyId: await deriveKeyId(raw),
    publicKey: toBase64(raw),
    privateKeyPkcs8: toBase64(pkcs8),
    privateKey: pair.privateKey,
  };
}

/** Imports a stored PKCS#8 Ed25519 private key (base64) for signing; it stays non-extractable. */
export async function importSigningKey(privateKeyPkcs8: string): Promise<CryptoKey> {
  const bytes = fromBase64(privateKeyPkcs8);
  if (bytes === undefined) {
    throw new TypeError("the signing key is not canonical base64");
  }
  return crypto.subtle.importKey("pkcs8", bytes, ED25519, false, ["sign"]);
}

/** Imports a raw Ed25519 public key (base64) for verifying. */
export async function importVerifyKey(publicKey: string): Promise<CryptoKey> {
  const bytes = fromBase64(publicKey);
  if (bytes === undefined || bytes.length !== 32) {
    throw new TypeError("an Ed25519 public key is 32 bytes in base64");
  }
  return crypto.subtle.importKey("raw", bytes, ED25519, false, ["verify"]);
}

/** Signs bytes with an Ed25519 private key. */
export async function signBytes(
  privateKey: CryptoKey,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, bytes));
}

/** Checks an Ed25519 signature over bytes. */
export async function verifyBytes(
  publicKey: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  return crypto.subtle.verify(ED25519, publicKey, signature, bytes);
}
