import { resolvePolicy } from "@ringfence/engine/policy";
import { describe, expect, it } from "vitest";
import {
  type CorpusCase,
  differences,
  type Outcome,
  parseCorpusFile,
} from "../../../test/conformance/corpus.ts";
import { originAnswers, tenant } from "./support.ts";

type Detection = { id: string; action: string };

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
/** Makes the origin answer the case's request as the corpus says (when it says anything). */
async function programOrigin(testCase: CorpusCase): Promise<void> {
  if (testCase.origin === undefined) return;
  const url = new URL(testCase.request.url);
  await originAnswers(`${url.pathname}${url.search}`, testCase.origin);
}

async function workerOutcome(policy: unknown, testCase: CorpusCase): Promise<Outcome> {
  cases += 1;
  const edge = tenant(`conformance-${cases}`);
  if (testCase.bundle === "signed") await edge.publish(policy);
  await programOrigin(testCase);
  const { request } = testCase;
  const response = await edge.call(request.url, {
    method: request.method,
    headers: request.headers,
    clientIp: request.srcIp,
    ...(request.body === "" ? {} : { body: request.body }),
  });
  const answer = await response.text();

  // One event per request, and a detection event when response inspection cut the body.
  const events = await edge.events();
  const refused = response.status === 403 || response.status === 503;
  const denied = events.some((event) => event.action === "deny");
  if (response.status === 503) {
    expect(answer, "only a missing bundle answers 503").toContain("no-policy");
  } else {
    expect(denied || refused, "the events agree with the response").toBe(denied);
  }
  const reasons = (events[0]?.reasons ?? {}) as { ruleId?: string };
  const detections = events.flatMap((event) => (event.detections ?? []) as Detection[]);
  return {
    action: refused || denied ? "deny" : "allow",
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
