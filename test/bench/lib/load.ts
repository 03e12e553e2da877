import { createRequire } from "node:module";

/** What one autocannon run reports that the benchmarks use. */
export interface LoadFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

// autocannon ships no type declarations; the shape it answers with is declared above.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface LoadOptions {
  /** Always a literal 127.0.0.1 URL of a server this benchmark started. */
  url: string;
  /** Request target on the wire; an absolute URL makes it a forward-proxy request. */
  path?: string;
  /** Headers sent with every request (a forward-proxy request needs a matching Host). */
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** A mix of requests sent in turn on each connection, instead of GET `path`. */
  requests?: { method: string; path: string; headers?: Record<string, string>; body?: string }[];
}

/** Closed-loop load without pipelining, bounded by `durationSeconds`. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  if (!options.url.startsWith("http://127.0.0.1:")) {
    throw new Error(`load target ${options.url} is not a loopback server of this benchmark`);
  }
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    pipelining: 1,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.path ? { requests: [{ method: "GET", path: options.path }] } : {}),
    ...(options.requests ? { requests: options.requests } : {}),
  });
  return {
    rps: result.requests.total / options.durationSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
