import { resolvePolicy } from "@ringfence/engine/policy";
import { describe, expect, it } from "vitest";
import {
  type CorpusCase,
  differences,
  type Outcome,
  parseCorpusFile,
} from "../../../test/conformance/corpus.ts";
import { tenant } from "./support.ts";

// Runner (c): the worker in workerd. Every case gets an enforcer of its own, receives the
// resolved policy as a signed bundle from the control plane, and answers a real request; the
// outcome is read from the response and from the event that reached the control plane.
const files = import.meta.glob<unknown>("../../../test/conformance/cases/*.json", {
  eager: true,
  import: "default",
});
const documents = import.meta.glob<unknown>("../../../test/conformance/documents/*.json", {
  eager: true,
  import: "default",
});

function documentNamed(name: string): unknown {
  const found = documents[`../../../test/conformance/documents/${name}`];
  if (found === undefined) throw new Error(`the corpus names a missing document ${name}`);
  return found;
}

let cases = 0;

async function workerOutcome(policy: unknown, testCase: CorpusCase): Promise<Outcome> {
  cases += 1;
  const edge = tenant(`conformance-${cases}`);
  await edge.publish(policy);
  const { request } = testCase;
  const response = await edge.call(request.url, {
    method: request.method,
    headers: request.headers,
    clientIp: request.srcIp,
    ...(request.body === "" ? {} : { body: request.body }),
  });
  await response.arrayBuffer();

  const [event] = await edge.events();
  const reasons = (event?.reasons ?? {}) as { ruleId?: string };
  const detections = (event?.detections ?? []) as { id: string; action: string }[];
  const action = response.status === 403 ? "deny" : "allow";
  expect(event?.action, "the event agrees with the response").toBe(action);
  return {
    action,
    ruleId: reasons.ruleId ?? null,
    detections: detections.filter((d) => d.action === "deny").map((d) => d.id),
  };
}

for (const [path, content] of Object.entries(files)) {
  const file = parseCorpusFile(path, content);
  const resolved = resolvePolicy(documentNamed(file.policy), documentNamed(file.inventory));

  describe(`conformance corpus "${file.name}" — worker in workerd`, () => {
    for (const testCase of file.cases) {
      it(testCase.name, async () => {
        const outcome = await workerOutcome(resolved, testCase);
        expect(differences(testCase.expect, outcome), JSON.stringify(outcome)).toEqual([]);
      });
    }
  });
}
