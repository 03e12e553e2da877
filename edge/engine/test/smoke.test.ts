import { describe, expect, it } from "vitest";
import { ENGINE_VERSION } from "../src/index.ts";

describe("engine", () => {
  it("loads without node builtins", () => {
    expect(ENGINE_VERSION).toBe("0.1.0");
  });
});
