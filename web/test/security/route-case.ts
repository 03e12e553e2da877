import type { Role } from "@ringfence/db";
import type { OrgObjects, World } from "../support/world.ts";

/**
 * One route as the shared security suite sees it. Every route of the API registers exactly one
 * case (the suite fails when a registered route has none), in `routes/<entity>.ts`.
 */
export interface RouteCase {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path template exactly as registered with createRoute, e.g. `/api/v1/orgs/{orgId}`. */
  path: string;
  /**
   * Who may call it: `anonymous` needs no credentials, `user` any signed-in person, a role the
   * members with at least that role (API keys act as editor or viewer, see permissions.ts).
   */
  access: "anonymous" | "user" | Role;
  /** A body the route would accept from an authorised caller (writes only). */
  body?: (world: World) => unknown;
  /**
   * Values for the path's placeholders, taken from one organisation's objects. Defaults to
   * `{ orgId }`. The suite fills them from organisation A (the caller's) and from B (a stranger's).
   */
  params?: (objects: OrgObjects) => Record<string, string>;
}

/** Fills `{name}` placeholders; an unknown placeholder is a mistake in the case. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return value;
  });
}
