import { base64Decode } from "../transforms.ts";
import { ARGS, ARGS_HEADERS, type WafRule } from "./rule.ts";

/** Removes JavaScript comments and all whitespace, which neither changes what script does. */
function squeeze(value: string): string {
  return value.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\s+/g, "");
}

const UNICODE_ESCAPE = /\\u/i;

/** Turns `\u0077`-style escapes back into characters, as a JavaScript string literal would. */
function unescapeUnicode(value: string): string {
  return value.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/*
 * A loop whose condition is always true blocks a Node.js event loop for every user. The
 * condition forms are JavaScript's truthy constants: negated falsy values, non-zero numbers,
 * Infinity, objects, `this` and constructors.
 */
const TRUTHY_CONDITION = [
  String.raw`!+(?:[-+]?\d|["'\x60]{2}|\{\}|\[\]|null|undefined|nan|false)`,
  String.raw`[-+]?(?:[1-9]\d*|infinity)`,
  String.raw`true|new\w+|this|string|object|number|array`,
].join("|");
const ENDLESS_LOOP = new RegExp(String.raw`\bwhile\(+(?:${TRUTHY_CONDITION})\)+`, "i");

/** What endlessLoop reads: a `(` or a \u escape, or a value that is base64 as a whole. */
const ENDLESS_LOOP_TRIGGER = /\(|\\u|^\s*[\w+/=-]{8,}\s*$/i;

/** Finds an endless loop in the value, or in its base64 decoding when it is base64. */
function endlessLoop(value: string): string | undefined {
  // A loop needs its `(`, written or as a \u escape; squeezing cannot produce one.
  const direct =
    value.includes("(") || UNICODE_ESCAPE.test(value)
      ? ENDLESS_LOOP.exec(squeeze(unescapeUnicode(value)))
      : null;
  if (direct) return direct[0];
  if (!/^[\w+/=-]{8,}$/.test(value.trim())) return undefined;
  const decoded = base64Decode(value.trim());
  return decoded === undefined
    ? undefined
    : ENDLESS_LOOP.exec(squeeze(unescapeUnicode(decoded)))?.[0];
}

/*
 * Script that rewrites the page through the DOM rather than markup: element creation and text
 * replacement reached from `document`, calls through `Reflect`, global objects indexed by a
 * string (`self["alert"]`), legacy IE `<?import implementation=` and a DOCTYPE or entity
 * declaration smuggled into an argument.
 */
const DOM_SCRIPT = [
  /\bdocument\.[\w.()"'`[\]]*\.(?:textcontent|innertext|outertext)=/i,
  /\bdocument\.[\w.()"'`[\]]*\b(?:appendchild|insertadjacenthtml|createelement)\(/i,
  /\breflect\.\w+(?:\.(?:call|apply))?(?:`|\()/i,
  /\b(?:self|top|parent|frames|globalthis)\[["'`]\w+["'`]\]\(/i,
  /<\??import(?:implementation)?=|<\?importimplementation/i,
  /<!(?:doctype|entity)\b/i,
];

/** Every DOM_SCRIPT shape holds one of these characters, which squeezing leaves in place. */
const DOM_SCRIPT_TRIGGER = /[=(`<]/;

function domScript(value: string): string | undefined {
  if (!DOM_SCRIPT_TRIGGER.test(value)) return undefined;
  const squeezed = squeeze(value);
  for (const shape of DOM_SCRIPT) {
    const m = shape.exec(squeezed);
    if (m) return m[0];
  }
  return undefined;
}

export const scriptRules: WafRule[] = [
  {
    id: "node-endless-loop",
    category: "node-injection",
    paranoia: 1,
    severity: "critical",
    description: "an always-true loop (event-loop denial of service), also base64-encoded",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls"],
    match: endlessLoop,
    trigger: ENDLESS_LOOP_TRIGGER,
  },
  {
    id: "xss-dom-script",
    category: "xss",
    paranoia: 1,
    severity: "critical",
    description: "DOM rewriting, Reflect calls, string-indexed globals, DOCTYPE in arguments",
    kinds: ARGS,
    transforms: ["removeNulls", "htmlEntityDecode"],
    match: domScript,
    trigger: DOM_SCRIPT_TRIGGER,
  },
];
