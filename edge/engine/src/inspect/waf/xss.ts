import { ARGS_HEADERS, firstMatch, patternRule, type WafRule } from "./rule.ts";

const DANGEROUS_TAGS =
  "script|iframe|frame|frameset|object|embed|applet|svg|math|base|link|meta|style|form|isindex|marquee|xml|xss|vmlframe|import|template|portal|animate|set|handler|listener|bgsound|layer|ilayer|body|html|img|image|video|audio|source|input|button|details|select|textarea|keygen|a|div|table|td|x";
const TAG = new RegExp(`<\\s*/?\\s*(?:[a-z]+:)?(${DANGEROUS_TAGS})\\b[^>]*`, "i");
const HANDLER = /(?:^|[\s"'/;>])on[a-z]{3,30}\s*=/i;
const URL_SCHEME =
  /(?:java|vb|live|mocha)\s*script\s*:|data\s*:\s*(?:text\/html|image\/svg|application\/(?:x-)?(?:javascript|ecmascript))/i;
const STYLE_EXEC = /expression\s*\(|-moz-binding|behavior\s*:|@import\b/i;
const JS_SINKS =
  /\b(?:document\s*\.\s*(?:cookie|domain|write|location)|window\s*\.\s*(?:location|open|name)|\b(?:alert|prompt|confirm|eval)\s*(?:\(|`)|string\s*\.\s*fromcharcode|\.\s*(?:innerhtml|outerhtml)\s*=|\[\s*\]\s*\.\s*\w+\s*\.\s*(?:call|apply|constructor)|top\s*\[|self\s*\[|settimeout\s*\(|setinterval\s*\(|new\s+function\s*\()/i;

/*
 * A link to a web page is what chat messages and comments carry every day; script schemes are
 * judged apart (URL_SCHEME), so an anchor whose only URL is http(s) runs nothing.
 */
const WEB_LINK = /^<\s*a\s+href\s*=\s*(?:\\?x22|["'])?https?:\/\/[^\s"'<>]*["']?\s*$/i;

/** Every alternative of findMarkupXss needs one of these; removing tabs and escapes adds none. */
const MARKUP_TRIGGER = /[<:=(]/;

/** DOM sinks written around comments and brackets need one of these, which squeezing keeps. */
const OBFUSCATED_SINK_TRIGGER = /[.[`{=]/;

/**
 * Finds markup that would run script: a dangerous tag, an event handler attribute, a script
 * URL scheme, or script-running CSS. Each alone is a hit, because none occurs in plain prose.
 */
function findMarkupXss(value: string): string | undefined {
  if (!MARKUP_TRIGGER.test(value)) return undefined;
  const tag = firstMatch(TAG, value);
  if (
    tag &&
    (/^<\s*(script|iframe|frame|object|embed|applet|svg|math|base|link|meta|style|vmlframe|import|xss|portal|isindex)/i.test(
      tag,
    ) ||
      HANDLER.test(tag) ||
      (/\b(src|href|data|action|formaction|srcdoc|code|dynsrc|lowsrc|background|xlink:href)\s*=/i.test(
        tag,
      ) &&
        !WEB_LINK.test(tag)))
  )
    return tag.slice(0, 60);
  const xmlish = firstMatch(
    /<[\w:]+[^>]*\bxmlns(?::\w+)?\s*=|<!--\s*#\s*(?:set|echo|exec|include|config|printenv)\b|<!\[cdata\[[^\]]*<\s*script/i,
    value,
  );
  if (xmlish) return xmlish.slice(0, 60);
  const scheme = firstMatch(URL_SCHEME, value);
  if (scheme) return scheme;
  if (/<[a-z!?/]/i.test(value) && HANDLER.test(value)) return firstMatch(HANDLER, value);
  if (/["'`]\s*>?\s*/.test(value) && /["'`\s]on[a-z]{3,30}\s*=\s*["'`]?[\w.$]+\s*\(/i.test(value))
    return firstMatch(HANDLER, value);
  if (/<\s*\w+[^>]*style\s*=/i.test(value) || /<\s*style/i.test(value))
    return firstMatch(STYLE_EXEC, value);
  return undefined;
}

export const xssRules: WafRule[] = [
  {
    id: "xss-markup",
    category: "xss",
    paranoia: 1,
    severity: "critical",
    description: "script-running markup: dangerous tags, event handlers, script URL schemes",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls", "htmlEntityDecode", "nfkc"],
    match: (value) => findMarkupXss(value.replace(/[\t\n\r]/g, "").replace(/\\(?=[a-z])/gi, "")),
    trigger: MARKUP_TRIGGER,
  },
  {
    id: "xss-markup-headers",
    category: "xss",
    paranoia: 1,
    severity: "critical",
    description: "script-running markup in the Referer, User-Agent and the path",
    kinds: ["header", "path"],
    transforms: ["removeNulls", "htmlEntityDecode"],
    match: (value, field) => (field.name === "accept" ? undefined : findMarkupXss(value)),
    trigger: MARKUP_TRIGGER,
  },
  patternRule(
    {
      id: "xss-js-sink",
      category: "xss",
      paranoia: 1,
      severity: "critical",
      description: "JavaScript sinks and DOM properties (document.cookie, alert(), fromCharCode)",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls", "htmlEntityDecode"],
    },
    JS_SINKS,
  ),
  {
    id: "xss-js-sink-obfuscated",
    category: "xss",
    paranoia: 1,
    severity: "critical",
    description: "DOM sinks hidden by comments, brackets and template-literal calls",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls", "htmlEntityDecode"],
    trigger: OBFUSCATED_SINK_TRIGGER,
    match: (value) => {
      if (!OBFUSCATED_SINK_TRIGGER.test(value)) return undefined;
      const squeezed = value.replace(/\/\*.*?\*\//g, "").replace(/\s+/g, "");
      return firstMatch(
        /\(?document\)?(?:\.|\[["'`])(?:cookie|domain|write|location)|\[\]\.\w+\.(?:call|apply|bind)`|\b(?:alert|prompt|confirm|eval)`|\$\{(?:alert|prompt|confirm|eval)\}|\bwindow\[["'`]|\blocation(?:\.href)?=["'`]?javascript/i,
        squeezed,
      );
    },
  },
  patternRule(
    {
      id: "xss-utf7",
      category: "xss",
      paranoia: 1,
      severity: "critical",
      description: "UTF-7 encoded angle brackets, which old browsers decode into tags",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["urlDecode"],
    },
    /\+ad[w4]-/i,
  ),
  patternRule(
    {
      id: "xss-any-tag",
      category: "xss",
      paranoia: 2,
      severity: "medium",
      description: "any HTML tag opening in a value",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls", "htmlEntityDecode"],
    },
    /<[a-z][a-z0-9:-]*[\s/>]/i,
  ),
];
