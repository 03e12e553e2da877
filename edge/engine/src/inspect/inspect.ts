import type { CompiledProfiles } from "./compile.ts";
import { DlpStream } from "./dlp/scanner.ts";
import { buildRequestModel } from "./fields.ts";
import { IPS_BODY_REACH, runIps } from "./ips.ts";
import { EICAR } from "./malware/index.ts";
import { latin1 } from "./raw-http.ts";
import type { Detection, InspectRequest, InspectResponse } from "./types.ts";
import { runWaf } from "./waf/index.ts";

/** The verdict on one request. */
export interface InspectionResult {
  action: "allow" | "block" | "monitor";
  score: number;
  detections: Detection[];
}

/** Extra inputs: framing detections from {@link parseRawRequest}, and a response for IPS. */
export interface InspectOptions {
  framing?: Detection[];
  response?: InspectResponse;
}

function dlpDetections(compiled: CompiledProfiles, body: string | undefined): Detection[] {
  if (body === undefined) return [];
  const stream = new DlpStream(compiled.dlp.request);
  stream.scanWhole(body);
  return stream.findings().map((f) => ({
    id: `dlp-${f.detector}`,
    category: "dlp",
    location: "body",
    evidence: `${f.count}× ${f.evidence.join(", ")}`.slice(0, 100),
    severity: "high",
    action: f.action,
  }));
}

function eicar(compiled: CompiledProfiles, head: () => string): Detection[] {
  if (!compiled.malware || !head().includes(EICAR)) return [];
  return [
    {
      id: "malware-eicar",
      category: "malware",
      location: "body",
      evidence: "EICAR test file",
      severity: "critical",
      action: "block",
    },
  ];
}

/**
 * The body parser's text when it is also the Latin-1 reading of the bytes: one char per byte
 * means every byte was ASCII (UTF-8 spends two or more bytes on anything else, and drops a
 * BOM), or the parser itself read Latin-1. Saves decoding a large body a second time.
 */
function latin1View(text: string, bytes: Uint8Array): string | undefined {
  return text.length === bytes.length ? text : undefined;
}

/**
 * Inspects one request synchronously with the compiled profiles: WAF anomaly scoring, IPS
 * signatures, request-direction DLP and the EICAR check. Hashes and archives need the
 * asynchronous {@link createBodyScanner}. Framing problems block regardless of the score.
 */
export function inspectRequest(
  compiled: CompiledProfiles,
  request: InspectRequest,
  options: InspectOptions = {},
): InspectionResult {
  const model = buildRequestModel(request);
  const framing = options.framing ?? [];
  const waf = compiled.waf
    ? runWaf(model, compiled.waf)
    : { score: 0, blocked: false, detections: [] };
  // DLP (the whole body), the IPS and the EICAR check (its first MiB) read the same Latin-1
  // view of the body: decode it once, and only as far as some reader needs.
  const hasBody = request.body.length > 0;
  const whole = latin1View(model.body.text, request.body);
  const body =
    hasBody && compiled.dlp.request.length > 0 ? (whole ?? latin1(request.body)) : undefined;
  let headText: string | undefined;
  const head = () => {
    const known = body ?? whole;
    headText ??=
      known !== undefined
        ? known.slice(0, IPS_BODY_REACH)
        : latin1(request.body.subarray(0, IPS_BODY_REACH));
    return headText;
  };
  const others = [
    ...(compiled.ips ? runIps(compiled.ips, request, options.response, hasBody ? head() : "") : []),
    ...dlpDetections(compiled, body),
    ...(hasBody ? eicar(compiled, head) : []),
  ];
  const detections = [...framing, ...waf.detections, ...others];
  const hardBlock = framing.length > 0 || others.some((d) => d.action === "block");
  const monitor = compiled.waf?.monitor ?? false;
  const wantsBlock =
    waf.score >= (compiled.waf?.threshold ?? Number.POSITIVE_INFINITY) || hardBlock;
  const action = wantsBlock ? (monitor && framing.length === 0 ? "monitor" : "block") : "allow";
  return { action, score: waf.score, detections };
}
