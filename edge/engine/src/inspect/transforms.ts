/** The per-rule transformations a WAF rule may ask for before it matches. */
export type Transform =
  | "urlDecode"
  | "htmlEntityDecode"
  | "lowercase"
  | "compressWhitespace"
  | "nfkc"
  | "base64"
  | "removeNulls";

const NAMED_ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
  nbsp: " ",
  colon: ":",
  lpar: "(",
  rpar: ")",
  sol: "/",
  bsol: "\\",
  tab: "\t",
  newline: "\n",
  semi: ";",
  equals: "=",
  grave: "`",
  dollar: "$",
  lbrace: "{",
  lcub: "{",
  rbrace: "}",
  rcub: "}",
  lsqb: "[",
  rsqb: "]",
  num: "#",
  percnt: "%",
  excl: "!",
  quest: "?",
  period: ".",
  comma: ",",
  verbar: "|",
  ast: "*",
  plus: "+",
};

/** Percent-decodes once; malformed escapes stay as they are instead of failing the whole value. */
export function urlDecode(text: string, plusIsSpace = false): string {
  const spaced = plusIsSpace ? text.replace(/\+/g, " ") : text;
  if (!spaced.includes("%")) return spaced;
  const bytes: number[] = [];
  for (let i = 0; i < spaced.length; i++) {
    const code = spaced.charCodeAt(i);
    const hex = spaced.slice(i + 1, i + 3);
    if (code === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (code === 0x25 && /^[uU][0-9A-Fa-f]{4}$/.test(spaced.slice(i + 1, i + 6))) {
      pushUtf8(bytes, Number.parseInt(spaced.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      pushUtf8(bytes, code);
    }
  }
  return UTF8.decode(new Uint8Array(bytes));
}

const UTF8 = new TextDecoder("utf-8");
/**
 * Reused rather than made per call (making one costs more than decoding a short value); a
 * decode without `stream` starts afresh, even after one that threw.
 */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const ENCODER = new TextEncoder();

function pushUtf8(bytes: number[], code: number): void {
  // Most characters of a URL are ASCII; encoding them one by one dominated decoding time.
  if (code < 0x80) bytes.push(code);
  else for (const b of ENCODER.encode(String.fromCharCode(code))) bytes.push(b);
}

/** Decodes named, decimal and hexadecimal HTML character references, with or without `;`. */
export function htmlEntityDecode(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    /&(#[xX]0*[0-9a-fA-F]{1,6}|#0*\d{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31})(;?)/g,
    (all, ref: string, semi: string) => {
      if (ref.startsWith("#")) {
        const hex = ref[1] === "x" || ref[1] === "X";
        const code = Number.parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
      }
      return namedEntity(ref, semi) ?? all;
    },
  );
}

/**
 * A named reference, or, without `;`, the longest known name it starts with, as browsers read
 * "&lbracejndi" as "{jndi".
 */
function namedEntity(ref: string, semi: string): string | undefined {
  const exact = NAMED_ENTITIES[ref.toLowerCase()];
  if (exact !== undefined) return exact;
  if (semi) return undefined;
  for (let n = ref.length - 1; n >= 2; n--) {
    const prefix = NAMED_ENTITIES[ref.slice(0, n).toLowerCase()];
    if (prefix !== undefined) return prefix + ref.slice(n);
  }
  return undefined;
}

/** Decodes JavaScript string escapes (`\u0041`, `\u{41}`, `\x41`), as a script engine would. */
export function jsDecode(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(
    /\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/g,
    (all, a, b, c) => {
      const code = Number.parseInt(a ?? b ?? c, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : all;
    },
  );
}

/** The bytes of the second byte of a sequence led by `lead`, as the UTF-8 grammar allows. */
function secondRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/**
 * Whether `bytes` are well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF): what a fatal decoder accepts. Checked first because most base64-shaped words
 * decode to binary, and a decoder that throws costs far more than this loop.
 */
export function isUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    if (lead < 0xc2 || lead > 0xf4) return false;
    const tail = lead <= 0xdf ? 1 : lead <= 0xef ? 2 : 3;
    if (i + tail >= bytes.length) return false;
    const [low, high] = secondRange(lead);
    const second = bytes[i + 1] ?? 0;
    if (second < low || second > high) return false;
    for (let k = 2; k <= tail; k++) {
      const next = bytes[i + k] ?? 0;
      if (next < 0x80 || next > 0xbf) return false;
    }
    i += tail + 1;
  }
  return true;
}

/** Decodes standard or URL-safe base64; returns undefined when the text is not base64. */
export function base64Decode(text: string): string | undefined {
  // Shape first: most values are prose, and rewriting all of one before refusing it is waste.
  const trimmed = text.trim();
  if (trimmed.length < 8 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const clean = trimmed.replace(/-/g, "+").replace(/_/g, "/");
  try {
    const binary = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, "="));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return isUtf8(bytes) ? STRICT_UTF8.decode(bytes) : undefined;
  } catch {
    return undefined;
  }
}

/** Applies transformations in order; each is a pure string function. */
export function applyTransforms(value: string, transforms: readonly Transform[]): string {
  let out = value;
  for (const t of transforms) out = applyTransform(out, t);
  return out;
}

/** One transformation; each returns its input untouched when it has nothing to change. */
export function applyTransform(value: string, t: Transform): string {
  if (t === "urlDecode") return urlDecode(value);
  if (t === "htmlEntityDecode") return htmlEntityDecode(value);
  if (t === "lowercase") return value.toLowerCase();
  if (t === "compressWhitespace")
    return /\s\s|[^\S ]/.test(value) ? value.replace(/\s+/g, " ") : value;
  // ASCII text is already in NFKC.
  if (t === "nfkc") return /[^\0-\x7f]/.test(value) ? value.normalize("NFKC") : value;
  if (t === "removeNulls") return value.includes("\0") ? value.replace(/\0/g, "") : value;
  return base64Decode(value) ?? value;
}

/** The result of normalising a request path. */
export interface NormalizedPath {
  path: string;
  /** Decoded once, before dot segments were resolved (traversal shows here). */
  decoded: string;
  encodedSeparator: boolean;
  dotSegments: number;
}

/**
 * Normalises a path the way the origin will most likely see it: decode once, treat `\` as `/`,
 * collapse `//`, resolve `.` and `..`. An encoded `/` or `\` inside a segment is reported,
 * because it only makes sense as an attempt to smuggle a separator past a path check.
 */
export function normalizePath(rawPath: string): NormalizedPath {
  const encodedSeparator = /%(2f|5c)/i.test(rawPath);
  const decoded = urlDecode(rawPath).replace(/\\/g, "/");
  const out: string[] = [];
  let dotSegments = 0;
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      dotSegments++;
      out.pop();
      continue;
    }
    out.push(segment);
  }
  const trailing = decoded.endsWith("/") && out.length > 0 ? "/" : "";
  return { path: `/${out.join("/")}${trailing}`, decoded, encodedSeparator, dotSegments };
}
