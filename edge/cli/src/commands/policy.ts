/**
 * `ringfence policy diff|apply|export`: policy as code against the control plane's REST API,
 * with an API key. Files are validated locally first, so a bad file names its path and field
 * and nothing is sent; the server validates again and applies all or nothing.
 */
import { DocumentError, parsePolicyText } from "@ringfence/engine/documents";
import { type CliIo, type Command, InputError, parseFlags, UsageError } from "../command.ts";

const usage = `ringfence policy export [--published]
ringfence policy diff FILE
ringfence policy apply FILE [--publish]

Talks to the API named by RINGFENCE_URL with the key in RINGFENCE_API_KEY, for the
organisation RINGFENCE_ORG. export prints the draft (or, with --published, the running
policy) as canonical YAML; diff prints what applying FILE would change; apply makes the draft
equal to FILE (a no-op when it already is) and, with --publish, publishes it.`;

interface Api {
  base: string;
  key: string;
  org: string;
}

/** The API settings from the environment; each missing or bad one is named. */
function apiFromEnv(env: Record<string, string | undefined>): Api {
  const base = env.RINGFENCE_URL;
  const key = env.RINGFENCE_API_KEY;
  const org = env.RINGFENCE_ORG;
  if (!base) throw new UsageError("set RINGFENCE_URL to the control plane's address");
  if (!key) throw new UsageError("set RINGFENCE_API_KEY to an API key (rfk_…)");
  if (!org) throw new UsageError("set RINGFENCE_ORG to the organisation id (org_…)");
  let url: URL;
  try {
    url = new URL(base);
  } catch (error) {
    throw new UsageError(`RINGFENCE_URL is not a URL: ${base}`, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError("RINGFENCE_URL must be an http or https URL");
  }
  return { base: url.href.replace(/\/$/, ""), key, org };
}

/** One API call; a problem answer becomes an input error quoting its detail and fields. */
async function request(api: Api, method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.base}/api/v1/orgs/${api.org}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.ok) return text;
  let detail = `${response.status}`;
  try {
    const problem = JSON.parse(text) as {
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    const fields = (problem.errors ?? []).map((e) => `${e.path}: ${e.message}`).join("; ");
    detail = [problem.detail, fields].filter(Boolean).join(" ");
  } catch {
    detail = `${response.status} ${text.slice(0, 200)}`;
  }
  throw new InputError(`the API refused: ${detail}`);
}

/** Reads and validates a policy file locally; errors name the file, path and field. */
async function policyFile(path: string | undefined, io: CliIo): Promise<string> {
  if (path === undefined) throw new UsageError("give a policy FILE");
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw new InputError(`${path}: cannot read the file`, { cause: error });
  }
  try {
    parsePolicyText(text);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    const issue = error.issues[0];
    throw new InputError(`${path}: ${issue?.path ?? "$"}: ${issue?.message ?? "invalid"}`, {
      cause: error,
    });
  }
  return text;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    published: { type: "boolean" },
    publish: { type: "boolean" },
  });
  const [verb, file, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const api = apiFromEnv(process.env);

  if (verb === "export") {
    const source = values.published ? "published" : "draft";
    io.stdout((await request(api, "GET", `/policy/export?source=${source}`)).replace(/\n$/, ""));
    return 0;
  }
  if (verb === "diff" || verb === "apply") {
    const text = await policyFile(file, io);
    const answer = await request(api, "POST", `/policy/${verb}`, { text });
    io.stdout(answer);
    if (verb === "apply" && values.publish) {
      io.stdout(await request(api, "POST", "/policy/publish", {}));
    }
    return 0;
  }
  throw new UsageError(verb ? `unknown policy verb "${verb}"` : "give diff, apply or export");
}

export const command: Command = { summary: "Diff, apply and export policy as code", usage, run };
