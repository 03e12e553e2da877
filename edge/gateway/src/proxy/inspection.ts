import type { Detection } from "@ringfence/engine/documents";
import {
  type BodyScanner,
  type CompiledProfiles,
  createBodyScanner,
  inspectRequest,
} from "@ringfence/engine/inspect";
import { toEventDetection } from "../engine/inspection.ts";
import type { PolicyHandle } from "../engine/policy.ts";
import { gatewayFinding } from "../events/build.ts";
import type { RequestHead } from "../http/head.ts";

/** The outcome of inspecting one request before it goes upstream. */
export type RequestVerdict = {
  compiled: CompiledProfiles | undefined;
  findings: readonly Detection[];
  block: boolean;
};

// Shared by every request without profiles; nothing writes to a verdict after it is returned.
const NOT_INSPECTED: RequestVerdict = Object.freeze({
  compiled: undefined,
  findings: Object.freeze([]),
  block: false,
});

/**
 * Runs inspection profiles (a proxy-mode rule's, or a reverse-proxy route's) on a request. A
 * profile that cannot be compiled or is missing from the bundle blocks the request: inspection
 * that was asked for is never silently skipped.
 */
export function inspectBefore(
  policy: PolicyHandle,
  profileIds: readonly string[],
  head: RequestHead,
  body: Uint8Array,
  sourceIp: string,
): RequestVerdict {
  if (profileIds.length === 0) return NOT_INSPECTED;
  let compiled: CompiledProfiles | undefined;
  try {
    compiled = policy.profiles?.for(profileIds);
  } catch {
    compiled = undefined;
  }
  if (!compiled) {
    // No bundle holds the profiles (never synced, or a stale route), so nothing can inspect.
    const finding = gatewayFinding("inspection-unavailable", "inspection", "profiles");
    return { compiled: undefined, findings: [finding], block: true };
  }
  const headers = head.headers.map(([name, value]): [string, string] => [name, value]);
  const result = inspectRequest(compiled, {
    method: head.method,
    target: head.target,
    headers,
    body,
    sourceIp,
  });
  return {
    compiled,
    findings: result.detections.map(toEventDetection),
    block: result.action === "block",
  };
}

/** A response body filter: scans each chunk, returns what may be forwarded, and findings. */
export type ResponseFilter = {
  push(chunk: Uint8Array): { output: Uint8Array; block: boolean };
  finish(): Promise<{ output: Uint8Array; block: boolean }>;
  findings: Detection[];
};

/** Response-direction DLP and malware for the rule's profiles; undefined when there are none. */
export function responseFilter(compiled: CompiledProfiles | undefined): ResponseFilter | undefined {
  if (!compiled || (compiled.dlp.response.length === 0 && !compiled.malware)) return undefined;
  const scanner: BodyScanner = createBodyScanner(compiled, "response");
  const findings: Detection[] = [];
  const note = (found: Parameters<typeof toEventDetection>[0][]) => {
    for (const detection of found) {
      if (!findings.some((known) => known.id === detection.id)) {
        findings.push(toEventDetection(detection));
      }
    }
  };
  return {
    push(chunk) {
      const result = scanner.push(chunk);
      note(result.detections);
      return { output: result.output, block: result.block };
    },
    async finish() {
      const result = await scanner.finish();
      note(result.detections);
      return { output: result.output, block: result.block };
    },
    findings,
  };
}
