/**
 * Structured logging: JSON lines with a fixed `msg` and camelCase fields. The request middleware
 * writes one wide event per request; code elsewhere adds fields to it rather than logging again.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Writes each event as one JSON line to stdout (info) or stderr (error). */
export function jsonLogger(): Logger {
  const write = (level: string, stream: NodeJS.WriteStream, msg: string, fields?: LogFields) => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
  return {
    info: (msg, fields) => write("info", process.stdout, msg, fields),
    error: (msg, fields) => write("error", process.stderr, msg, fields),
  };
}

export const silentLogger: Logger = { info: () => {}, error: () => {} };

/** An error as loggable data, following the `cause` chain so the root reason is kept. */
export function describeError(error: unknown, depth = 0): LogFields {
  if (!(error instanceof Error)) return { value: String(error) };
  const described: LogFields = { name: error.name, message: error.message, stack: error.stack };
  if (error.cause !== undefined && depth < 5)
    described.cause = describeError(error.cause, depth + 1);
  return described;
}
