import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");
const positiveInt = z.coerce.number().int().positive();

/**
 * The control plane's settings, read from the environment once at startup. Nothing here points at
 * another host by default: without `DATABASE_URL` the database is PGlite on local disk.
 */
const ConfigSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  RINGFENCE_DATA_DIR: z.string().min(1).default(".ringfence/pgdata"),
  /** The origin browsers use, e.g. `https://console.example.com`; decides `Secure` and CSRF. */
  RINGFENCE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  RINGFENCE_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  /** A session's absolute lifetime, however active it is. */
  RINGFENCE_SESSION_TTL_HOURS: positiveInt.default(12),
  /** A session unused for this long ends. */
  RINGFENCE_SESSION_IDLE_MINUTES: positiveInt.default(60),
  /** Trust the last `X-Forwarded-For` hop as the client address (behind our own proxy only). */
  RINGFENCE_TRUST_PROXY: flag.default(false),
  RINGFENCE_LOGIN_MAX_PER_ACCOUNT: positiveInt.default(10),
  RINGFENCE_LOGIN_MAX_PER_SOURCE: positiveInt.default(100),
  RINGFENCE_LOGIN_WINDOW_SECONDS: positiveInt.default(15 * 60),
  /** How long a password or second-factor proof lets a session take sensitive actions. */
  RINGFENCE_STEP_UP_MINUTES: positiveInt.default(10),
  /** Second-factor attempts per user per login window, before 429. */
  RINGFENCE_MFA_MAX_ATTEMPTS: positiveInt.default(5),
  RINGFENCE_LOG: z.enum(["json", "silent"]).default("json"),
});

/** Settings after parsing, with names a service reads naturally. */
export interface ServerConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: URL | undefined;
  bodyLimitBytes: number;
  sessionTtlSeconds: number;
  sessionIdleSeconds: number;
  trustProxy: boolean;
  login: { maxPerAccount: number; maxPerSource: number; windowSeconds: number };
  mfa: { stepUpSeconds: number; maxAttempts: number };
  log: "json" | "silent";
}

/** Raised when the environment is wrong; the message names every bad setting. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses `env` (default `process.env`); throws `ConfigError` naming each invalid setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // Empty strings count as unset, which is how shells and .env files usually express "no value".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }

  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    dataDir: c.RINGFENCE_DATA_DIR,
    publicUrl: c.RINGFENCE_PUBLIC_URL ? new URL(c.RINGFENCE_PUBLIC_URL) : undefined,
    bodyLimitBytes: c.RINGFENCE_BODY_LIMIT_BYTES,
    sessionTtlSeconds: c.RINGFENCE_SESSION_TTL_HOURS * 3600,
    sessionIdleSeconds: c.RINGFENCE_SESSION_IDLE_MINUTES * 60,
    trustProxy: c.RINGFENCE_TRUST_PROXY,
    login: {
      maxPerAccount: c.RINGFENCE_LOGIN_MAX_PER_ACCOUNT,
      maxPerSource: c.RINGFENCE_LOGIN_MAX_PER_SOURCE,
      windowSeconds: c.RINGFENCE_LOGIN_WINDOW_SECONDS,
    },
    mfa: {
      stepUpSeconds: c.RINGFENCE_STEP_UP_MINUTES * 60,
      maxAttempts: c.RINGFENCE_MFA_MAX_ATTEMPTS,
    },
    log: c.RINGFENCE_LOG,
  };
}
