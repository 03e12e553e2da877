/**
 * Reads the network restrictions out of an S3 bucket policy. Only a Deny that applies to every
 * principal unless the request comes through given VPC endpoints or source addresses closes the
 * bucket: an Allow with such a condition leaves the account's own IAM principals able to read it
 * from anywhere, which is exactly the path the 2019 breach used.
 */
export interface BucketRestrictions {
  /** VPC endpoint ids outside which every request is denied (`aws:SourceVpce`). */
  vpce: string[];
  /** VPC ids outside which every request is denied (`aws:SourceVpc`). */
  vpc: string[];
  /** Source ranges outside which every request is denied (`aws:SourceIp`). */
  sourceIp: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const list = (value: Json | undefined): string[] =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : typeof value === "string"
      ? [value]
      : [];

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function coversEveryone(statement: { [key: string]: Json }): boolean {
  const principal = statement.Principal;
  if (principal === "*") return true;
  return isObject(principal) && list(principal.AWS).includes("*");
}

function coversAllAccess(statement: { [key: string]: Json }): boolean {
  return list(statement.Action).some((action) => action === "*" || action === "s3:*");
}

/** Finds the deny-unless conditions of a policy; malformed JSON restricts nothing. */
export function bucketRestrictions(policyText: string | undefined): BucketRestrictions {
  const found: BucketRestrictions = { vpce: [], vpc: [], sourceIp: [] };
  if (!policyText) return found;
  let policy: Json;
  try {
    policy = JSON.parse(policyText) as Json;
  } catch {
    return found;
  }
  const statements = isObject(policy) ? policy.Statement : undefined;
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    if (!isObject(statement) || statement.Effect !== "Deny") continue;
    if (!coversEveryone(statement) || !coversAllAccess(statement)) continue;
    collectConditions(statement.Condition, found);
  }
  return found;
}

function collectConditions(condition: Json | undefined, found: BucketRestrictions): void {
  if (!isObject(condition)) return;
  for (const [operator, keys] of Object.entries(condition)) {
    if (!isObject(keys)) continue;
    const negated = /^(StringNotEquals|StringNotLike|NotIpAddress)(IfExists)?$/.test(operator);
    if (!negated) continue;
    for (const [key, value] of Object.entries(keys)) {
      const name = key.toLowerCase();
      if (name === "aws:sourcevpce") found.vpce.push(...list(value));
      if (name === "aws:sourcevpc") found.vpc.push(...list(value));
      if (name === "aws:sourceip") found.sourceIp.push(...list(value));
    }
  }
}
