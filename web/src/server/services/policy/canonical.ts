import { type DocumentIssue, type Policy, parsePolicy } from "@ringfence/engine/documents";
import {
  BUILTIN_SIGNATURES,
  compileProfiles,
  type InspectionProfile,
  inspectionProfileSchema,
  ProfileError,
} from "@ringfence/engine/inspect";
import { stringify } from "yaml";
import { AppError, type InvalidField } from "../../errors.ts";

/** The draft a new organisation starts from: nothing allowed, one empty rule set. */
export const EMPTY_POLICY: Policy = {
  schemaVersion: 1,
  objects: [],
  services: [],
  ruleSets: [{ id: "default", name: "Default", defaultAction: "deny", rules: [] }],
  profiles: [],
};

/** Turns engine document issues into the API's invalid fields, keeping the JSON paths. */
export function fieldsOf(issues: readonly DocumentIssue[], prefix = "$"): InvalidField[] {
  return issues.map((issue) => ({
    location: "body",
    path: prefix === "$" ? issue.path : issue.path.replace(/^\$/, prefix),
    message: issue.message,
  }));
}

/**
 * Validates a profile with the inspection engine's own schema and compiles it, so a customer
 * regex outside the linear-time subset is refused at save with the construct named.
 */
function normaliseProfile(profile: unknown, path: string): Record<string, unknown> {
  const parsed = inspectionProfileSchema.safeParse(profile);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      location: "body",
      path: [path, ...issue.path.map(String)].join("."),
      message: issue.message,
    }));
    throw new AppError("invalid_request", `Invalid profile at ${path}.`, {
      fields,
      cause: parsed.error,
    });
  }
  const unknown = unknownSuppressions(parsed.data, path);
  if (unknown.length > 0) {
    const names = unknown.map((field) => field.message).join("; ");
    throw new AppError("invalid_request", `Invalid profile at ${path}: ${names}.`, {
      fields: unknown,
    });
  }
  try {
    compileProfiles([parsed.data]);
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    const fields = [{ location: "body", path, message: error.message }];
    throw new AppError("invalid_request", error.message, { fields, cause: error });
  }
  return parsed.data;
}

const BUILTIN_SIGNATURE_IDS = new Set(BUILTIN_SIGNATURES.map((s) => s.id));

/**
 * An IPS suppression naming no signature would silence nothing, which usually means a typo that
 * leaves the noisy signature firing; each one is refused with the id it named.
 */
function unknownSuppressions(profile: InspectionProfile, path: string): InvalidField[] {
  if (profile.kind !== "ips") return [];
  const own = new Set(profile.signatures.map((s) => s.id));
  return profile.suppressions.flatMap((suppression, i) =>
    BUILTIN_SIGNATURE_IDS.has(suppression.signature) || own.has(suppression.signature)
      ? []
      : [
          {
            location: "body",
            path: `${path}.suppressions.${i}.signature`,
            message: `no signature has the id "${suppression.signature}"`,
          },
        ],
  );
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The canonical form of a policy: validated, defaults filled in, profiles normalised by the
 * inspection schema, and lists whose order means nothing (objects, services, profiles) sorted by
 * id. Rule sets and rules keep their order, which is evaluation order.
 */
export function canonicalPolicy(input: unknown): Policy {
  const policy = parsePolicy(input);
  const profiles = policy.profiles.map((profile, i) => {
    const normalised = normaliseProfile(profile, `$.profiles[${i}]`);
    return normalised as Policy["profiles"][number];
  });
  return {
    schemaVersion: 1,
    objects: [...policy.objects].sort(byId),
    services: [...policy.services].sort(byId),
    ruleSets: policy.ruleSets,
    profiles: profiles.sort(byId),
  };
}

/** A deep copy with object keys sorted, so JSON and YAML renderings are deterministic. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/** The canonical JSON text of a policy; two policies are equal when these are equal. */
export function policyKey(policy: Policy): string {
  return JSON.stringify(sortKeys(policy));
}

/** The canonical YAML export: sorted keys, block style, no anchors, a trailing newline. */
export function policyYaml(policy: Policy): string {
  return stringify(sortKeys(canonicalPolicy(policy)), {
    aliasDuplicateObjects: false,
    lineWidth: 0,
    sortMapEntries: true,
  });
}
