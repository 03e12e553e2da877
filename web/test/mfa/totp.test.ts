import { describe, expect, it } from "vitest";
import { hashRecoveryCode, newRecoveryCodes } from "../../src/server/services/mfa/recovery.ts";
import {
  matchTotpStep,
  totpCodeAt,
  totpStep,
  totpUri,
} from "../../src/server/services/mfa/totp.ts";

// RFC 6238 Appendix B, SHA-1 rows: the seed is the ASCII of "12345678901234567890" and the
// published codes have 8 digits. A 6-digit code is the same truncated value modulo 10^6, so
// it is the last six digits of each published code.
const RFC_SEED = new TextEncoder().encode("12345678901234567890");
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238, SHA-1, 6 digits, 30 s)", () => {
  it.each(RFC_VECTORS)("at T=%i gives the RFC's code %s (last six digits)", (seconds, code) => {
    const step = totpStep(seconds * 1000);
    expect(step).toBe(Math.floor(seconds / 30));
    expect(totpCodeAt(RFC_SEED, step)).toBe(code.slice(-6));
  });

  const now = 1_111_111_111_000;
  const step = totpStep(now);
  const stepStart = (s: number) => s * 30_000;

  it("accepts a code one step either side of now, and names the step it was for", () => {
    for (const offset of [-1, 0, 1]) {
      expect(matchTotpStep(RFC_SEED, totpCodeAt(RFC_SEED, step + offset), now, null)).toBe(
        step + offset,
      );
    }
  });

  it("refuses a code two steps away, at the exact edges of the window", () => {
    const code = totpCodeAt(RFC_SEED, step);
    // Last millisecond of step+1: still within the window of the code's step.
    expect(matchTotpStep(RFC_SEED, code, stepStart(step + 2) - 1, null)).toBe(step);
    // First millisecond of step+2: the code's step is now two behind.
    expect(matchTotpStep(RFC_SEED, code, stepStart(step + 2), null)).toBeUndefined();
    // First millisecond of step-1: the code is one step ahead, still accepted.
    expect(matchTotpStep(RFC_SEED, code, stepStart(step - 1), null)).toBe(step);
    // Last millisecond of step-2: two steps ahead, refused.
    expect(matchTotpStep(RFC_SEED, code, stepStart(step - 1) - 1, null)).toBeUndefined();
  });

  it("refuses a code whose step is not after the last one used (replay)", () => {
    const code = totpCodeAt(RFC_SEED, step);
    expect(matchTotpStep(RFC_SEED, code, now, step)).toBeUndefined();
    expect(matchTotpStep(RFC_SEED, code, now, step - 1)).toBe(step);
    const earlier = totpCodeAt(RFC_SEED, step - 1);
    expect(matchTotpStep(RFC_SEED, earlier, now, step)).toBeUndefined();
  });

  it("refuses codes that are not six digits, whatever they hold", () => {
    const code = totpCodeAt(RFC_SEED, step);
    for (const bad of ["", "12345", `${code}0`, ` ${code}`, "abcdef", "１２３４５６"]) {
      expect({ bad, step: matchTotpStep(RFC_SEED, bad, now, null) }).toEqual({
        bad,
        step: undefined,
      });
    }
  });

  it("writes an otpauth:// URI with the parameters authenticators read", () => {
    const uri = new URL(totpUri(RFC_SEED, "ana@example.test"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Ringfence:ana@example.test");
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      issuer: "Ringfence",
      secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes of 16 base32 characters in groups of four", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes)
      expect(code).toMatch(/^([0-9a-hjkmnp-tv-z]{4}-){3}[0-9a-hjkmnp-tv-z]{4}$/);
  });

  it("hash the same however a person types them, and differently from any other code", () => {
    const [code = "", other = ""] = newRecoveryCodes();
    const typed = ` ${code.toUpperCase().replace(/-/g, " ")} `;
    expect(hashRecoveryCode(typed)).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode("0123-4567-89ab-cdef")).toBe(hashRecoveryCode("O123 4567 89AB CDEF"));
    expect(hashRecoveryCode(other)).not.toBe(hashRecoveryCode(code));
  });
});
