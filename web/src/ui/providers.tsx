"use client";

import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { ApiError } from "./api.ts";

function makeClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A 4xx will not change by asking again; only transient failures are retried.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
      },
    },
    // A change can affect several lists at once (the audit log, counts), so refetch what shows.
    // Session changes opt out: their own handlers clear the cache instead of refetching as
    // nobody, which would only answer 401.
    mutationCache: new MutationCache({
      onSuccess: (_data, _variables, _result, mutation) =>
        mutation.options.meta?.session ? undefined : client.invalidateQueries(),
    }),
  });
  return client;
}

/** The React Query client for the whole console, created once per browser tab. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
