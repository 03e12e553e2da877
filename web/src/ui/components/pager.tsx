"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Page, query } from "../api.ts";
import { Button } from "./controls.tsx";

/**
 * One page of a cursor-paged list route (docs/api.md, Pagination), newest first. The cursors of
 * the pages already seen are kept, so "Newer" goes back without the API having to page backwards;
 * changing `key` (a filter) starts again at the first page.
 */
export function useCursorPages<T>(options: {
  key: readonly unknown[];
  path: string;
  params?: Record<string, string | undefined>;
  limit: number;
  refetchInterval?: number;
}) {
  const [trail, setTrail] = useState<{ key: string; cursors: string[] }>({ key: "", cursors: [] });
  const keyText = JSON.stringify(options.key);
  const cursors = trail.key === keyText ? trail.cursors : [];
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: [...options.key, "page", cursor ?? null],
    queryFn: () =>
      api<Page<T>>(`${options.path}${query({ ...options.params, limit: options.limit, cursor })}`),
    placeholderData: keepPreviousData,
    ...(options.refetchInterval && !cursor ? { refetchInterval: options.refetchInterval } : {}),
  });
  const next = page.data?.nextCursor;
  // While the next page loads, the previous one stays on screen (placeholder data): the pager
  // says so and its buttons wait, so a second click cannot skip a page unseen.
  const busy = page.isPlaceholderData;
  return {
    page,
    /** 1 for the newest page. */
    number: cursors.length + 1,
    busy,
    older:
      next && !busy ? () => setTrail({ key: keyText, cursors: [...cursors, next] }) : undefined,
    newer:
      cursors.length && !busy
        ? () => setTrail({ key: keyText, cursors: cursors.slice(0, -1) })
        : undefined,
  };
}

/** "Newer" and "Older" under a paged table, with the page's number between them. */
export function Pager({
  label,
  pages,
}: {
  label: string;
  pages: {
    number: number;
    busy: boolean;
    older: (() => void) | undefined;
    newer: (() => void) | undefined;
  };
}) {
  if (!pages.older && !pages.newer && !pages.busy) return null;
  return (
    <nav aria-label={label} aria-busy={pages.busy} className="flex items-center gap-3 text-sm">
      <Button tone="secondary" onClick={pages.newer} disabled={!pages.newer}>
        Newer
      </Button>
      <span data-testid={`${label.toLowerCase().replace(/\W+/g, "-")}-page`}>
        Page {pages.number}
      </span>
      <Button tone="secondary" onClick={pages.older} disabled={!pages.older}>
        Older
      </Button>
    </nav>
  );
}
