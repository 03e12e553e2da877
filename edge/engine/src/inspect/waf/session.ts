import { ARGS, patternRule, type WafRule } from "./rule.ts";

const SESSION_NAMES =
  /^(?:jsessionid|phpsessid|aspsessionid\w*|asp\.net_sessionid|sessionid|session_id|sid|cfid|cftoken|connect\.sid|laravel_session|ci_session|_session_id|rack\.session)$/i;

function sessionInArgs(_value: string, field: { name: string; kind: string }): string | undefined {
  return field.kind === "arg" || field.kind === "body"
    ? SESSION_NAMES.test(field.name)
      ? field.name
      : undefined
    : undefined;
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
    /\.cookie\b.*?;\s*(?:expires|domain|path)\s*=|\bhttp-equiv\s*=\s*["']?set-cookie|document\s*\.\s*cookie\s*=\s*["']?\w*sess/i,
  ),
  {
    id: "session-id-in-args",
    category: "session-fixation",
    paranoia: 1,
    severity: "critical",
    description: "a session identifier passed as a request argument",
    kinds: ["arg", "body"],
    transforms: [],
    match: sessionInArgs,
  },
];
