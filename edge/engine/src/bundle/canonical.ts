/**
 * Canonical JSON per RFC 8785 (JSON Canonicalization Scheme). A bundle's hash and signature are
 * taken over these bytes, so the control plane and every enforcer must agree on them exactly.
 */

/** Why a value could not be canonicalised; `path` points at the offending value (JSON Pointer). */
export class CanonicalJsonError extends Error {
  override readonly name = "CanonicalJsonError";

  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path === "" ? "the root" : path}`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Objects that JSON nests deeper than this are refused rather than risking the stack. */
const MAX_DEPTH = 256;

/**
 * Serialises a JSON value canonically: object members sorted by the UTF-16 code units of their
 * names, numbers in ECMAScript form, strings with the minimal JSON escapes and no whitespace.
 * Members whose value is `undefined` are left out, as JSON.stringify does; everything else that
 * JSON cannot carry (non-finite numbers, lone surrogates, bigints, class instances, cycles)
 * throws a CanonicalJsonError naming the path.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, "", 0);
}

/** The canonical form as UTF-8 bytes, ready to hash or sign. */
export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  // Copied into a fresh buffer: runtimes type TextEncoder's result over ArrayBufferLike.
  return new Uint8Array(new TextEncoder().encode(canonicalize(value)));
}

function serialize(value: unknown, path: string, depth: number): string {
  if (value === null || typeof value === "boolean") {
    return String(value);
  }
  if (typeof value === "number") {
    return serializeNumber(value, path);
  }
  if (typeof value === "string") {
    return serializeString(value, path);
  }
  if (depth >= MAX_DEPTH) {
    throw new CanonicalJsonError(`nesting deeper than ${MAX_DEPTH} levels`, path);
  }
  if (Array.isArray(value)) {
    return serializeArray(value, path, depth);
  }
  if (isPlainObject(value)) {
    return serializeObject(value, path, depth);
  }
  throw new CanonicalJsonError(`${describe(value)} is not a JSON value`, path);
}

function serializeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) {
    throw new CanonicalJsonError(`the number ${value} is not finite`, path);
  }
  // ECMAScript's Number-to-String is exactly what RFC 8785 prescribes, and it prints -0 as 0.
  return String(value);
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new CanonicalJsonError("a string contains a lone UTF-16 surrogate", path);
  }
  // For well-formed strings JSON.stringify escapes exactly the characters RFC 8785 requires
  // (quote, backslash, C0 controls with the short forms and lowercase \u00xx) and no others.
  return JSON.stringify(value);
}

function serializeArray(value: readonly unknown[], path: string, depth: number): string {
  const parts: string[] = [];
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (item === undefined) {
      throw new CanonicalJsonError("undefined is not a JSON value", `${path}/${index}`);
    }
    parts.push(serialize(item, `${path}/${index}`, depth + 1));
  }
  return `[${parts.join(",")}]`;
}

function serializeObject(value: Record<string, unknown>, path: string, depth: number): string {
  // The default sort compares UTF-16 code units, which is the order RFC 8785 specifies.
  const names = Object.keys(value).sort();
  const parts: string[] = [];
  for (const name of names) {
    const member = value[name];
    if (member === undefined) {
      continue;
    }
    const memberPath = `${path}/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    parts.push(`${serializeString(name, memberPath)}:${serialize(member, memberPath, depth + 1)}`);
  }
  return `{${parts.join(",")}}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (value === undefined) {
    return "undefined";
  }
  if (typeof value === "object" && value !== null) {
    return `an instance of ${value.constructor?.name ?? "an unknown class"}`;
  }
  return `a ${typeof value}`;
}

/**
 * Decodes UTF-8 bytes that must already be canonical JSON. Returns the parsed value, or an
 * explanation when the bytes are not valid UTF-8, not JSON, or not in canonical form (which
 * also catches duplicate member names, since re-serialising keeps only one of them).
 */
export function parseCanonical(
  bytes: Uint8Array<ArrayBuffer>,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, reason: "the payload is not valid UTF-8" };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "the payload is not JSON" };
  }

  try {
    if (canonicalize(value) !== text) {
      return { ok: false, reason: "the payload is not canonical JSON (RFC 8785)" };
    }
  } catch (error) {
    return { ok: false, reason: `the payload cannot be canonical JSON: ${String(error)}` };
  }
  return { ok: true, value };
}
