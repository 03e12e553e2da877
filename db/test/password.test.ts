import { describe, expect, it } from "vitest";
import { hashPassword, UNUSABLE_PASSWORD_HASH, verifyPassword } from "../src/index.ts";

describe("password hashing", () => {
  it("verifies the password it hashed and nothing else", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
  });

  it("salts every hash so equal passwords store differently", async () => {
    expect(await hashPassword("same-password")).not.toBe(await hashPassword("same-password"));
  });

  it("never matches a malformed stored hash or the unusable placeholder", async () => {
    for (const stored of ["", "scrypt$x$8$1$a$b", "bcrypt$1$2$3$4$5", UNUSABLE_PASSWORD_HASH]) {
      expect(await verifyPassword("anything", stored)).toBe(false);
    }
  });
});
