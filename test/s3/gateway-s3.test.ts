import { createHash, createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import { Readable, Transform } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Hash } from "@smithy/hash-node";
import { getSigningKey, SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecisionEvent } from "../../edge/engine/src/documents/index.ts";
import {
  compilePolicy,
  deriveSigningKeys,
  issueS3Key,
  PolicyHolder,
  type RunningGateway,
  startGateway,
} from "../../edge/gateway/src/index.ts";
import { type RunningS3, startS3Server } from "./server.ts";

// The real AWS SDK v3 S3 client → the gateway's S3 endpoint → the test S3 server, which checks
// the gateway's own SigV4 signature itself. Everything is on 127.0.0.1; names resolve through
// the gateway's static resolver and the client's own lookup, never the system resolver.

const REGION = "us-east-1";
const OWNER = "111122223333";
const UPSTREAM = {
  accessKeyId: "AKIAGATEWAYUPSTREAM0",
  secretAccessKey: "gateway-upstream-secret",
};
const reader = issueS3Key();
const writer = issueS3Key();
const derived = issueS3Key();
const ENDPOINT_HOST = "s3.gw.test";

let s3: RunningS3;
let gateway: RunningGateway;
const events: DecisionEvent[] = [];
const objects: Record<string, Uint8Array> = { "report.csv": Buffer.from("id,total\n1,42\n") };
const secretObjects: Record<string, Uint8Array> = { "keys.txt": Buffer.from("secret") };

function bucketPolicy() {
  const s3Object = (id: string, bucket: string) => ({
    id,
    kind: "fqdn",
    prefixes: [],
    hosts: [{ include: [`${bucket}.s3.${REGION}.amazonaws.com`], exclude: [] }],
  });
  const allow = (id: string, object: string) => ({
    id,
    name: null,
    sources: ["clients"],
    destinations: [{ type: "object", id: object }],
    ports: null,
    action: "allow",
    mode: "forwarding",
    profiles: [],
    monitor: false,
  });
  return {
    schemaVersion: 1,
    objects: [
      { id: "clients", kind: "static", prefixes: ["127.0.0.0/8"], hosts: [] },
      s3Object("data", "acme-data"),
      s3Object("vault", "acme-vault"),
    ],
    services: [],
    ruleSets: [
      {
        id: "main",
        defaultAction: "deny",
        rules: [allow("data", "data"), allow("vault", "vault")],
      },
    ],
    profiles: [],
  };
}

