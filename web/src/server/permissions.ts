import type { ApiKeyScope, Role } from "@ringfence/db";

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/**
 * What each role may do, as the least role that grants it. Viewers read; editors change
 * policy-type objects; admins manage members, keys and enforcers; owners everything. New
 * permissions are added here and nowhere else.
 */
export const PERMISSION_MINIMUM_ROLE = {
  read: "viewer",
  "policy:write": "editor",
  "members:manage": "admin",
  "keys:manage": "admin",
  "enforcers:manage": "admin",
  "audit:read": "admin",
  "org:manage": "owner",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSION_MINIMUM_ROLE;

export function roleAllows(role: Role, permission: Permission): boolean {
  return RANK[role] >= RANK[PERMISSION_MINIMUM_ROLE[permission]];
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/**
 * The role an API key acts with. Write keys act as editors, never admins, so a leaked key can
 * change policy but cannot mint more keys or add members.
 */
export function apiKeyRole(scope: ApiKeyScope): Role {
  return scope === "write" ? "editor" : "viewer";
}
