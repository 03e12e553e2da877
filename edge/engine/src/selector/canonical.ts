import type { SelectorKey, SelectorNode } from "./ast.ts";
import { parseSelector } from "./parser.ts";

const PLAIN_TAG = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PLAIN_ATTR = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;
const RESERVED = new Set([
  "and",
  "or",
  "not",
  "in",
  "has",
  "startswith",
  "endswith",
  "tag",
  "attr",
]);

/** Quotes a string the one canonical way: JSON double-quoted. */
function quote(text: string): string {
  return JSON.stringify(text);
}

/** Prints a key in its shortest unambiguous spelling. */
export function formatKey(key: SelectorKey): string {
  if (key.source === "tag") {
    return PLAIN_TAG.test(key.name) && !RESERVED.has(key.name)
      ? `tag.${key.name}`
      : `tag[${quote(key.name)}]`;
  }
  const first = key.name.split(".")[0] ?? "";
  const plain = PLAIN_ATTR.test(key.name) && !RESERVED.has(first);
  return plain ? key.name : `attr[${quote(key.name)}]`;
}

/** Rewrites a tree into canonical form: nested and/or flattened, operands sorted and unique. */
export function normalizeSelector(node: SelectorNode): SelectorNode {
  switch (node.type) {
    case "not": {
      const inner = normalizeSelector(node.operand);
      return inner.type === "not" ? inner.operand : { type: "not", operand: inner };
    }
    case "and":
    case "or":
      return normalizeJunction(node.type, node.operands);
    case "in":
      return { ...node, values: [...new Set(node.values)].sort() };
    default:
      return node;
  }
}

function normalizeJunction(type: "and" | "or", operands: readonly SelectorNode[]): SelectorNode {
  const flat: SelectorNode[] = [];
  for (const operand of operands.map(normalizeSelector)) {
    if (operand.type === type) flat.push(...operand.operands);
    else flat.push(operand);
  }
  const byText = new Map<string, SelectorNode>();
  for (const operand of flat) byText.set(formatSelector(operand), operand);
  const sorted = [...byText.keys()].sort().map((text) => byText.get(text) as SelectorNode);
  return sorted.length === 1 && sorted[0] ? sorted[0] : { type, operands: sorted };
}

/** Prints a tree; parentheses appear only where precedence requires them. */
export function formatSelector(node: SelectorNode): string {
  switch (node.type) {
    case "and":
      return node.operands
        .map((o) => (o.type === "or" ? `(${formatSelector(o)})` : formatSelector(o)))
        .join(" and ");
    case "or":
      return node.operands.map(formatSelector).join(" or ");
    case "not": {
      const inner = formatSelector(node.operand);
      const compound = node.operand.type === "and" || node.operand.type === "or";
      return compound ? `not (${inner})` : `not ${inner}`;
    }
    case "has":
      return `has ${formatKey(node.key)}`;
    case "in":
      return `${formatKey(node.key)} ${node.negated ? "not in" : "in"} [${node.values.map(quote).join(", ")}]`;
    case "compare":
      return `${formatKey(node.key)} ${node.op} ${quote(node.value)}`;
  }
}

/**
 * The canonical text of a selector: two spellings that differ only in quoting, spacing,
 * operand order of and/or, nesting of the same operator, duplicate operands, list order or
 * double negation produce the same string. Throws SelectorSyntaxError on invalid input.
 */
export function canonicalSelector(source: string): string {
  return formatSelector(normalizeSelector(parseSelector(source)));
}
