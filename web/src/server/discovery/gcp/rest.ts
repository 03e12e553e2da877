import type { OutboundFetch } from "../types.ts";

/** A Google API error answer, kept with the permission it names when it names one. */
export class GcpApiError extends Error {
  override readonly name = "GcpApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly permission?: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
const MAX_PAGES = 10_000;

/** GETs every page of a Google list call, following `nextPageToken`. */
export async function listPages(fetch: OutboundFetch, url: string, token: string): Promise<Json[]> {
  const pages: Json[] = [];
  let pageToken: string | undefined;
  for (let count = 0; count < MAX_PAGES; count++) {
    const next = new URL(url);
    if (pageToken) next.searchParams.set("pageToken", pageToken);
    const response = await fetch(next.toString(), {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json().catch(() => ({}))) as Json;
    if (!response.ok) throw apiError(response.status, body);
    pages.push(body);
    pageToken = typeof body.nextPageToken === "string" ? body.nextPageToken : undefined;
    if (!pageToken) break;
  }
  return pages;
}

function apiError(status: number, body: Json): GcpApiError {
  const error = (body.error ?? {}) as Json;
  const message = typeof error.message === "string" ? error.message : `HTTP ${status}`;
  const code = typeof error.status === "string" ? error.status : `HTTP ${status}`;
  const permission = /Required '([a-z.]+)' permission/i.exec(message)?.[1];
  return new GcpApiError(status, code, message, permission);
}

/** The items of plain list pages. */
export const listItems = (pages: Json[]): Json[] =>
  pages.flatMap((page) => (Array.isArray(page.items) ? (page.items as Json[]) : []));

/** The items of aggregated list pages (`items: { "zones/…": { instances: […] } }`). */
export function aggregatedItems(pages: Json[], field: string): Json[] {
  return pages.flatMap((page) =>
    Object.values((page.items ?? {}) as Record<string, Json>).flatMap((scoped) =>
      Array.isArray(scoped[field]) ? (scoped[field] as Json[]) : [],
    ),
  );
}
