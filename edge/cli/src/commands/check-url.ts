/** `ringfence check-url`: runs URLs through the engine's SSRF guard, one JSON line each. */
import { lookup } from "node:dns/promises";
import {
  checkUrlLexical,
  checkUrlResolving,
  type SsrfOptions,
  SsrfOptionsError,
  type SsrfResolver,
  type SsrfResult,
} from "@ringfence/engine/ssrf";
import { type CliIo, type Command, parseFlags, UsageError } from "../command.ts";
import { hostsResolver, parseHostsFile } from "../hosts-file.ts";
import { readInput } from "../inventory-files.ts";

const usage = `ringfence check-url [--resolve [--hosts FILE]] [--allow CIDR|HOST]... [--scheme S]... URL...

Prints {"url","verdict","reason","address"} per URL (plus "category"/"endpoint" when known).
Without --resolve names are judged lexically and never looked up. --resolve judges every
address a name resolves to, through --hosts FILE (hosts-file format) or, only when no file is
given, the system resolver. --allow opens loopback/private destinations (never metadata).`;

/** The system resolver; used only when the user asked for --resolve without --hosts. */
const systemResolver: SsrfResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
};

async function resolverFor(hostsFile: string | undefined, io: CliIo): Promise<SsrfResolver> {
  if (hostsFile === undefined) return systemResolver;
  return hostsResolver(parseHostsFile(hostsFile, await readInput(io, hostsFile)));
}

function line(url: string, result: SsrfResult): string {
  const { verdict, reason, address, category, endpoint } = result;
  return JSON.stringify({ url, verdict, reason, address: address ?? null, category, endpoint });
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    resolve: { type: "boolean" },
    hosts: { type: "string" },
    allow: { type: "string", multiple: true },
    scheme: { type: "string", multiple: true },
  });
  if (positionals.length === 0) throw new UsageError("give at least one URL");
  if (values.hosts !== undefined && !values.resolve)
    throw new UsageError("--hosts needs --resolve");

  const options: SsrfOptions = { allow: values.allow ?? [], schemes: values.scheme };
  try {
    checkUrlLexical("http://example.com/", options);
  } catch (error) {
    if (error instanceof SsrfOptionsError) throw new UsageError(`--allow: ${error.message}`);
    throw error;
  }

  const resolver = values.resolve ? await resolverFor(values.hosts, io) : undefined;
  for (const url of positionals) {
    const result = resolver
      ? await checkUrlResolving(url, { ...options, resolver })
      : checkUrlLexical(url, options);
    io.stdout(line(url, result));
  }
  return 0;
}

export const command: Command = { summary: "judge URLs with the SSRF guard", usage, run };
