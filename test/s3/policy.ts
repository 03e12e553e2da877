import { BlockList, isIPv4 } from "node:net";

/**
 * Bucket policy evaluation as S3 applies it to a request: an explicit Deny in the bucket policy
 * wins over anything, an explicit Allow grants, otherwise the principal's own permissions
 * decide. Only what the breach replay exercises is modelled: `Principal` `*` or an AWS account,
 * `Action` with `*` wildcards, `Resource` ARNs with `*` wildcards, and the condition operators
 * StringEquals, StringNotEquals, StringLike, IpAddress and NotIpAddress on `aws:SourceVpce`,
 * `aws:SourceIp` and `aws:PrincipalAccount`. Anything else is refused when the policy is put,
 * so a generated policy the server cannot judge fails loudly instead of being half-applied.
 */

/** What S3 knows about a request when it evaluates the bucket policy. */
export interface RequestContext {
  action: string;
  resource: string;
  /** The account the caller's credentials belong to. */
  principalAccount: string;
  sourceIp: string;
  /** The VPC endpoint the request arrived through, if any. */
  sourceVpce?: string;
}

export type PolicyVerdict =
  | { effect: "deny"; sid: string }
  | { effect: "allow"; sid: string }
  | { effect: "none" };

interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A bucket policy the server cannot read; the message names the statement and field. */
export class BucketPolicyError extends Error {
  override readonly name = "BucketPolicyError";
}

const OPERATORS = ["StringEquals", "StringNotEquals", "StringLike", "IpAddress", "NotIpAddress"];
const KEYS = ["aws:SourceVpce", "aws:SourceIp", "aws:PrincipalAccount"];

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

function glob(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${escaped}$`).test(value);
}

function checkStatement(raw: unknown, index: number): Statement {
  const where = `Statement[${index}]`;
  if (typeof raw !== "object" || raw === null)
    throw new BucketPolicyError(`${where}: not an object`);
  const s = raw as Partial<Statement>;
  if (s.Effect !== "Allow" && s.Effect !== "Deny")
    throw new BucketPolicyError(`${where}.Effect: expected Allow or Deny`);
  if (s.Action === undefined) throw new BucketPolicyError(`${where}.Action: missing`);
  if (s.Resource === undefined) throw new BucketPolicyError(`${where}.Resource: missing`);
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    if (!OPERATORS.includes(operator))
      throw new BucketPolicyError(`${where}.Condition.${operator}: operator not supported`);
    for (const key of Object.keys(keys)) {
      if (!KEYS.includes(key))
        throw new BucketPolicyError(`${where}.Condition.${operator}.${key}: key not supported`);
    }
  }
  return s as Statement;
}

/** Validates a bucket policy document (JSON text) and returns its statements. */
export function parseBucketPolicy(text: string): Statement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BucketPolicyError("the policy is not JSON");
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  if (statements === undefined) throw new BucketPolicyError("Statement: missing");
  const all = Array.isArray(statements) ? statements : [statements];
  return all.map(checkStatement);
}

function principalMatches(principal: unknown, account: string): boolean {
  if (principal === "*") return true;
  const aws = (principal as { AWS?: string | string[] } | null)?.AWS;
  if (aws === undefined) return false;
  return list(aws).some((p) => p === "*" || p === account || p.includes(`::${account}:`));
}

function ipIn(cidrs: string[], ip: string): boolean {
  const blocks = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", bits] = cidr.split("/");
    const type = isIPv4(address) ? "ipv4" : "ipv6";
    blocks.addSubnet(address, Number(bits ?? (type === "ipv4" ? 32 : 128)), type);
  }
  return blocks.check(ip, isIPv4(ip) ? "ipv4" : "ipv6");
}

function conditionHolds(operator: string, key: string, values: string[], ctx: RequestContext) {
  const actual =
    key === "aws:SourceIp"
      ? ctx.sourceIp
      : key === "aws:SourceVpce"
        ? ctx.sourceVpce
        : ctx.principalAccount;
  // A key absent from the request makes every operator false except the negated ones, as in IAM.
  if (actual === undefined) return operator === "StringNotEquals" || operator === "NotIpAddress";
  if (operator === "StringEquals") return values.includes(actual);
  if (operator === "StringNotEquals") return !values.includes(actual);
  if (operator === "StringLike") return values.some((v) => glob(v, actual));
  if (operator === "IpAddress") return ipIn(values, actual);
  return !ipIn(values, actual);
}

function applies(statement: Statement, ctx: RequestContext): boolean {
  if (!principalMatches(statement.Principal, ctx.principalAccount)) return false;
  if (!list(statement.Action).some((a) => glob(a, ctx.action))) return false;
  if (!list(statement.Resource).some((r) => glob(r, ctx.resource))) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => conditionHolds(operator, key, list(values), ctx)),
  );
}

/** Judges a request against a bucket policy: the first explicit Deny, else an Allow, else none. */
export function evaluateBucketPolicy(
  statements: readonly Statement[],
  ctx: RequestContext,
): PolicyVerdict {
  const matching = statements.filter((s) => applies(s, ctx));
  const deny = matching.find((s) => s.Effect === "Deny");
  if (deny) return { effect: "deny", sid: deny.Sid ?? "(no Sid)" };
  const allow = matching.find((s) => s.Effect === "Allow");
  return allow ? { effect: "allow", sid: allow.Sid ?? "(no Sid)" } : { effect: "none" };
}

export type { Statement as BucketPolicyStatement };
