import type { Field, RequestModel } from "../fields.ts";
import { ARGS, patternRule, type WafRule } from "./rule.ts";

/*
 * Argument names that carry a session identifier. Frameworks name their session cookie in many
 * ways (php and java session ids, signed Flask/Koa/Rails/Play sessions, NextAuth tokens), so
 * the test is a few shapes rather than a list of products: anything with "sess" in it, a name
 * ending in "sid", a login or app token, and a handful of historic names with neither.
 */
const SESSION_NAME_SHAPES = [
  /sess/i,
  /(?:^|[._:-]|cf|j)sid$/i,
  /(?:login|auth)[_-]?token$/i,
  /^(?:shiny-token|cakephp|cfid|cftoken)$/i,
];

function isSessionName(name: string): boolean {
  return SESSION_NAME_SHAPES.some((shape) => shape.test(name));
}

function headerValue(model: RequestModel, name: string): string | undefined {
  return model.headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

/** The host of a Referer, or undefined when it is not a URL. */
function refererHost(referer: string): string | undefined {
  try {
    return new URL(referer).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/*
 * Session fixation plants a session id in a link on another site. A session id argument is
 * therefore judged by where the request came from: no Referer, or one from a different host,
 * is the attack; a Referer from our own host is the application's own (legacy) URL rewriting.
 */
function sessionInArgs(_value: string, field: Field, model: RequestModel): string | undefined {
  if (field.kind !== "arg" && field.kind !== "body") return undefined;
  if (!isSessionName(field.name)) return undefined;
  const referer = headerValue(model, "referer");
  const host = headerValue(model, "host")?.trim().toLowerCase();
  if (referer === undefined || host === undefined) return field.name;
  return refererHost(referer) === host ? undefined : `${field.name} from ${referer}`;
}

export const sessionRules: WafRule[] = [
  patternRule(
    {
      id: "session-cookie-set",
      category: "session-fixation",
      paranoia: 1,
      severity: "critical",
      description: "script or meta markup that sets a cookie (session fixation)",
      kinds: ARGS,
      transforms: ["removeNulls", "htmlEntityDecode"],
    },
    new RegExp(
      [
        /\.cookie\b.*?;\s*(?:expires|domain|path)\s*=/.source,
        /\bhttp-equiv\s*=\s*["']?set-cookie/.source,
        /document\s*\.\s*cookie\s*=\s*["']?\w*sess/.source,
      ].join("|"),
      "i",
    ),
  ),
  {
    id: "session-id-in-args",
    category: "session-fixation",
    paranoia: 1,
    severity: "critical",
    description: "a session identifier passed as an argument from another site or none",
    kinds: ["arg", "body"],
    transforms: [],
    match: sessionInArgs,
  },
];