function client(
  key: { accessKeyId: string; secretAccessKey: string },
  style: "path" | "virtual" = "path",
): S3Client {
  const port = gateway.s3Port ?? 0;
  // Virtual-hosted names (`bucket.s3.gw.test`) are mapped to loopback by the agent itself.
  const agent = new http.Agent({
    keepAlive: true,
    lookup: ((_host: string, _options: unknown, callback: (...args: unknown[]) => void) =>
      callback(null, [{ address: "127.0.0.1", family: 4 }])) as never,
  });
  return new S3Client({
    region: REGION,
    endpoint: style === "path" ? `http://127.0.0.1:${port}` : `http://${ENDPOINT_HOST}:${port}`,
    forcePathStyle: style === "path",
    credentials: key,
    requestHandler: { httpAgent: agent },
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  s3 = await startS3Server({
    endpoints: [{ host: "127.0.0.1", port: 0 }],
    accessKeys: { [UPSTREAM.accessKeyId]: OWNER },
    secrets: { [UPSTREAM.accessKeyId]: UPSTREAM.secretAccessKey },
    region: REGION,
    buckets: {
      "acme-data": { owner: OWNER, objects },
      "acme-vault": { owner: OWNER, objects: secretObjects },
    },
  });
  const upstreamPort = Number(new URL(s3.endpoints[0]?.url ?? "").port);
  gateway = await startGateway({
    enforcerId: "gw-s3",
    proxy: { host: "127.0.0.1", port: 0 },
    policy: new PolicyHolder(compilePolicy(bucketPolicy(), 1)),
    resolver: async (name) => (name === `s3.${REGION}.amazonaws.com` ? ["127.0.0.1"] : []),
    egressAllow: ["127.0.0.1/32"],
    emit: (event) => events.push(event),
    s3: {
      listen: { host: "127.0.0.1", port: 0 },
      region: REGION,
      hosts: [ENDPOINT_HOST],
      clients: [
        reader,
        writer,
        {
          accessKeyId: derived.accessKeyId,
          signingKeys: await deriveSigningKeys(derived.secretAccessKey, REGION, new Date(), 1),
        },
      ],
      rules: [
        {
          id: "read-data",
          effect: "allow",
          buckets: ["acme-*"],
          actions: ["s3:GetObject", "s3:ListBucket"],
        },
        {
          id: "write-data",
          effect: "allow",
          principals: [writer.accessKeyId],
          buckets: ["acme-data"],
          actions: ["s3:*"],
        },
        { id: "no-vault", effect: "deny", buckets: ["acme-vault"], actions: ["s3:*"] },
      ],
      upstream: {
        url: `http://s3.${REGION}.amazonaws.com:${upstreamPort}`,
        credentials: UPSTREAM,
        addressing: "path",
      },
    },
  });
});
afterAll(async () => {
  await gateway?.close(100);
  await s3?.close();
});

const lastEvent = () => events.at(-1);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("S3 endpoint with the AWS SDK v3 client", () => {
  it("serves GetObject and ListObjectsV2 to an allowed key, path-style and virtual-hosted", async () => {
    for (const style of ["path", "virtual"] as const) {
      const s3Client = client(reader, style);
      const got = await s3Client.send(
        new GetObjectCommand({ Bucket: "acme-data", Key: "report.csv" }),
      );
      expect(await got.Body?.transformToString()).toBe("id,total\n1,42\n");
      const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: "acme-data" }));
      expect(listed.Contents?.map((entry) => entry.Key)).toContain("report.csv");
      s3Client.destroy();
    }
    expect(s3.log.at(-1)).toMatchObject({ bucket: "acme-data", status: 200 });
  });

  it("accepts a key known only by derived per-day signing keys", async () => {
    const s3Client = client(derived);
    const got = await s3Client.send(
      new GetObjectCommand({ Bucket: "acme-data", Key: "report.csv" }),
    );
    expect(got.$metadata.httpStatusCode).toBe(200);
    s3Client.destroy();
  });

  it("refuses an operation the rules do not allow, with an event naming it", async () => {
    const s3Client = client(reader);
    const put = s3Client.send(
      new PutObjectCommand({ Bucket: "acme-data", Key: "new.txt", Body: "x" }),
    );
    await expect(put).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(objects["new.txt"]).toBeUndefined();
    expect(lastEvent()).toMatchObject({ action: "deny" });
    expect(lastEvent()?.detections?.[0]?.id).toBe("gateway.s3.operation-denied");
    expect(lastEvent()?.detections?.[0]?.location).toBe("s3:PutObject:default");
    s3Client.destroy();
  });

  it("refuses a denied bucket even for an operation allowed elsewhere", async () => {
    const s3Client = client(writer);
    const get = s3Client.send(new GetObjectCommand({ Bucket: "acme-vault", Key: "keys.txt" }));
    await expect(get).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(lastEvent()?.detections?.[0]?.location).toBe("s3:GetObject:no-vault");
    s3Client.destroy();
  });

  it("refuses a bucket the policy bundle does not reach", async () => {
    const s3Client = client(writer);
    const get = s3Client.send(new GetObjectCommand({ Bucket: "other-bucket", Key: "a" }));
    await expect(get).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(lastEvent()).toMatchObject({ action: "deny", reasons: { default: true } });
    s3Client.destroy();
  });

  it("refuses a wrong client secret and an unknown key", async () => {
    for (const key of [
      { accessKeyId: reader.accessKeyId, secretAccessKey: "not-the-secret" },
      { accessKeyId: "RFGWUNKNOWNKEY00000", secretAccessKey: reader.secretAccessKey },
    ]) {
      const s3Client = client(key);
      const get = s3Client.send(new GetObjectCommand({ Bucket: "acme-data", Key: "report.csv" }));
      await expect(get).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
      s3Client.destroy();
    }
    const ids = events.slice(-2).map((event) => event.detections?.[0]?.id);
    expect(ids).toEqual(["gateway.s3.signature-mismatch", "gateway.s3.unknown-access-key"]);
  });

  it("puts, reads back and deletes an object for the writer", async () => {
    const s3Client = client(writer);
    await s3Client.send(
      new PutObjectCommand({ Bucket: "acme-data", Key: "dir/a b+c.txt", Body: "hello" }),
    );
    expect(Buffer.from(objects["dir/a b+c.txt"] ?? []).toString()).toBe("hello");
    await s3Client.send(new DeleteObjectCommand({ Bucket: "acme-data", Key: "dir/a b+c.txt" }));
    expect(objects["dir/a b+c.txt"]).toBeUndefined();
    s3Client.destroy();
  });

  it("relays a large aws-chunked streaming upload intact", async () => {
    const payload = randomBytes(5 * 1024 * 1024 + 123);
    const s3Client = client(writer);
    const seen: string[] = [];
    s3Client.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        seen.push(`${headers["content-encoding"]} ${headers["x-amz-content-sha256"]}`);
        return next(args);
      },
      { step: "deserialize" },
    );
    await s3Client.send(
      new PutObjectCommand({
        Bucket: "acme-data",
        Key: "big.bin",
        Body: Readable.from(chunks(payload, 100_000)),
        ContentLength: payload.length,
      }),
    );
    expect(seen[0]).toMatch(/aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER/);
    expect(sha256(objects["big.bin"] ?? new Uint8Array())).toBe(sha256(payload));
    s3Client.destroy();
  });

  it("refuses an upload whose chunk was altered in transit, and nothing is stored", async () => {
    const payload = randomBytes(300_000);
    const s3Client = client(writer);
    s3Client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: Readable };
        request.body = request.body.pipe(flipByteAt(150_000));
        return next(args);
      },
      { step: "deserialize" },
    );
    const put = s3Client.send(
      new PutObjectCommand({
        Bucket: "acme-data",
        Key: "tampered.bin",
        Body: Readable.from(chunks(payload, 64_000)),
        ContentLength: payload.length,
      }),
    );
    await expect(put).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(objects["tampered.bin"]).toBeUndefined();
    expect(lastEvent()?.detections?.[0]?.id).toBe("gateway.s3.checksum-mismatch");
    s3Client.destroy();
  });
});

