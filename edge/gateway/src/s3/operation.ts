/**
 * Which bucket, key and S3 operation a request addresses, from its Host, method, path and
 * query, as S3 itself reads them. Rules are written with the IAM action names (`s3:GetObject`,
 * `s3:ListBucket`…), so each operation also names the action that authorises it.
 */

/** The bucket and key a request addresses; the raw key keeps the client's own encoding. */
export type S3Target = {
  bucket: string | undefined;
  /** The key as the client encoded it in the path (no leading slash); signed as sent. */
  rawKey: string;
  key: string;
};

/** An S3 operation and the IAM action a rule must allow for it. */
export type S3Operation = { name: string; action: string };

/**
 * Finds the bucket: virtual-hosted when the Host is `<bucket>.<endpoint host>`, path-style when
 * the Host is an endpoint host (or an address) and the bucket is the first path segment.
 * Undefined when the Host names neither form.
 */
export function locateS3(
  hostHeader: string,
  rawPath: string,
  endpointHosts: readonly string[],
): S3Target | undefined {
  const host = hostName(hostHeader);
  const path = rawPath.replace(/^\/+/, "");
  const virtual = endpointHosts
    .map((endpoint) => endpoint.toLowerCase())
    .find((endpoint) => host.endsWith(`.${endpoint}`));
  if (virtual) {
    const bucket = host.slice(0, -(virtual.length + 1));
    return { bucket, rawKey: path, key: decodeKey(path) };
  }
  if (!endpointHosts.some((endpoint) => endpoint.toLowerCase() === host) && !isAddress(host)) {
    return undefined;
  }
  const slash = path.indexOf("/");
  const bucket = decodeKey(slash === -1 ? path : path.slice(0, slash));
  const rawKey = slash === -1 ? "" : path.slice(slash + 1);
  return { bucket: bucket === "" ? undefined : bucket, rawKey, key: decodeKey(rawKey) };
}

/** The operation of a request on `target`; `query` holds the decoded query parameters. */
export function operationOf(
  method: string,
  target: S3Target,
  query: ReadonlyMap<string, string>,
  copySource: string | undefined,
): S3Operation {
  const has = (name: string) => query.has(name);
  if (target.bucket === undefined) return op("ListBuckets", "s3:ListAllMyBuckets");
  if (target.key === "") return bucketOperation(method, has);
  if (method === "GET" && has("uploadId")) return op("ListParts", "s3:ListMultipartUploadParts");
  if (has("tagging")) {
    if (method === "GET") return op("GetObjectTagging", "s3:GetObjectTagging");
    if (method === "PUT") return op("PutObjectTagging", "s3:PutObjectTagging");
    return op("DeleteObjectTagging", "s3:DeleteObjectTagging");
  }
  if (has("acl")) {
    return method === "PUT"
      ? op("PutObjectAcl", "s3:PutObjectAcl")
      : op("GetObjectAcl", "s3:GetObjectAcl");
  }
  switch (method) {
    case "GET":
      return op("GetObject", "s3:GetObject");
    case "HEAD":
      return op("HeadObject", "s3:GetObject");
    case "PUT":
      if (has("uploadId")) return op("UploadPart", "s3:PutObject");
      return copySource === undefined
        ? op("PutObject", "s3:PutObject")
        : op("CopyObject", "s3:PutObject");
    case "DELETE":
      if (has("uploadId")) return op("AbortMultipartUpload", "s3:AbortMultipartUpload");
      return op("DeleteObject", "s3:DeleteObject");
    case "POST":
      if (has("uploads")) return op("CreateMultipartUpload", "s3:PutObject");
      if (has("uploadId")) return op("CompleteMultipartUpload", "s3:PutObject");
      return op("PostObject", "s3:PutObject");
    default:
      return op(`Unknown${method}`, "s3:Unknown");
  }
}

function bucketOperation(method: string, has: (name: string) => boolean): S3Operation {
  if (has("policy")) {
    if (method === "GET") return op("GetBucketPolicy", "s3:GetBucketPolicy");
    if (method === "PUT") return op("PutBucketPolicy", "s3:PutBucketPolicy");
    return op("DeleteBucketPolicy", "s3:DeleteBucketPolicy");
  }
  if (method === "POST" && has("delete")) return op("DeleteObjects", "s3:DeleteObject");
  if (has("location")) return op("GetBucketLocation", "s3:GetBucketLocation");
  if (has("uploads")) return op("ListMultipartUploads", "s3:ListBucketMultipartUploads");
  if (has("versions")) return op("ListObjectVersions", "s3:ListBucketVersions");
  switch (method) {
    case "GET":
      return op("ListObjects", "s3:ListBucket");
    case "HEAD":
      return op("HeadBucket", "s3:ListBucket");
    case "PUT":
      return op("CreateBucket", "s3:CreateBucket");
    case "DELETE":
      return op("DeleteBucket", "s3:DeleteBucket");
    default:
      return op(`Unknown${method}`, "s3:Unknown");
  }
}

/** `x-amz-copy-source` (`bucket/key` or `/bucket/key`, URL-encoded) as a target. */
export function copySourceTarget(value: string): S3Target | undefined {
  const path = value.split("?")[0]?.replace(/^\/+/, "") ?? "";
  const slash = path.indexOf("/");
  if (slash <= 0) return undefined;
  const rawKey = path.slice(slash + 1);
  return { bucket: decodeKey(path.slice(0, slash)), rawKey, key: decodeKey(rawKey) };
}

function op(name: string, action: string): S3Operation {
  return { name, action };
}

function hostName(host: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracket?.[1]) return bracket[1].toLowerCase();
  return host.replace(/:\d+$/, "").toLowerCase().replace(/\.$/, "");
}

function isAddress(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(":");
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
