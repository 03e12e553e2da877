import net from "node:net";
import type { GatewayContext } from "../context.ts";
import type { UpstreamPool } from "../egress/upstream.ts";
import { gatewayFinding } from "../events/build.ts";
import { headerValue, type RequestHead } from "../http/head.ts";
import { SocketReader } from "../http/reader.ts";
import {
  RequestRefused,
  type Routed,
  refusal,
  serveHttp,
  type UpstreamRequest,
} from "../proxy/exchange.ts";
import { refuseFraming } from "../proxy/forward.ts";
import { socketIp } from "../proxy/identity.ts";
import { authenticate, type S3Auth } from "./auth.ts";
import { checkPayloadHash, decodeAwsChunked, S3BodyError } from "./body.ts";
import { type S3ClientKey, S3ClientKeys } from "./keys.ts";
import { copySourceTarget, locateS3, operationOf, type S3Target } from "./operation.ts";
import { judgeS3, type S3Rule } from "./rules.ts";
import { type UpstreamCredentials, upstreamSigner } from "./sigv4.ts";
import { parseQuery, upstreamRequest } from "./upstream.ts";

/** The S3 proxy endpoint, already validated (see config.ts for the file form). */
export type S3EndpointOptions = {
  listen: { host: string; port: number };
  /** The region clients sign for and the upstream is signed for. */
  region: string;
  /** Names clients use for the endpoint: `name/bucket/key` (path-style), `bucket.name` (virtual). */
  hosts: string[];
  clients: S3ClientKey[];
  rules: S3Rule[];
  upstream: {
    /** `https://s3.<region>.amazonaws.com` or an S3-compatible service; judged like any egress. */
    url: string;
    credentials: UpstreamCredentials;
    /** `path` sends `/bucket/key` to the upstream host, `virtual` sends to `bucket.host`. */
    addressing: "path" | "virtual";
    pool?: UpstreamPool;
  };
};

type Endpoint = {
  ctx: GatewayContext;
  options: S3EndpointOptions;
  keys: S3ClientKeys;
  signer: ReturnType<typeof upstreamSigner>;
  upstream: URL;
  port: number;
};

