import { describe, expect, it } from "vitest";
import { engineEgressGuard } from "../src/egress/guard.ts";

/** A resolver whose answers the test changes, counting every question it gets. */
function scriptedResolver(initial: Record<string, string[]>) {
  const table = new Map(Object.entries(initial));
  const state = { asked: 0 };
  const resolve = async (name: string) => {
    state.asked += 1;
    return table.get(name) ?? [];
  };
  return { resolve, table, state };
}

describe("egress guard verdict reuse", () => {
  it("judges a held answer once and reuses the verdict while that answer is held", async () => {
    const dns = scriptedResolver({ "api.test": ["127.0.0.5"] });
    const guard = engineEgressGuard(dns.resolve, ["127.0.0.0/8"], 5_000);

    const first = await guard("api.test", 443);
    const second = await guard("api.test", 443);
    const third = await guard("api.test", 443);
    expect(first).toMatchObject({ verdict: "allow", address: "127.0.0.5" });
    expect(third).toEqual(first);
    expect(second).toEqual(first);
    expect(dns.state.asked).toBe(1);
  });

  it("answers a reused verdict without a promise, and any other judgement with one", async () => {
    const dns = scriptedResolver({ "api.test": ["127.0.0.5"] });
    const guard = engineEgressGuard(dns.resolve, ["127.0.0.0/8"], 5_000);

    // The first lookup is in flight while it is judged, so only the second (on the held
    // answer) leaves a verdict to reuse.
    const first = guard("api.test", 443);
    expect(first).toBeInstanceOf(Promise);
    await first;
    const judged = await guard("api.test", 443);
    const reused = guard("api.test", 443);
    expect(reused).not.toBeInstanceOf(Promise);
    expect(reused).toBe(judged);
    expect(guard("api.test", 8443)).toBeInstanceOf(Promise);
  });

  it("judges again once the answer expires, so a rebound name is refused", async () => {
    let clock = 0;
    const dns = scriptedResolver({ "api.test": ["127.0.0.5"] });
    const guard = engineEgressGuard(dns.resolve, ["127.0.0.0/8"], 1_000, () => clock);
    expect(await guard("api.test", 80)).toMatchObject({ verdict: "allow" });
    expect(await guard("api.test", 80)).toMatchObject({ verdict: "allow" });

    dns.table.set("api.test", ["169.254.169.254"]);
    clock = 1_001;
    const rebound = await guard("api.test", 80);
    expect(rebound).toMatchObject({ verdict: "block", category: "metadata" });
    expect(await guard("api.test", 80)).toMatchObject({ verdict: "block" });
    expect(dns.state.asked).toBe(2);
  });

  it("keeps verdicts apart per port and per host spelling the engine judges", async () => {
    const dns = scriptedResolver({ "api.test": ["10.0.0.1"], "db.test": ["127.0.0.9"] });
    const guard = engineEgressGuard(dns.resolve, ["127.0.0.0/8"], 5_000);
    expect(await guard("db.test", 5432)).toMatchObject({ verdict: "allow" });
    expect(await guard("api.test", 5432)).toMatchObject({ verdict: "block" });
    expect(await guard("api.test", 5433)).toMatchObject({ verdict: "block" });
    expect(await guard("DB.test.", 5432)).toMatchObject({ verdict: "allow", address: "127.0.0.9" });
    expect(await guard("169.254.169.254", 80)).toMatchObject({ verdict: "block" });
    expect(await guard("169.254.169.254", 80)).toMatchObject({ verdict: "block" });
    expect(await guard("127.0.0.7", 80)).toMatchObject({ verdict: "allow", address: "127.0.0.7" });
  });

  it("asks the resolver every time when answers are not to be reused", async () => {
    const dns = scriptedResolver({ "api.test": ["127.0.0.5"] });
    const guard = engineEgressGuard(dns.resolve, ["127.0.0.0/8"], 0);
    await guard("api.test", 443);
    await guard("api.test", 443);
    expect(dns.state.asked).toBe(2);
  });
});
