/** `ringfence import`: uploads cloud CLI outputs to an account through the control plane's API. */
import { CloudParseError, detectAndParse } from "@ringfence/engine/parsers";
import { type CliIo, type Command, InputError, parseFlags, UsageError } from "../command.ts";
import { readInput } from "../inventory-files.ts";

const usage = `ringfence import --org ORG_ID --account ACCOUNT_ID [--api URL] FILE...

Checks every FILE locally with the same parsers as the control plane, then uploads them all in
one request to POST /api/v1/orgs/ORG_ID/accounts/ACCOUNT_ID/import. A malformed file is named
(file, record, field) and nothing is uploaded. The API key comes from RINGFENCE_API_KEY; the
API from --api or RINGFENCE_API_URL (default http://127.0.0.1:3000).`;

async function readAll(io: CliIo, files: readonly string[]) {
  const out: { name: string; text: string }[] = [];
  for (const name of files) {
    const text = await readInput(io, name);
    try {
      detectAndParse(name, text);
    } catch (error) {
      if (error instanceof CloudParseError)
        throw new InputError(`${error.message}; nothing was uploaded`, { cause: error });
      throw error;
    }
    out.push({ name, text });
  }
  return out;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    org: { type: "string" },
    account: { type: "string" },
    api: { type: "string" },
  });
  if (!values.org || !values.account) throw new UsageError("--org and --account are required");
  if (positionals.length === 0) throw new UsageError("give at least one FILE");
  const key = process.env.RINGFENCE_API_KEY;
  if (!key) throw new UsageError("set RINGFENCE_API_KEY to an API key with write scope");
  const api = values.api ?? process.env.RINGFENCE_API_URL ?? "http://127.0.0.1:3000";

  const files = await readAll(io, positionals);
  const url = new URL(
    `/api/v1/orgs/${encodeURIComponent(values.org)}/accounts/${encodeURIComponent(values.account)}/import`,
    api,
  );
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ files }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok)
    throw new InputError(
      `the API refused the import (${response.status}): ${String(body.detail ?? response.statusText)}`,
    );
  io.stdout(JSON.stringify(body));
  return 0;
}

export const command: Command = { summary: "upload cloud CLI outputs to an account", usage, run };
