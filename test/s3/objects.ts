import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { payloadMatches } from "./sigv4.ts";

/**
 * Object calls beyond GetObject, for clients that drive the server through the S3 proxy
 * endpoint: ListObjectsV2, HeadObject, PutObject and DeleteObject. A PUT is stored only once
 * its whole body has arrived (and, when signatures are verified, matched its signed hash), so
 * an upload cut off mid-body leaves nothing behind, as in S3.
 */

/** The IAM action of an object or listing call, or undefined for anything else. */
export function objectAction(method: string, key: string): string | undefined {
  if (key === "") return method === "GET" ? "s3:ListBucket" : undefined;
  if (method === "GET" || method === "HEAD") return "s3:GetObject";
  if (method === "PUT") return "s3:PutObject";
  if (method === "DELETE") return "s3:DeleteObject";
  return undefined;
}

const MAX_OBJECT = 256 * 1024 * 1024;
const etag = (body: Uint8Array) => `"${createHash("md5").update(body).digest("hex")}"`;
const xml = (text: string) =>
  text.replace(
    /[<>&"]/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c,
  );

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_OBJECT) throw new Error("object too large for the test server");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Serves one object call on `objects`; resolves with the status sent. */
export async function serveObjectCall(
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  key: string,
  objects: Record<string, Uint8Array>,
  verifyPayload: boolean,
): Promise<number> {
  const method = req.method ?? "GET";
  if (key === "") return list(req, res, bucket, objects);
  if (method === "PUT") {
    const body = await readAll(req);
    if (verifyPayload && !payloadMatches(req, body)) {
      res
        .writeHead(400, { "content-type": "application/xml" })
        .end("<Error><Code>XAmzContentSHA256Mismatch</Code></Error>");
      return 400;
    }
    objects[key] = body;
    res.writeHead(200, { etag: etag(body), "content-length": "0" }).end();
    return 200;
  }
  if (method === "DELETE") {
    delete objects[key];
    res.writeHead(204).end();
    return 204;
  }
  const body = objects[key];
  if (!body) {
    res
      .writeHead(404, { "content-type": "application/xml" })
      .end("<Error><Code>NoSuchKey</Code></Error>");
    return 404;
  }
  res.writeHead(200, { "content-length": String(body.length), etag: etag(body) });
  res.end(method === "HEAD" ? undefined : body);
  return 200;
}

function list(
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  objects: Record<string, Uint8Array>,
): number {
  const prefix = new URL(req.url ?? "/", "http://s3.invalid").searchParams.get("prefix") ?? "";
  const keys = Object.keys(objects)
    .filter((key) => key.startsWith(prefix))
    .sort();
  const contents = keys
    .map((key) => {
      const body = objects[key] ?? new Uint8Array();
      return `<Contents><Key>${xml(key)}</Key><Size>${body.length}</Size><ETag>${xml(etag(body))}</ETag><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join("");
  res.writeHead(200, { "content-type": "application/xml" });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
  );
  return 200;
}
