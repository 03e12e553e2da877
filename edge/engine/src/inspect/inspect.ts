import type { CompiledProfiles } from "./compile.ts";
import { DlpStream } from "./dlp/scanner.ts";
import { buildRequestModel } from "./fields.ts";
import { runIps } from "./ips.ts";
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

function dlpDetections(compiled: CompiledProfiles, body: () => string): Detection[] {
  if (compiled.dlp.request.length === 0) return [];
  const stream = new DlpStream(compiled.dlp.request);
  stream.scanWhole(body());
  return stream.findings().map((f) => ({
    id: `dlp-${f.detector}`,
    category: "dlp",
    location: "body",
    evidence: `${f.count}× ${f.evidence.join(", ")}`.slice(0, 100),
    severity: "high",
    action: f.action,
  }));
}

/** EICAR lies at the start of a file; the first MiB is searched. */
const EICAR_REACH = 1 << 20;

function eicar(compiled: CompiledProfiles, body: () => string): Detection[] {
  if (!compiled.malware || !body().slice(0, EICAR_REACH).includes(EICAR)) return [];
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
  // DLP and the EICAR check read the same Latin-1 view of the body; decode it once, if at all.
  let text: string | undefined;
  const body = () => {
    text ??= latin1(request.body);
    return text;
  };
  const hasBody = request.body.length > 0;
  const others = [
    ...(compiled.ips ? runIps(compiled.ips, request, options.response) : []),
    ...(hasBody ? dlpDetections(compiled, body) : []),
    ...(hasBody ? eicar(compiled, body) : []),
  ];
  const detections = [...framing, ...waf.detections, ...others];
  const hardBlock = framing.length > 0 || others.some((d) => d.action === "block");
  const monitor = compiled.waf?.monitor ?? false;
  const wantsBlock =
    waf.score >= (compiled.waf?.threshold ?? Number.POSITIVE_INFINITY) || hardBlock;
  const action = wantsBlock ? (monitor && framing.length === 0 ? "monitor" : "block") : "allow";
  return { action, score: waf.score, detections };
}
