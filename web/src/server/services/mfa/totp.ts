import { timingSafeEqual } from "node:crypto";
import { Secret, TOTP } from "otpauth";

/**
 * TOTP as RFC 6238 defines it and authenticator apps expect: HMAC-SHA-1, 6 digits, 30-second
 * steps. A code is accepted for the current step and one step either side, which absorbs clock
 * drift and the seconds a person takes to type it.
 */
export const TOTP_PARAMETERS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
export const TOTP_WINDOW = 1;
const ISSUER = "Ringfence";

/** 160 random bits, the HMAC-SHA-1 key length RFC 4226 recommends. */
export function newTotpSecret(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(20));
}

/** The step (30-second counter since the epoch) a moment falls in. */
export function totpStep(nowMs: number): number {
  return TOTP.counter({ period: TOTP_PARAMETERS.period, timestamp: nowMs });
}

/** The code for one step; used to verify, and by tests to play the authenticator. */
export function totpCodeAt(secret: Uint8Array<ArrayBuffer>, step: number): string {
  const timestamp = step * TOTP_PARAMETERS.period * 1000;
  return TOTP.generate({ secret: toSecret(secret), timestamp, ...params() });
}

/**
 * The step whose code `code` is, searched within the window around `nowMs` and after
 * `afterStep` (the last step already used, so a code is never accepted twice). Undefined when
 * no step in range matches. Every candidate is compared in constant time.
 */
export function matchTotpStep(
  secret: Uint8Array<ArrayBuffer>,
  code: string,
  nowMs: number,
  afterStep: number | null,
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const current = totpStep(nowMs);
  let matched: number | undefined;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (afterStep !== null && step <= afterStep) continue;
    const expected = Buffer.from(totpCodeAt(secret, step));
    if (timingSafeEqual(expected, Buffer.from(code)) && matched === undefined) matched = step;
  }
  return matched;
}

/** The `otpauth://totp/…` URI authenticator apps read (usually from a QR code). */
export function totpUri(secret: Uint8Array<ArrayBuffer>, account: string): string {
  const totp = new TOTP({
    issuer: ISSUER,
    label: account,
    secret: toSecret(secret),
    ...params(),
  });
  return totp.toString();
}

/** The secret as base32, for typing into an authenticator by hand. */
export function totpSecretText(secret: Uint8Array<ArrayBuffer>): string {
  return toSecret(secret).base32;
}

/** otpauth's Secret over a copy, so a view into a larger buffer never leaks its neighbours. */
function toSecret(secret: Uint8Array<ArrayBuffer>): Secret {
  return new Secret({ buffer: secret.slice().buffer });
}

function params() {
  return {
    algorithm: TOTP_PARAMETERS.algorithm,
    digits: TOTP_PARAMETERS.digits,
    period: TOTP_PARAMETERS.period,
  };
}