/** Creates the S3 endpoint's server; every request goes through the strict HTTP path. */
export function createS3Server(
  ctx: GatewayContext,
  options: S3EndpointOptions,
  onSocket: (socket: net.Socket) => void,
): { server: net.Server; bind(port: number): void } {
  const state: Endpoint = {
    ctx,
    options,
    keys: new S3ClientKeys(options.clients),
    signer: upstreamSigner(options.upstream.credentials, options.region),
    upstream: new URL(options.upstream.url),
    port: options.listen.port,
  };
  const server = net.createServer((socket) => {
    onSocket(socket);
    ctx.metrics.openConnections += 1;
    socket.setNoDelay(true);
    socket.setTimeout(ctx.limits.idleTimeoutMs, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    const src = { ip: socketIp(socket.remoteAddress), port: socket.remotePort };
    serveHttp({
      ctx,
      stream: socket,
      reader: new SocketReader(socket),
      src,
      route: (head) => routeS3(state, src.ip, head),
    })
      .catch((error: unknown) => refuseFraming(ctx, socket, error, src.ip))
      .finally(() => {
        ctx.metrics.openConnections -= 1;
      });
  });
  return {
    server,
    bind: (port) => {
      state.port = port;
    },
  };
}

function refuse(status: number, code: string, message: string, finding?: string): Routed {
  const detection = finding ? gatewayFinding(`s3.${finding}`, "s3", "request") : undefined;
  return refusal(status, code, message, detection);
}

/**
 * Authenticates, locates and judges one S3 request: the client's SigV4 with a key this gateway
 * issued, the engine's decision for the bucket (source tags → S3 bucket service), then the
 * endpoint's rules for the operation. An allowed request is re-signed with the gateway's own
 * credentials and its body checked as it streams.
 */
async function routeS3(state: Endpoint, srcIp: string, head: RequestHead): Promise<Routed> {
  if (!head.target.startsWith("/"))
    return refuse(400, "request-target", "an origin-form target is required");
  const [rawPath = "/", rawQuery = ""] = splitTarget(head.target);
  const query = parseQuery(rawQuery);
  if (!query) return refuse(400, "request-target", "the query string is not validly encoded");
  if (query.has("X-Amz-Signature")) {
    const message = "presigned URLs are not accepted here";
    return refuse(403, "presigned-refused", message, "presigned-refused");
  }

  const auth = await authenticate(state.keys, state.options.region, head, rawPath, query);
  if (!auth.ok) return refuse(403, auth.code, auth.message, auth.code);

  const target = locateS3(head.host ?? "", rawPath, state.options.hosts);
  if (!target?.bucket)
    return refuse(400, "no-bucket", "the request names no bucket this endpoint serves");
  const copy = headerValue(head.headers, "x-amz-copy-source");
  const operation = operationOf(head.method, target, query, copy);
  const dst = { host: `${target.bucket}.s3.${state.options.region}.amazonaws.com`, port: 443 };
  const decision = state.ctx.policy.current.decide({
    srcIp,
    dstHost: dst.host,
    dstPort: dst.port,
    path: `/${target.rawKey}`,
    method: head.method,
  });
  if (decision.action === "deny" && !decision.monitor) {
    return { ...refuse(403, "denied", "policy denies this bucket"), decision, dst };
  }

  const judged = judgeOperation(state, auth.value, target, operation.action, copy);
  if (!judged.allow) {
    const finding = gatewayFinding(
      "s3.operation-denied",
      "s3",
      `${operation.action}:${judged.ruleId ?? "default"}`,
    );
    return {
      kind: "refuse",
      status: 403,
      code: "operation-denied",
      message: `${operation.name} on this bucket is not allowed for this key`,
      decision,
      dst,
      finding,
    };
  }
  return {
    kind: "forward",
    ...upstreamTarget(state, target),
    inspect: [],
    pool: state.options.upstream.pool,
    prepare: (request) => prepareUpstream(state, head, auth.value, target, query, request),
    decision,
    dst,
  };
}

/** The operation's own rule, and for CopyObject a GetObject rule on the source as well. */
function judgeOperation(
  state: Endpoint,
  auth: S3Auth,
  target: S3Target,
  action: string,
  copy: string | undefined,
): { allow: boolean; ruleId: string | undefined } {
  const request = {
    accessKeyId: auth.accessKeyId,
    bucket: target.bucket ?? "",
    key: target.key,
    action,
  };
  const verdict = judgeS3(state.options.rules, request);
  if (!verdict.allow || copy === undefined) return verdict;
  const source = copySourceTarget(copy);
  if (!source?.bucket) return { allow: false, ruleId: undefined };
  return judgeS3(state.options.rules, {
    accessKeyId: auth.accessKeyId,
    bucket: source.bucket,
    key: source.key,
    action: "s3:GetObject",
  });
}

function upstreamTarget(state: Endpoint, target: S3Target) {
  const url = state.upstream;
  const tls = url.protocol === "https:";
  const port = url.port === "" ? (tls ? 443 : 80) : Number(url.port);
  const base = url.hostname.replace(/^\[|\]$/g, "");
  const virtual = state.options.upstream.addressing === "virtual";
  const host = virtual ? `${target.bucket}.${base}` : base;
  const path = virtual
    ? `/${target.rawKey}`
    : `/${encodeURIComponent(target.bucket ?? "")}/${target.rawKey}`;
  return { host, port, tls, path };
}

async function prepareUpstream(
  state: Endpoint,
  head: RequestHead,
  auth: S3Auth,
  target: S3Target,
  query: ReadonlyMap<string, string>,
  request: UpstreamRequest,
): Promise<UpstreamRequest> {
  const forward = upstreamTarget(state, target);
  const body = request.body ? checkedBody(auth, request.body) : null;
  return upstreamRequest(state.signer, {
    method: head.method,
    host:
      forward.port === 443 || forward.port === 80
        ? forward.host
        : `${forward.host}:${forward.port}`,
    path: forward.path,
    query,
    clientHeaders: request.headers,
    payloadHash: auth.streaming ? "UNSIGNED-PAYLOAD" : auth.payloadHash,
    contentLength: auth.streaming?.decodedLength ?? contentLength(head),
    body,
  });
}

/** The client's body, decoded and checked as it streams; a failed check refuses the request. */
async function* checkedBody(
  auth: S3Auth,
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let body: AsyncIterable<Uint8Array> = source;
  if (auth.streaming) {
    body = decodeAwsChunked(source, auth.streaming.variant, {
      decodedLength: auth.streaming.decodedLength,
      trailer: auth.streaming.trailer,
      signing: auth.streaming.variant.signed ? auth.signing : undefined,
    });
  } else if (/^[0-9a-f]{64}$/.test(auth.payloadHash)) {
    body = checkPayloadHash(source, auth.payloadHash);
  }
  try {
    yield* body;
  } catch (error) {
    if (!(error instanceof S3BodyError)) throw error;
    const finding = gatewayFinding(`s3.${error.code}`, "s3", "request.body");
    throw new RequestRefused(400, error.code, error.message, finding);
  }
}

function contentLength(head: RequestHead): number | undefined {
  return head.framing.kind === "length" ? head.framing.length : undefined;
}

function splitTarget(target: string): [string, string] {
  const mark = target.indexOf("?");
  return mark === -1 ? [target, ""] : [target.slice(0, mark), target.slice(mark + 1)];
}
