import type { CompiledProfiles } from "./compile.ts";
import { DlpStream } from "./dlp/scanner.ts";
import { scanForMalware } from "./malware/index.ts";
import { concatBytes } from "./raw-http.ts";
import type { Detection } from "./types.ts";

/** A streaming scanner for one body in one direction. */
export interface BodyScanner {
  /** Feeds a chunk; returns the bytes now safe to forward (redacted where a rule says so). */
  push(chunk: Uint8Array): { output: Uint8Array; detections: Detection[]; block: boolean };
  /** Ends the body: flushes held-back bytes and runs hash and archive checks. */
  finish(): Promise<{ output: Uint8Array; detections: Detection[]; block: boolean }>;
}

function toDetections(stream: DlpStream): Detection[] {
  const found: Detection[] = stream.findings().map((f) => ({
    id: `dlp-${f.detector}`,
    category: "dlp",
    location: "body",
    evidence: `${f.count}× ${f.evidence.join(", ")}`.slice(0, 100),
    severity: "high",
    action: f.action,
  }));
  if (stream.budgetExhausted)
    found.push({
      id: "dlp-budget-exhausted",
      category: "dlp",
      location: "body",
      evidence: "pattern budget exhausted; failing closed",
      severity: "high",
      action: "block",
    });
  return found;
}

/**
 * Creates a streaming DLP/malware scanner for a request or response body. Memory stays bounded:
 * DLP keeps only an overlap window (DLP_WINDOW bytes); malware hashing keeps the body up to
 * `maxHashBytes` and skips hashing beyond it (EICAR and DLP still run on every chunk).
 */
export function createBodyScanner(
  compiled: CompiledProfiles,
  direction: "request" | "response",
): BodyScanner {
  const stream = new DlpStream(compiled.dlp[direction]);
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  const limit = compiled.malware?.maxHashBytes ?? 0;
  const verdict = (output: Uint8Array, extra: Detection[] = []) => {
    const detections = [...toDetections(stream), ...extra];
    return { output, detections, block: detections.some((d) => d.action === "block") };
  };
  return {
    push(chunk) {
      if (compiled.malware && heldBytes + chunk.length <= limit) {
        held.push(chunk.slice());
        heldBytes += chunk.length;
      } else heldBytes = Number.POSITIVE_INFINITY;
      return verdict(stream.push(chunk));
    },
    async finish() {
      const output = stream.push(new Uint8Array(0), true);
      const malware =
        compiled.malware && heldBytes !== Number.POSITIVE_INFINITY
          ? await scanForMalware(concatBytes(held), "body", compiled.malware)
          : [];
      return verdict(output, malware);
    },
  };
}
