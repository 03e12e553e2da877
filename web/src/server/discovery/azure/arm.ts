import type { OutboundFetch } from "../types.ts";

/** An ARM resource as list calls return it. */
export interface ArmResource {
  id: string;
  name: string;
  location: string;
  type?: string;
  kind?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
}

/** An ARM error answer, kept with its status so the sync can name the fix. */
export class ArmError extends Error {
  override readonly name = "ArmError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_THROTTLED_RETRIES = 5;
const MAX_PAGES = 10_000;

/**
 * Lists every resource of one type in a subscription, following `nextLink`. A nextLink on any
 * origin but ARM's is refused: following it would send the bearer token to another host.
 */
export async function listArm(
  fetch: OutboundFetch,
  armEndpoint: string,
  token: string,
  path: string,
): Promise<ArmResource[]> {
  const origin = new URL(armEndpoint).origin;
  const out: ArmResource[] = [];
  let next: string | undefined = `${origin}${path}`;
  for (let pages = 0; next && pages < MAX_PAGES; pages++) {
    if (new URL(next).origin !== origin) {
      throw new ArmError(502, "ForeignNextLink", `ARM returned a nextLink outside ${origin}`);
    }
    const body = await getWithRetry(fetch, next, token);
    out.push(...(Array.isArray(body.value) ? (body.value as ArmResource[]) : []));
    next = typeof body.nextLink === "string" ? body.nextLink : undefined;
  }
  return out;
}

async function getWithRetry(fetch: OutboundFetch, url: string, token: string) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return body;
    if (response.status === 429 && attempt < MAX_THROTTLED_RETRIES) {
      await sleep(retryDelay(response.headers.get("retry-after"), attempt));
      continue;
    }
    const error = (body.error ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof error.code === "string" ? error.code : `HTTP ${response.status}`;
    const message = typeof error.message === "string" ? error.message : response.statusText;
    throw new ArmError(response.status, code, message);
  }
}

/** Honours Retry-After (seconds) up to 30 s, else backs off exponentially from 200 ms. */
function retryDelay(header: string | null, attempt: number): number {
  const seconds = header === null ? Number.NaN : Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 30) * 1000;
  return 200 * 2 ** attempt;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
