import type { z } from "zod";

/** One problem found in a document: where it is (a JSON path) and what is wrong. */
export interface DocumentIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown when a canonical document (inventory, policy, event) fails validation. */
export class DocumentError extends Error {
  override readonly name = "DocumentError";

  constructor(
    readonly document: string,
    readonly issues: readonly DocumentIssue[],
  ) {
    const first = issues[0];
    const summary = first ? `${first.path}: ${first.message}` : "invalid";
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`invalid ${document}: ${summary}${more}`);
  }
}

/** Renders a zod path as `$.assets[3].tags["Cost Center"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Converts a zod error into document issues with readable paths. */
export function issuesFromZod(error: z.ZodError): DocumentIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Parses `input` with `schema`, throwing a {@link DocumentError} that lists every issue. */
export function parseDocument<T extends z.ZodType>(
  schema: T,
  document: string,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new DocumentError(document, issuesFromZod(result.error));
  return result.data;
}
