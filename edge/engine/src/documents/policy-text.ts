import { parseDocument as parseYamlDocument } from "yaml";
import { DocumentError } from "./errors.ts";
import { type Policy, parsePolicy } from "./policy.ts";

/**
 * Parses a policy written as JSON or YAML text (YAML 1.2 is a superset of JSON) and validates
 * it. Syntax errors name the line and column; schema errors name the JSON path.
 */
export function parsePolicyText(text: string): Policy {
  const document = parseYamlDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const at = error.linePos?.[0];
      const where = at ? `line ${at.line}, column ${at.col}` : "$";
      return { path: where, message: error.message.split("\n")[0] ?? error.code };
    });
    throw new DocumentError("policy", issues);
  }
  return parsePolicy(document.toJS({ maxAliasCount: 100 }));
}
