"use client";

import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { api, type Page, query } from "./api.ts";
import type { InventoryItem, Me } from "./types.ts";

/** The organisation id of the current `/orgs/[orgId]/…` page. */
export function useOrgId(): string {
  const params = useParams<{ orgId?: string }>();
  return params.orgId ?? "";
}

/** The signed-in user and their organisations; a 401 error means "not signed in". */
export function useMe() {
  return useQuery({ queryKey: ["me"], queryFn: () => api<Me>("/me"), retry: false });
}

/** Fetches the first page of an organisation's list route. */
export function useOrgList<T>(
  path: string,
  params: Record<string, string | undefined> = {},
  enabled = true,
) {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ["org", orgId, path, params],
    queryFn: () => api<Page<T>>(`/orgs/${orgId}/${path}${query({ limit: 200, ...params })}`),
    enabled: enabled && orgId !== "",
  });
}

/**
 * Reads every page of a list route up to `max` items, for views that filter or search on the
 * client because the API has no such filter yet.
 */
export async function readAll<T>(path: string, max = 2000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<T>>(
      `${path}${path.includes("?") ? "&" : "?"}${query({ limit: 200, cursor }).slice(1)}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}

/** A fresh idempotency key for one creating request, so a double submit creates one object. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** The organisation's whole inventory (up to the explorer's cap), loaded once for filtering. */
export function useInventory() {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ["org", orgId, "inventory", "all"],
    queryFn: () => readAll<InventoryItem>(`/orgs/${orgId}/inventory`),
    enabled: orgId !== "",
  });
}

/**
 * The API paths this deployment serves, from its OpenAPI document. Parts of the API land
 * independently, so sections whose routes are absent are hidden rather than shown broken.
 */
export function useApiPaths() {
  return useQuery({
    queryKey: ["openapi-paths"],
    queryFn: async () => {
      const response = await fetch("/api/openapi.json", { credentials: "same-origin" });
      if (!response.ok) return new Set<string>();
      const document = (await response.json()) as { paths?: Record<string, unknown> };
      return new Set(Object.keys(document.paths ?? {}));
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Whether the API serves `path` (an OpenAPI template such as `/api/v1/orgs/{orgId}/objects`);
 * undefined until the document has loaded, so callers do not claim a route is missing early.
 */
export function useHasApi(path: string): boolean | undefined {
  return useApiPaths().data?.has(path);
}
