import { createHash, randomBytes } from "node:crypto";

/** 256 random bits as base64url, for session cookies, invitation tokens and API keys. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The stored form of a high-entropy secret; a fast hash suffices because guessing is hopeless. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
