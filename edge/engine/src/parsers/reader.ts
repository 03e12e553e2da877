/**
 * A small typed reader over parsed JSON that remembers where it is, so every error names the
 * file, the JSON path of the field and the record (index and id) it belongs to, for example
 * `instances.json: Reservations[2].Instances[0].PrivateIpAddress: expected an IPv4 address,
 * got "x" (record i-0abc)`.
 */
import { canonicalIp, NetParseError, parseIpResult } from "../net/index.ts";

/** Thrown for any problem in a cloud CLI output; the message is one line. */
export class CloudParseError extends Error {
  override readonly name = "CloudParseError";

  constructor(
    readonly file: string,
    readonly path: string,
    readonly detail: string,
    readonly record?: string,
  ) {
    const where = path === "" ? "" : `${path}: `;
    const which = record ? ` (record ${record})` : "";
    super(`${file}: ${where}${detail}${which}`);
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Shows a bad value briefly: strings quoted, everything else by its JSON kind. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 60));
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : String(value);
}

/** A position in a JSON document. */
export class Reader {
  constructor(
    readonly value: unknown,
    readonly file: string,
    readonly path: string = "",
    readonly record?: string,
  ) {}

  /** Throws a {@link CloudParseError} at this position. */
  fail(detail: string): never {
    throw new CloudParseError(this.file, this.path, detail, this.record);
  }

  /** The same position, labelled with the id of the record it belongs to. */
  inRecord(id: string): Reader {
    return new Reader(this.value, this.file, this.path, id);
  }

  /** Another value at this same position, such as one item of a comma-separated field. */
  fork(value: unknown): Reader {
    return new Reader(value, this.file, this.path, this.record);
  }

  /** The child under `key`; absent keys read as undefined. */
  at(key: string): Reader {
    const child = PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    const path = this.path === "" ? child.replace(/^\./, "") : `${this.path}${child}`;
    const object = this.isObject() ? (this.value as Record<string, unknown>) : {};
    return new Reader(object[key], this.file, path, this.record);
  }

  isObject(): boolean {
    return typeof this.value === "object" && this.value !== null && !Array.isArray(this.value);
  }

  isMissing(): boolean {
    return this.value === undefined || this.value === null;
  }

  /** Requires an object here. */
  object(): this {
    if (!this.isObject()) this.fail(`expected an object, got ${describe(this.value)}`);
    return this;
  }

  /** The elements of a required array (or of an optional one, read as empty when absent). */
  list(optional = false): Reader[] {
    if (optional && this.isMissing()) return [];
    if (!Array.isArray(this.value)) this.fail(`expected an array, got ${describe(this.value)}`);
    return (this.value as unknown[]).map(
      (item, i) => new Reader(item, this.file, `${this.path}[${i}]`, this.record),
    );
  }

  /** A required non-empty string. */
  string(): string {
    if (typeof this.value !== "string" || this.value === "") {
      this.fail(`expected a non-empty string, got ${describe(this.value)}`);
    }
    return this.value as string;
  }

  /** An optional string; empty strings read as absent, as the CLIs print them for "none". */
  optionalString(): string | undefined {
    if (this.isMissing() || this.value === "") return undefined;
    if (typeof this.value !== "string") this.fail(`expected a string, got ${describe(this.value)}`);
    return this.value as string;
  }

  /** An optional boolean. */
  optionalBoolean(): boolean | undefined {
    if (this.isMissing()) return undefined;
    if (typeof this.value !== "boolean")
      this.fail(`expected true or false, got ${describe(this.value)}`);
    return this.value as boolean;
  }

  /** An optional IP address of the given family, returned in canonical text. */
  optionalIp(family: 4 | 6): string | undefined {
    const text = this.optionalString();
    if (text === undefined) return undefined;
    const parsed = parseIpResult(text);
    if (parsed instanceof NetParseError || parsed.family !== family) {
      this.fail(`expected an IPv${family} address, got ${describe(text)}`);
    }
    return canonicalIp(text);
  }

  /** A required IP address of the given family. */
  ip(family: 4 | 6): string {
    const address = this.optionalIp(family);
    if (address === undefined)
      this.fail(`expected an IPv${family} address, got ${describe(this.value)}`);
    return address;
  }

  /** AWS tags, `[{ "Key": "k", "Value": "v" }]`, as a record. */
  awsTags(): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const tag of this.list(true)) {
      tag.object();
      tags[tag.at("Key").string()] = tag.at("Value").optionalString() ?? "";
    }
    return tags;
  }

  /** Azure or GCP labels, `{ "k": "v" }`, as a record. */
  stringMap(): Record<string, string> {
    if (this.isMissing()) return {};
    this.object();
    const out: Record<string, string> = {};
    for (const key of Object.keys(this.value as object)) {
      out[key] = this.at(key).optionalString() ?? "";
    }
    return out;
  }
}

/** Parses JSON text, naming the file and the position of a syntax error. */
export function readJson(file: string, text: string): Reader {
  try {
    return new Reader(JSON.parse(text) as unknown, file);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CloudParseError(file, "", `not valid JSON: ${detail}`);
  }
}
