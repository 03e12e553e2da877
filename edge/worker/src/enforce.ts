import {
  type CompiledProfiles,
  compileProfiles,
  type InspectionProfileInput,
} from "@ringfence/engine/inspect";
import {
  buildIndex,
  type Decision,
  decide,
  type Flow,
  type PolicyIndex,
  parseResolvedPolicy,
} from "@ringfence/engine/policy";

export type { Decision, Flow };

/**
 * A verified bundle's policy, compiled once per bundle version: the rule index, and inspection
 * profiles compiled lazily per combination of profile ids a rule names (a bundle has few).
 */
export interface CompiledPolicy {
  decide(flow: Flow): Decision;
  /** The compiled profiles for a decision's profile ids; undefined when it names none. */
  profiles(ids: readonly string[]): CompiledProfiles | undefined;
}

/**
 * Compiles the policy a verified bundle carries. Throws the engine's DocumentError or
 * ProfileError when the policy is malformed, so the bundle is refused rather than half-enforced.
 */
export function compilePolicy(policy: unknown): CompiledPolicy {
  const index: PolicyIndex = buildIndex(parseResolvedPolicy(policy));
  const byId = new Map(
    index.policy.profiles.map((profile) => [profile.id, profile as InspectionProfileInput]),
  );
  const compiled = new Map<string, CompiledProfiles>();

  // Every profile is compiled once up front, so a bad customer pattern refuses the bundle here
  // instead of failing a request later.
  compileProfiles([...byId.values()]);

  return {
    decide: (flow) => decide(index, flow),
    profiles(ids) {
      if (ids.length === 0) return undefined;
      const key = ids.join("\n");
      let profiles = compiled.get(key);
      if (profiles === undefined) {
        const inputs = ids.flatMap((id) => byId.get(id) ?? []);
        profiles = compileProfiles(inputs);
        compiled.set(key, profiles);
      }
      return profiles;
    },
  };
}

/**
 * The flow of an inbound request: client from CF-Connecting-IP, destination from the Host.
 * `url` is the request's URL when the caller has already parsed it.
 */
export function flowOf(request: Request, clientIp: string, url = new URL(request.url)): Flow {
  // The policy speaks of the public service (443 or 80), not the port a local run listens on.
  return {
    srcIp: clientIp,
    dstHost: url.hostname.toLowerCase(),
    dstPort: url.protocol === "https:" ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    method: request.method,
  };
}
