/** Where a selector key reads its value: a user tag, or a native field or attribute. */
export type SelectorKey =
  | { readonly source: "tag"; readonly name: string }
  | { readonly source: "attr"; readonly name: string };

/** Comparison operators of a predicate. `~*` is the case-insensitive glob. */
export type CompareOp =
  | "=="
  | "!="
  | "~"
  | "~*"
  | "startswith"
  | "endswith"
  | ">="
  | "<="
  | ">"
  | "<";

/** A parsed selector expression. */
export type SelectorNode =
  | { readonly type: "and"; readonly operands: readonly SelectorNode[] }
  | { readonly type: "or"; readonly operands: readonly SelectorNode[] }
  | { readonly type: "not"; readonly operand: SelectorNode }
  | { readonly type: "has"; readonly key: SelectorKey }
  | {
      readonly type: "compare";
      readonly key: SelectorKey;
      readonly op: CompareOp;
      readonly value: string;
    }
  | {
      readonly type: "in";
      readonly key: SelectorKey;
      readonly negated: boolean;
      readonly values: readonly string[];
    };

/** Operators that compare dotted numeric versions rather than strings. */
export const VERSION_OPS: ReadonlySet<CompareOp> = new Set([">=", "<=", ">", "<"]);
