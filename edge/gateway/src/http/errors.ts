/**
 * A request the gateway refuses to interpret. Every framing problem becomes one of these so the
 * connection handler can answer with the status, close the connection and forward nothing.
 */
export class FramingError extends Error {
  /** Machine-readable reason, used in events and metrics (for example `cl-and-te`). */
  readonly code: string;
  /** Status sent to the client before the connection is closed. */
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = "FramingError";
    this.code = code;
    this.status = status;
  }
}
