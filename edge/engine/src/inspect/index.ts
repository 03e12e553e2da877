/**
 * Runtime-neutral request and body inspection: WAF (SSRF through the lexical guard, injection
 * families, protocol anomalies) with anomaly scoring and paranoia levels, IPS signatures,
 * streaming DLP and malware checks. See docs/engine/inspection.md.
 */

export { AhoCorasick } from "./aho-corasick.ts";
export { type BodyScanner, createBodyScanner } from "./body-scanner.ts";
export { type CompiledProfiles, compileProfiles, ProfileError } from "./compile.ts";
export { scanBuiltins } from "./dlp/anchors.ts";
export { BUILTIN_DETECTORS, type BuiltinDetector } from "./dlp/builtin.ts";
export { DLP_WINDOW, type DlpFinding, DlpStream } from "./dlp/scanner.ts";
export { buildRequestModel, type Field, type RequestModel } from "./fields.ts";
export { type InspectionResult, type InspectOptions, inspectRequest } from "./inspect.ts";
export { type Signature, signatureSchema } from "./ips.ts";
export { EICAR, sha256Hex } from "./malware/index.ts";
export { type CustomPattern, compileCustomPattern, findAll, PatternError } from "./patterns.ts";
export {
  BUILTIN_SIGNATURES,
  defaultProfiles,
  type InspectionProfile,
  type InspectionProfileInput,
  inspectionProfileSchema,
  inspectionProfilesSchema,
} from "./profile.ts";
export { parseRawRequest, type RawParseResult } from "./raw-http.ts";
export { applyTransforms, normalizePath, type Transform } from "./transforms.ts";
export type {
  Category,
  Detection,
  DetectionAction,
  InspectRequest,
  InspectResponse,
  Severity,
} from "./types.ts";
export { LiteralGate } from "./waf/gate.ts";
export { type Paranoia, WAF_RULES, type WafRule } from "./waf/index.ts";
export { gateOf, type RuleGate, requiredLiterals } from "./waf/literals.ts";
