import type { Detection as EventDetection } from "@ringfence/engine/documents";
import {
  type CompiledProfiles,
  compileProfiles,
  type Detection,
  type InspectionProfileInput,
} from "@ringfence/engine/inspect";

/**
 * Compiled inspection profiles per rule. A bundle's `profiles` are compiled lazily, once per
 * distinct set of profile ids a rule names, and kept with the policy handle they came from.
 */
export class ProfileCache {
  private readonly compiled = new Map<string, CompiledProfiles>();
  private readonly byId: Map<string, InspectionProfileInput>;

  constructor(profiles: readonly unknown[]) {
    this.byId = new Map(
      profiles.map((profile) => {
        const input = profile as InspectionProfileInput;
        return [String((profile as { id: unknown }).id), input];
      }),
    );
  }

  /** The compiled profiles for a rule; undefined when the rule names none. */
  for(ids: readonly string[]): CompiledProfiles | undefined {
    if (ids.length === 0) return undefined;
    const key = ids.join("\u0000");
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const inputs = ids.map((id) => {
      const profile = this.byId.get(id);
      if (!profile) throw new Error(`rule names unknown inspection profile ${id}`);
      return profile;
    });
    const compiled = compileProfiles(inputs);
    this.compiled.set(key, compiled);
    return compiled;
  }
}

/** Maps an inspection detection to the event schema's vocabulary. */
export function toEventDetection(detection: Detection): EventDetection {
  const action =
    detection.action === "block" ? "deny" : detection.action === "log" ? "monitor" : "allow";
  return {
    id: detection.id,
    category: String(detection.category),
    location: detection.location,
    evidence: detection.evidence.slice(0, 4096),
    severity: detection.severity,
    action,
  };
}