describe("S3 endpoint with hand-framed uploads", () => {
  it("accepts signed chunks and refuses one altered after signing", async () => {
    const payload = randomBytes(200_000);
    const good = await signedChunkedPut("signed.bin", payload, -1);
    expect(good.status).toBe(200);
    expect(sha256(objects["signed.bin"] ?? new Uint8Array())).toBe(sha256(payload));

    const bad = await signedChunkedPut("signed-bad.bin", payload, 1);
    expect(bad.status).toBe(400);
    expect(objects["signed-bad.bin"]).toBeUndefined();
    expect(lastEvent()?.detections?.[0]?.id).toBe("gateway.s3.chunk-signature-mismatch");
  });

  it("relays an UNSIGNED-PAYLOAD body", async () => {
    const answer = await signedRequest("PUT", "/acme-data/unsigned.txt", "UNSIGNED-PAYLOAD", [
      Buffer.from("plain"),
    ]);
    expect(answer.status).toBe(200);
    expect(Buffer.from(objects["unsigned.txt"] ?? []).toString()).toBe("plain");
  });
});

/**
 * A PUT framed as STREAMING-AWS4-HMAC-SHA256-PAYLOAD, each 64 KiB chunk signed as the SigV4
 * specification says (the SDK does not send this variant); the chunk `tamper` gets one bit
 * flipped after it was signed.
 */
async function signedChunkedPut(key: string, payload: Buffer, tamper: number) {
  const parts = [...chunks(payload, 65_536), Buffer.alloc(0)];
  const frame = (sig: string, data: Buffer) =>
    Buffer.concat([
      Buffer.from(`${data.length.toString(16)};chunk-signature=${sig}\r\n`),
      data,
      Buffer.from("\r\n"),
    ]);
  return signedRequest(
    "PUT",
    `/acme-data/${key}`,
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    null,
    async (seed, signingKey, longDate, scope) => {
      let previous = seed;
      return parts.map((data, index) => {
        const text = [
          "AWS4-HMAC-SHA256-PAYLOAD",
          longDate,
          scope,
          previous,
          sha256(new Uint8Array()),
          sha256(data),
        ];
        previous = createHmac("sha256", signingKey).update(text.join("\n")).digest("hex");
        const sent = Buffer.from(data);
        if (index === tamper) sent[10] = (sent[10] ?? 0) ^ 0x01;
        return frame(previous, sent);
      });
    },
    payload.length,
  );
}

/** One request signed with the writer's key by the SDK's SignatureV4, sent over plain HTTP. */
async function signedRequest(
  method: string,
  path: string,
  contentSha256: string,
  body: Buffer[] | null,
  framed?: (seed: string, key: Uint8Array, longDate: string, scope: string) => Promise<Buffer[]>,
  decodedLength?: number,
): Promise<{ status: number; body: string }> {
  const host = `127.0.0.1:${gateway.s3Port}`;
  const now = new Date();
  const headers: Record<string, string> = { host, "x-amz-content-sha256": contentSha256 };
  if (decodedLength !== undefined) {
    headers["content-encoding"] = "aws-chunked";
    headers["x-amz-decoded-content-length"] = String(decodedLength);
  }
  const signer = new SignatureV4({
    credentials: writer,
    region: REGION,
    service: "s3",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: false,
  });
  const signed = await signer.sign(
    { method, protocol: "http:", hostname: "127.0.0.1", path, headers },
    { signingDate: now },
  );
  const authorization = String(signed.headers.authorization);
  const longDate = String(signed.headers["x-amz-date"]);
  const scope = `${longDate.slice(0, 8)}/${REGION}/s3/aws4_request`;
  const signingKey = await getSigningKey(
    Hash.bind(null, "sha256"),
    writer,
    longDate.slice(0, 8),
    REGION,
    "s3",
  );
  const seed = /Signature=([0-9a-f]{64})/.exec(authorization)?.[1] ?? "";
  const content = Buffer.concat(
    framed ? await framed(seed, signingKey, longDate, scope) : (body ?? []),
  );
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: gateway.s3Port,
        method,
        path,
        headers: { ...signed.headers, "content-length": String(content.length) },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString() }),
        );
      },
    );
    request.on("error", reject);
    request.end(content);
  });
}

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Flips one bit of the byte at `offset` of the stream: a chunk altered on the wire. */
function flipByteAt(offset: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const copy = Buffer.from(chunk);
      if (offset >= seen && offset < seen + copy.length) {
        copy[offset - seen] = (copy[offset - seen] ?? 0) ^ 0x01;
      }
      seen += copy.length;
      callback(null, copy);
    },
  });
}
