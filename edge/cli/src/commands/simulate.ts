/** `ringfence simulate`: what the policy decides for one flow, with its reasons, offline. */
import { DocumentError, parsePolicyText } from "@ringfence/engine/documents";
import { isIp } from "@ringfence/engine/net";
import { buildIndex, decide, type Flow, FlowError, resolvePolicy } from "@ringfence/engine/policy";
import { type CliIo, type Command, InputError, parseFlags, UsageError } from "../command.ts";
import { loadInventories, readInput } from "../inventory-files.ts";

const usage = `ringfence simulate --policy FILE --inventory FILE... --src IP --dst HOST[:PORT]
                   [--dst-ip IP] [--sni NAME] [--path PATH] [--method METHOD]

Prints the decision as JSON: action, rule, mode, profiles and the reasons (source objects,
destination match, default). --dst takes a name or an address (IPv6 in brackets to add a port;
the port defaults to 443). --dst-ip gives the address a named destination connects to.`;

/** Splits `host:port`, `[v6]:port`, a bare IPv6 or a bare host. */
export function parseDestination(text: string): { host: string; port: number } {
  let host = text;
  let port = "443";
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1] ?? "";
    port = bracket[2] ?? port;
  } else if (text.split(":").length === 2) {
    [host = "", port = ""] = text.split(":");
  }
  const value = /^[0-9]{1,5}$/.test(port) ? Number(port) : Number.NaN;
  if (host === "" || !(value >= 0 && value <= 65535)) {
    throw new UsageError(`--dst: expected HOST[:PORT] with a port 0-65535, got "${text}"`);
  }
  return { host, port: value };
}

/** Reports a policy document problem as `file: path: message`. */
function documentProblem(file: string, error: DocumentError): InputError {
  const issue = error.issues[0];
  const path = (issue?.path ?? "$").replace(/^\$\.?/, "") || error.document;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return new InputError(`${file}: ${path}: ${issue?.message ?? "invalid"}${more}`, {
    cause: error,
  });
}

/** The flag values a flow is built from. */
type FlowFlags = Partial<Record<"src" | "dst" | "dst-ip" | "sni" | "path" | "method", string>>;

function flowOf(values: FlowFlags): Flow {
  if (!values.src) throw new UsageError("give --src IP");
  if (!values.dst) throw new UsageError("give --dst HOST[:PORT]");
  const { host, port } = parseDestination(values.dst);
  const named = !isIp(host);
  return {
    srcIp: values.src,
    dstPort: port,
    ...(named ? { dstHost: host } : { dstIp: host }),
    ...(named && values["dst-ip"] ? { dstIp: values["dst-ip"] } : {}),
    ...(values.sni ? { sni: values.sni } : {}),
    ...(values.path ? { path: values.path } : {}),
    ...(values.method ? { method: values.method } : {}),
  };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    policy: { type: "string" },
    inventory: { type: "string", multiple: true },
    src: { type: "string" },
    dst: { type: "string" },
    "dst-ip": { type: "string" },
    sni: { type: "string" },
    path: { type: "string" },
    method: { type: "string" },
  });
  const files = [...(values.inventory ?? []), ...positionals];
  if (!values.policy) throw new UsageError("give --policy FILE");
  if (files.length === 0) throw new UsageError("give at least one --inventory FILE");
  const flow = flowOf(values);

  const policyFile = values.policy;
  const inventory = await loadInventories(files, io);
  const text = await readInput(io, policyFile);
  let decision: ReturnType<typeof decide>;
  try {
    decision = decide(buildIndex(resolvePolicy(parsePolicyText(text), inventory)), flow);
  } catch (error) {
    if (error instanceof DocumentError) throw documentProblem(policyFile, error);
    if (error instanceof FlowError) throw new UsageError(error.message);
    throw error;
  }
  io.stdout(JSON.stringify(decision));
  return 0;
}

export const command: Command = { summary: "decide one flow against a policy", usage, run };
