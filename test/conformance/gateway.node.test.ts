import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differences } from "./corpus.ts";
import { type GatewayUnderTest, startGatewayUnderTest } from "./gateway.node.ts";
import { loadCorpus } from "./load.node.ts";

/**
 * Cases where the gateway disagrees with the expectation today, each with why and what removes
 * it. They run as expected failures, so a fix makes them fail until the entry is deleted.
 */
const KNOWN_GAPS: Record<string, string> = {};

// Runner (b): the Node gateway, through its real forward proxy, enforcing the corpus policy as
// a signed bundle from a control plane; each case's client is named by a trusted hop's PROXY
// v2 header. Cases without a bundle go to a second gateway whose control plane holds none.
for (const { file, resolved } of loadCorpus()) {
  const hosts = [...new Set(file.cases.map((c) => new URL(c.request.url).hostname))];
  const gateways: Partial<Record<"signed" | "none", GatewayUnderTest>> = {};

  describe(`conformance corpus "${file.name}" — Node gateway`, () => {
    beforeAll(async () => {
      gateways.signed = await startGatewayUnderTest(resolved, hosts);
      if (file.cases.some((c) => c.bundle === "none")) {
        gateways.none = await startGatewayUnderTest(undefined, hosts);
      }
    }, 60_000);
    afterAll(async () => {
      await Promise.all(Object.values(gateways).map((gateway) => gateway.close()));
    });

    for (const testCase of file.cases) {
      const run = KNOWN_GAPS[testCase.name] === undefined ? it : it.fails;
      run(testCase.name, async () => {
        const gateway = gateways[testCase.bundle];
        if (!gateway) throw new Error(`no gateway for bundle "${testCase.bundle}"`);
        const { seen, ...outcome } = await gateway.outcome(testCase);
        const shown = JSON.stringify({ ...outcome, client: seen.how });
        expect(seen.refused, `the client's view agrees with the events: ${shown}`).toBe(
          outcome.action === "deny",
        );
        expect(differences(testCase.expect, outcome), shown).toEqual([]);
      });
    }
  });
}
