import { page, type ReplayResponse, escapeXml as x, xml } from "../server.ts";
import type { ReplaySession } from "./session.ts";
import type { S3Bucket } from "./world.ts";

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** The S3 operations the replay serves and the IAM action each needs. */
const OPERATIONS = {
  location: "s3:GetBucketLocation",
  tagging: "s3:GetBucketTagging",
  policy: "s3:GetBucketPolicy",
  publicAccessBlock: "s3:GetBucketPublicAccessBlock",
} as const;

type Operation = keyof typeof OPERATIONS;

/** Answers a path-style S3 REST call (`GET /` or `GET /{bucket}?{subresource}`). */
export function handleS3(session: ReplaySession, method: string, url: URL): ReplayResponse {
  if (method !== "GET") return s3Error(405, "MethodNotAllowed", "replay S3 is read-only");
  const bucketName = decodeURIComponent(url.pathname.replace(/^\/+/, "").split("/")[0] ?? "");
  if (!bucketName) return listBuckets(session, url);

  const operation = (Object.keys(OPERATIONS) as Operation[]).find((key) =>
    url.searchParams.has(key),
  );
  if (!operation) {
    // Object reads are deliberately absent: the onboarding role grants no data access.
    return s3Error(403, "AccessDenied", "Access Denied");
  }
  if (session.account.deniedActions.includes(OPERATIONS[operation])) {
    return s3Error(403, "AccessDenied", "Access Denied");
  }
  const bucket = session.account.buckets.find((candidate) => candidate.name === bucketName);
  if (!bucket) return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");
  return answer(operation, bucket);
}

function answer(operation: Operation, bucket: S3Bucket): ReplayResponse {
  switch (operation) {
    case "location": {
      const constraint = bucket.region === "us-east-1" ? "" : bucket.region;
      return xml(200, `<LocationConstraint xmlns="${NS}">${constraint}</LocationConstraint>`);
    }
    case "tagging":
      return bucket.tags.length === 0
        ? s3Error(404, "NoSuchTagSet", "The TagSet does not exist")
        : xml(200, tagging(bucket));
    case "policy":
      return bucket.policy === undefined
        ? s3Error(404, "NoSuchBucketPolicy", "The bucket policy does not exist")
        : { status: 200, headers: { "content-type": "application/json" }, body: bucket.policy };
    case "publicAccessBlock":
      return bucket.publicAccessBlock === undefined
        ? s3Error(
            404,
            "NoSuchPublicAccessBlockConfiguration",
            "The public access block configuration was not found",
          )
        : xml(200, publicAccessBlock(bucket.publicAccessBlock));
  }
}

function listBuckets(session: ReplaySession, url: URL): ReplayResponse {
  const requested = Number.parseInt(url.searchParams.get("max-buckets") ?? "", 10);
  const size = Number.isFinite(requested) ? requested : 10_000;
  const result = page(session.account.buckets, url.searchParams.get("continuation-token"), size);
  const buckets = result.items
    .map(
      (bucket) =>
        `<Bucket><Name>${x(bucket.name)}</Name><CreationDate>${bucket.creationDate}</CreationDate>` +
        `<BucketRegion>${bucket.region}</BucketRegion></Bucket>`,
    )
    .join("");
  const token = result.next ? `<ContinuationToken>${result.next}</ContinuationToken>` : "";
  return xml(
    200,
    `<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${session.account.accountId}</ID></Owner>` +
      `<Buckets>${buckets}</Buckets>${token}</ListAllMyBucketsResult>`,
  );
}

function tagging(bucket: S3Bucket): string {
  const tags = bucket.tags
    .map((tag) => `<Tag><Key>${x(tag.key)}</Key><Value>${x(tag.value)}</Value></Tag>`)
    .join("");
  return `<Tagging xmlns="${NS}"><TagSet>${tags}</TagSet></Tagging>`;
}

function publicAccessBlock(block: NonNullable<S3Bucket["publicAccessBlock"]>): string {
  return (
    `<PublicAccessBlockConfiguration xmlns="${NS}">` +
    `<BlockPublicAcls>${block.blockPublicAcls}</BlockPublicAcls>` +
    `<IgnorePublicAcls>${block.ignorePublicAcls}</IgnorePublicAcls>` +
    `<BlockPublicPolicy>${block.blockPublicPolicy}</BlockPublicPolicy>` +
    `<RestrictPublicBuckets>${block.restrictPublicBuckets}</RestrictPublicBuckets>` +
    "</PublicAccessBlockConfiguration>"
  );
}

/** An S3 error in its `<Error>` envelope. */
export function s3Error(status: number, code: string, message: string): ReplayResponse {
  return xml(
    status,
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code>` +
      `<Message>${x(message)}</Message><RequestId>${crypto.randomUUID()}</RequestId></Error>`,
  );
}
