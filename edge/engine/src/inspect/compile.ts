import { BUILTIN_DETECTORS } from "./dlp/builtin.ts";
import type { DlpRule } from "./dlp/scanner.ts";
import { type CompiledIps, compileIps, signatureSchema } from "./ips.ts";
import { BUILTIN_SIGNATURES } from "./ips-signatures.ts";
import { DEFAULT_MALWARE, type MalwareSettings } from "./malware/index.ts";
import { compileCustomPattern, PatternError } from "./patterns.ts";
import { type InspectionProfileInput, inspectionProfilesSchema } from "./profile.ts";
import type { WafSettings } from "./waf/index.ts";

/** Profiles validated and compiled once, then shared by every request. */
export interface CompiledProfiles {
  waf: WafSettings | undefined;
  ips: CompiledIps | undefined;
  dlp: { request: DlpRule[]; response: DlpRule[] };
  malware: MalwareSettings | undefined;
}

/** A profile that cannot be compiled; the message names the profile and the problem. */
export class ProfileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProfileError";
  }
}

function dlpRules(
  profileId: string,
  detectors: {
    detector: string;
    pattern?: string | undefined;
    caseInsensitive: boolean;
    action: "log" | "block" | "redact";
    threshold: number;
  }[],
): DlpRule[] {
  return detectors.map((d) => {
    if (d.pattern === undefined) {
      if (!(BUILTIN_DETECTORS as readonly string[]).includes(d.detector))
        throw new ProfileError(`profile ${profileId}: unknown built-in detector "${d.detector}"`);
      return { detector: d.detector, action: d.action, threshold: d.threshold };
    }
    try {
      return {
        detector: d.detector,
        action: d.action,
        threshold: d.threshold,
        custom: compileCustomPattern(d.pattern, d.caseInsensitive),
      };
    } catch (error) {
      const detail = error instanceof PatternError ? error.message : String(error);
      throw new ProfileError(`profile ${profileId}, detector ${d.detector}: ${detail}`, {
        cause: error,
      });
    }
  });
}

/**
 * Validates profiles (zod) and compiles them: customer regexes are checked for linear-time
 * constructs here, at save time, so a bad pattern never reaches traffic.
 */
export function compileProfiles(input: readonly InspectionProfileInput[]): CompiledProfiles {
  const parsed = inspectionProfilesSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProfileError(
      `invalid profile at ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`,
      { cause: parsed.error },
    );
  }
  const compiled: CompiledProfiles = {
    waf: undefined,
    ips: undefined,
    dlp: { request: [], response: [] },
    malware: undefined,
  };
  for (const p of parsed.data) {
    if (p.kind === "waf") {
      compiled.waf = {
        paranoia: p.paranoia,
        threshold: p.threshold,
        monitor: p.mode === "monitor",
        exclusions: p.exclusions,
        disabledRules: new Set(p.disabledRules),
      };
    } else if (p.kind === "ips") {
      const builtin = p.builtin ? BUILTIN_SIGNATURES.map((s) => signatureSchema.parse(s)) : [];
      try {
        compiled.ips = compileIps([...builtin, ...p.signatures], p.suppressions);
      } catch (error) {
        throw new ProfileError(
          `profile ${p.id}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    } else if (p.kind === "dlp") {
      const rules = dlpRules(p.id, p.detectors);
      for (const direction of p.directions) compiled.dlp[direction].push(...rules);
    } else {
      compiled.malware = {
        ...DEFAULT_MALWARE,
        sha256Blocklist: new Set(p.sha256Blocklist.map((h) => h.toLowerCase())),
        zip: { maxEntries: p.maxEntries, maxEntrySize: p.maxEntrySize, maxRatio: p.maxRatio },
      };
    }
  }
  return compiled;
}
