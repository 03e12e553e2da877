import { ControlPlaneError } from "./errors.ts";

/** How retryable failures of an idempotent request are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included (5). */
  maxAttempts: number;
  /** First backoff when the control plane gave no Retry-After, doubled each time (250 ms). */
  baseDelayMs: number;
  /**
   * The longest single wait (30 s). When Retry-After asks for longer, the client gives up at
   * once rather than come back early, and the caller spools.
   */
  maxDelayMs: number;
  /** Waits; injectable so tests and runtimes control the clock. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULTS: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  sleep: sleepFor,
};

/** Waits `ms` milliseconds, or rejects as soon as the signal aborts. */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy runs out.
 * The delay before each retry is the server's Retry-After when given, else exponential backoff
 * with full jitter so many enforcers recovering together do not arrive in step.
 */
export async function withRetries<T>(
  overrides: Partial<RetryPolicy>,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  const policy = { ...DEFAULTS, ...overrides };
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = retryDelay(error, number, policy);
      if (delay === undefined || signal?.aborted) {
        throw error;
      }
      await policy.sleep(delay, signal);
    }
  }
}

function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | undefined {
  if (!(error instanceof ControlPlaneError) || !error.retryable) {
    return undefined;
  }
  if (attempt >= policy.maxAttempts) {
    return undefined;
  }
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxDelayMs ? error.retryAfterMs : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}
