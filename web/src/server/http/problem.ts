import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../context.ts";
import { AppError, internalError, problemOf } from "../errors.ts";
import { describeError } from "../log.ts";

/** Errors Hono itself raises, in our vocabulary. */
function fromHttpException(error: HTTPException): AppError {
  if (error.status === 413) {
    return new AppError("payload_too_large", "The request body exceeds the size limit.", {
      cause: error,
    });
  }
  if (error.status === 415) {
    return new AppError("unsupported_media_type", "Send the body as application/json.", {
      cause: error,
    });
  }
  if (error.status === 400) {
    return new AppError("malformed_json", "The request body could not be parsed.", {
      cause: error,
    });
  }
  return internalError(error);
}

/**
 * The app's one error handler: every failure leaves as `application/problem+json`. The detail of
 * an unexpected error stays in the log (with its cause chain); the client gets the request id.
 */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  const appError =
    error instanceof AppError
      ? error
      : error instanceof HTTPException
        ? fromHttpException(error)
        : internalError(error);

  const fields = c.get("logFields");
  if (fields) {
    fields.errorCode = appError.code;
    if (appError.code === "internal") fields.error = describeError(error);
  }

  const requestId = c.get("requestId") ?? "unknown";
  return new Response(JSON.stringify(problemOf(appError, requestId)), {
    status: appError.status,
    headers: {
      ...appError.headers,
      "Content-Type": "application/problem+json",
      "X-Request-Id": requestId,
    },
  });
}

/** Unknown paths answer a problem document too. */
export function handleNotFound(c: Context<AppEnv>): Response {
  return handleError(new AppError("not_found", `No route ${c.req.method} ${c.req.path}.`), c);
}
