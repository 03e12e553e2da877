import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/**
 * Every write carries `application/json`. Requiring it also keeps HTML forms out: a form can post
 * text/plain or urlencoded bodies cross-site without a preflight, but never JSON. The body is
 * parsed here once (Hono caches it for the validators), so malformed JSON has one answer.
 */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!WITH_BODY.has(c.req.method)) return next();

  if (!isJson(c.req.header("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.", {
      fields: [{ location: "header", path: "content-type", message: "Must be application/json" }],
    });
  }
  try {
    await c.req.json();
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError("malformed_json", "The request body could not be parsed as JSON.", {
      fields: [{ location: "body", path: "", message: "Malformed JSON" }],
      cause,
    });
  }
  await next();
};
