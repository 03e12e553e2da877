/**
 * Recognises PostgreSQL errors through drizzle's wrapping (drizzle puts the driver's error in
 * `cause`), the same way for PGlite and node-postgres.
 */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = current.cause;
  }
  return false;
}
