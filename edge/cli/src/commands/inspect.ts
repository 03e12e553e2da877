/** `ringfence inspect`: runs raw HTTP request files through the inspection profiles. */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  type CompiledProfiles,
  compileProfiles,
  defaultProfiles,
  type InspectionProfileInput,
  type InspectResponse,
  inspectRequest,
  ProfileError,
  parseRawRequest,
} from "@ringfence/engine/inspect";
import { parse } from "yaml";
import { type CliIo, type Command, InputError, parseFlags, UsageError } from "../command.ts";

const usage = `ringfence inspect --profile FILE|default [--paranoia N] --request PATH... [--response PATH]

PATH is a raw HTTP/1.1 message file or a directory of them. Prints one JSON line per request:
{"request","action","score","detections":[{"id","category","location","evidence"}]}.
Malformed HTTP is reported as a "protocol" detection, not an error.`;

/** Expands files and directories (one level) into a sorted list of files. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: unknown) => {
      throw new InputError(
        `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        { cause: error },
      );
    });
    if (!info.isDirectory()) files.push(path);
    else files.push(...(await readdir(path)).sort().map((name) => join(path, name)));
  }
  return files;
}

/** Loads profiles from JSON/YAML, or the default set, and compiles them. */
export async function loadProfiles(
  source: string,
  io: CliIo,
  paranoia?: number,
): Promise<CompiledProfiles> {
  if (paranoia !== undefined && ![1, 2, 3, 4].includes(paranoia))
    throw new UsageError("--paranoia must be 1, 2, 3 or 4");
  const level = paranoia as 1 | 2 | 3 | 4 | undefined;
  let profiles: InspectionProfileInput[];
  if (source === "default") profiles = defaultProfiles({ paranoia: level });
  else {
    let doc: unknown;
    try {
      doc = parse(await io.readFile(source));
    } catch (error) {
      throw new InputError(
        `${source}: not JSON or YAML (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
    profiles = (Array.isArray(doc) ? doc : [doc]) as InspectionProfileInput[];
    if (level !== undefined)
      profiles = profiles.map((p) => (p.kind === "waf" ? { ...p, paranoia: level } : p));
  }
  try {
    return compileProfiles(profiles);
  } catch (error) {
    if (error instanceof ProfileError)
      throw new InputError(`${source}: ${error.message}`, { cause: error });
    throw error;
  }
}

async function readResponse(path: string | undefined): Promise<InspectResponse | undefined> {
  if (path === undefined) return undefined;
  const bytes = new Uint8Array(await readFile(path));
  const text = new TextDecoder("latin1").decode(bytes);
  const headEnd = text.indexOf("\r\n\r\n");
  const head = (headEnd < 0 ? text : text.slice(0, headEnd)).split("\r\n");
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head[0] ?? "")?.[1] ?? 0);
  const headers = head
    .slice(1)
    .map(
      (l) =>
        [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()] as [string, string],
    );
  return { status, headers, body: headEnd < 0 ? new Uint8Array(0) : bytes.subarray(headEnd + 4) };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, {
    profile: { type: "string" },
    paranoia: { type: "string" },
    request: { type: "string", multiple: true },
    response: { type: "string" },
  });
  if (values.profile === undefined) throw new UsageError("--profile FILE|default is required");
  if (!values.request || values.request.length === 0)
    throw new UsageError("give at least one --request PATH");
  const compiled = await loadProfiles(
    values.profile,
    io,
    values.paranoia === undefined ? undefined : Number(values.paranoia),
  );
  const response = await readResponse(values.response);
  for (const file of await expandPaths(values.request)) {
    const { request, detections: framing } = parseRawRequest(new Uint8Array(await readFile(file)));
    const result = inspectRequest(compiled, request, { framing, response });
    const detections = result.detections.map(({ id, category, location, evidence }) => ({
      id,
      category,
      location,
      evidence,
    }));
    io.stdout(
      JSON.stringify({ request: file, action: result.action, score: result.score, detections }),
    );
  }
  return 0;
}

export const command: Command = {
  summary: "inspect raw HTTP requests with WAF/IPS/DLP profiles",
  usage,
  run,
};
