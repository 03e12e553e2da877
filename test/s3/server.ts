import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { objectAction, serveObjectCall } from "./objects.ts";
import {
  BucketPolicyError,
  type BucketPolicyStatement,
  evaluateBucketPolicy,
  parseBucketPolicy,
} from "./policy.ts";
import { verifySigV4 } from "./sigv4.ts";

/**
 * An S3-compatible server for the breach replay: object GETs and bucket policy GET/PUT, on
 * several listeners, each standing for one network path into S3. A listener with `vpce` is an
 * interface VPC endpoint (requests through it carry `aws:SourceVpce`), one without is the public
 * endpoint. The caller's address is the socket's peer, so `aws:SourceIp` is what the kernel
 * says, not a header. By default SigV4 signatures are not verified: the replay's attacker holds
 * valid stolen keys, so only the access key id matters for who is asking. With `secrets` every
 * request's signature (and a plain body's signed hash) is verified as S3 does, and the object
 * calls of objects.ts are served too: the upstream of the gateway's S3 endpoint.
 */

export interface S3Endpoint {
  host: string;
  port: number;
  /** The VPC endpoint id requests through this listener arrive with. */
  vpce?: string;
}

export interface S3ServerOptions {
  endpoints: S3Endpoint[];
  /** Access key id → AWS account id of the principal it belongs to. */
  accessKeys: Record<string, string>;
  /** Bucket → owner account, optional bucket policy (JSON text) and objects. */
  buckets: Record<string, { owner: string; policy?: string; objects: Record<string, Uint8Array> }>;
  /** Access key id → secret: verify SigV4 for `region` and serve object writes and listings. */
  secrets?: Record<string, string>;
  region?: string;
}

/** One request as the server judged it, for the replay's assertions. */
export interface S3AccessRecord {
  method: string;
  bucket: string;
  key: string;
  sourceIp: string;
  vpce: string | undefined;
  status: number;
  /** The bucket policy statement that decided, when one did. */
  statement?: string;
}

export interface RunningS3 {
  endpoints: { url: string; vpce?: string }[];
  log: S3AccessRecord[];
  policyOf(bucket: string): string | undefined;
  close(): Promise<void>;
}

const HOST_FORMS = [
  /^(?<bucket>[a-z0-9.-]+)\.s3(?:[.-](?<region>[a-z0-9-]+))?\.amazonaws\.com$/,
  /^s3(?:[.-](?<region>[a-z0-9-]+))?\.amazonaws\.com$/,
];

/** Finds the bucket and key from a virtual-hosted or path-style request. */
export function locate(host: string, path: string): { bucket: string; key: string } | undefined {
  const name = host.replace(/:\d+$/, "").toLowerCase();
  const segments = decodeURIComponent(path.split("?")[0] ?? "/").replace(/^\/+/, "");
  for (const form of HOST_FORMS) {
    const match = form.exec(name);
    if (!match) continue;
    const virtual = match.groups?.bucket;
    if (virtual) return { bucket: virtual, key: segments };
    const [bucket = "", ...rest] = segments.split("/");
    return bucket ? { bucket, key: rest.join("/") } : undefined;
  }
  return undefined;
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): number {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
  return status;
}

function accessKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? "";
  return /Credential=([A-Z0-9]+)\//.exec(header)?.[1];
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BucketPolicyError(`the policy is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Waits for the socket to drain or close, removing both listeners either way. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

/** Streams the object in 16 KiB writes, honouring back-pressure, so a cut-off is observable. */
async function streamObject(res: ServerResponse, body: Uint8Array): Promise<void> {
  res.writeHead(200, { "content-type": "text/csv", "content-length": String(body.length) });
  for (let offset = 0; offset < body.length && !res.destroyed; offset += 16_384) {
    const more = res.write(body.subarray(offset, offset + 16_384));
    if (!more) await drainOrClose(res);
  }
  res.end();
}

interface StoredPolicy {
  text: string;
  statements: BucketPolicyStatement[];
}

interface Judged {
  status: number;
  statement?: string;
}

function judge(
  options: S3ServerOptions,
  policies: Map<string, StoredPolicy>,
  request: { action: string; bucket: string; key: string; sourceIp: string; vpce?: string },
  accessKey: string | undefined,
): Judged & { code?: string } {
  const bucket = options.buckets[request.bucket];
  if (!bucket) return { status: 404, code: "NoSuchBucket" };
  const account = accessKey === undefined ? undefined : options.accessKeys[accessKey];
  if (account === undefined) return { status: 403, code: "InvalidAccessKeyId" };

  const resource = `arn:aws:s3:::${request.bucket}${request.key ? `/${request.key}` : ""}`;
  const verdict = evaluateBucketPolicy(policies.get(request.bucket)?.statements ?? [], {
    action: request.action,
    resource,
    principalAccount: account,
    sourceIp: request.sourceIp,
    sourceVpce: request.vpce,
  });
  if (verdict.effect === "deny")
    return { status: 403, code: "AccessDenied", statement: verdict.sid };
  // The stolen role's identity policy grants S3 reads in its own account, as in 2019; another
  // account needs the bucket policy's explicit Allow.
  if (account === bucket.owner || verdict.effect === "allow") {
    return { status: 200, statement: verdict.effect === "allow" ? verdict.sid : undefined };
  }
  return { status: 403, code: "AccessDenied" };
}

async function handle(
  options: S3ServerOptions,
  policies: Map<string, StoredPolicy>,
  endpoint: S3Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Omit<S3AccessRecord, "method" | "sourceIp" | "vpce">> {
  const target = locate(req.headers.host ?? "", req.url ?? "/");
  if (!target) return { bucket: "", key: "", status: s3Error(res, 400, "InvalidURI", "no bucket") };
  const policyCall = (req.url ?? "").includes("?policy");
  const method = req.method ?? "GET";
  const verified = options.secrets
    ? await verifySigV4(req, options.secrets, options.region ?? "us-east-1")
    : undefined;
  if (verified && !verified.ok) {
    return { ...target, status: s3Error(res, 403, verified.code, "signature refused") };
  }
  const objectCall = verified ? objectAction(method, target.key) : undefined;
  const action = policyCall
    ? method === "PUT"
      ? "s3:PutBucketPolicy"
      : "s3:GetBucketPolicy"
    : (objectCall ?? "s3:GetObject");
  const sourceIp = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  const request = { action, ...target, sourceIp, vpce: endpoint.vpce };
  const judged = judge(options, policies, request, verified?.accessKeyId ?? accessKeyOf(req));
  const record = { ...target, status: judged.status, statement: judged.statement };
  if (judged.code) {
    s3Error(res, judged.status, judged.code, "Access Denied");
    return record;
  }

  if (policyCall && method === "PUT") {
    const text = await readBody(req, 20_480);
    policies.set(target.bucket, { text, statements: parseBucketPolicy(text) });
    res.writeHead(204).end();
    return { ...record, status: 204 };
  }
  if (policyCall) {
    const text = policies.get(target.bucket)?.text;
    if (!text) return { ...record, status: s3Error(res, 404, "NoSuchBucketPolicy", "none") };
    res.writeHead(200, { "content-type": "application/json" }).end(text);
    return record;
  }
  const objects = options.buckets[target.bucket]?.objects;
  if (objectCall && objects) {
    const status = await serveObjectCall(req, res, target.bucket, target.key, objects, true);
    return { ...record, status };
  }
  const body = objects?.[target.key];
  if (!body) return { ...record, status: s3Error(res, 404, "NoSuchKey", "no such key") };
  await streamObject(res, body);
  return record;
}

/**
 * Starts one listener per endpoint (loopback or namespace-local addresses only: the replay runs
 * in a network namespace with nothing but loopback) and resolves once all are bound.
 */
export async function startS3Server(options: S3ServerOptions): Promise<RunningS3> {
  const policies = new Map<string, StoredPolicy>();
  for (const [name, bucket] of Object.entries(options.buckets)) {
    if (bucket.policy)
      policies.set(name, { text: bucket.policy, statements: parseBucketPolicy(bucket.policy) });
  }
  const log: S3AccessRecord[] = [];
  const servers: Server[] = [];
  const endpoints: RunningS3["endpoints"] = [];

  for (const endpoint of options.endpoints) {
    const server = createServer((req, res) => {
      const base = {
        method: req.method ?? "GET",
        sourceIp: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
        vpce: endpoint.vpce,
      };
      handle(options, policies, endpoint, req, res).then(
        (result) => log.push({ ...base, ...result }),
        (error: unknown) => {
          const status = error instanceof BucketPolicyError ? 400 : 500;
          const code = error instanceof BucketPolicyError ? "MalformedPolicy" : "InternalError";
          if (!res.headersSent) s3Error(res, status, code, String((error as Error).message));
          else res.destroy();
          log.push({ ...base, bucket: "", key: "", status });
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject).listen(endpoint.port, endpoint.host, () => resolve());
    });
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    endpoints.push({ url: `http://${endpoint.host}:${port}`, vpce: endpoint.vpce });
  }

  return {
    endpoints,
    log,
    policyOf: (bucket) => policies.get(bucket)?.text,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
