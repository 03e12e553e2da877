/**
 * Per-bucket, per-operation rules of the S3 endpoint, in IAM's vocabulary: an explicit deny
 * wins, then an allow, and anything no rule allows is denied.
 */
export type S3Rule = {
  id: string;
  effect: "allow" | "deny";
  /** Access key ids the rule applies to; every client when absent. */
  principals?: string[];
  /** Bucket names, `*` matching any run of characters. */
  buckets: string[];
  /** IAM actions (`s3:GetObject`), `*` matching any run of characters (`s3:Get*`, `s3:*`). */
  actions: string[];
  /** Only keys starting with this; every key (and bucket-level operations) when absent. */
  keyPrefix?: string;
};

/** What a rule is matched against. */
export type S3Request = { accessKeyId: string; bucket: string; key: string; action: string };

/** The verdict and the rule that decided it (none for the default deny). */
export type S3RuleVerdict = { allow: boolean; ruleId: string | undefined };

function glob(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  let at = 0;
  for (const [index, part] of parts.entries()) {
    if (index === 0) {
      if (!value.startsWith(part)) return false;
      at = part.length;
    } else if (index === parts.length - 1) {
      return value.length - part.length >= at && value.endsWith(part);
    } else {
      const found = value.indexOf(part, at);
      if (found === -1) return false;
      at = found + part.length;
    }
  }
  return true;
}

function matches(rule: S3Rule, request: S3Request): boolean {
  if (rule.principals && !rule.principals.includes(request.accessKeyId)) return false;
  if (!rule.buckets.some((bucket) => glob(bucket, request.bucket))) return false;
  if (!rule.actions.some((action) => glob(action, request.action))) return false;
  return rule.keyPrefix === undefined || request.key.startsWith(rule.keyPrefix);
}

/** Judges one request against the rules. */
export function judgeS3(rules: readonly S3Rule[], request: S3Request): S3RuleVerdict {
  const deny = rules.find((rule) => rule.effect === "deny" && matches(rule, request));
  if (deny) return { allow: false, ruleId: deny.id };
  const allow = rules.find((rule) => rule.effect === "allow" && matches(rule, request));
  return { allow: allow !== undefined, ruleId: allow?.id };
}
