/**
 * The selector language: boolean expressions over asset tags and attributes that define
 * dynamic address objects. See docs/engine/selectors.md for the grammar and semantics.
 */
export type { CompareOp, SelectorKey, SelectorNode } from "./ast.ts";
export { canonicalSelector, formatKey, formatSelector, normalizeSelector } from "./canonical.ts";
export { SelectorSyntaxError } from "./errors.ts";
export { ASSET_FIELDS, compareValue, evaluateSelector, lookupKey } from "./evaluate.ts";
export { globMatch } from "./glob.ts";
export { MAX_SELECTOR_LENGTH } from "./lexer.ts";
export { MAX_SELECTOR_DEPTH, parseSelector } from "./parser.ts";
export { compareVersions, isVersion } from "./version.ts";
