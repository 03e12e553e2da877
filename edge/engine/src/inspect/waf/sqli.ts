import { ARGS_HEADERS, type Paranoia, type WafRule } from "./rule.ts";
import { lexSql, type SqlToken } from "./sql-lexer.ts";

const STACKABLE = new Set([
  "select",
  "insert",
  "update",
  "delete",
  "drop",
  "create",
  "alter",
  "exec",
  "execute",
  "declare",
  "shutdown",
  "truncate",
  "waitfor",
  "union",
  "grant",
  "set",
  "merge",
  "replace",
  "load",
  "handler",
  "call",
  "rename",
  "begin",
]);
const STRONG_FUNCTIONS = new Set([
  "sleep",
  "benchmark",
  "pg_sleep",
  "load_file",
  "extractvalue",
  "updatexml",
  "xmltype",
  "sys_eval",
  "sys_exec",
  "name_const",
  "dbms_pipe.receive_message",
  "utl_inaddr.get_host_address",
  "utl_http.request",
  "dbms_lock.sleep",
  "randomblob",
  "geometrycollection",
  "polygon",
  "multipoint",
  "linestring",
  "exp",
  "json_keys",
  "gtid_subset",
  "xp_cmdshell",
  "sp_executesql",
  "openrowset",
  "opendatasource",
  "lo_import",
  "pg_read_file",
  "make_set",
  "elt",
  "procedure",
  "dbms_xmlgen.getxml",
  "ctxsys.drithsx.sn",
]);
const WEAK_FUNCTIONS = new Set([
  "char",
  "chr",
  "nchar",
  "concat",
  "concat_ws",
  "group_concat",
  "substring",
  "substr",
  "mid",
  "ascii",
  "ord",
  "hex",
  "unhex",
  "version",
  "database",
  "user",
  "current_user",
  "system_user",
  "session_user",
  "schema",
  "if",
  "iif",
  "ifnull",
  "isnull",
  "nullif",
  "coalesce",
  "cast",
  "convert",
  "md5",
  "sha1",
  "count",
  "floor",
  "rand",
  "length",
  "len",
  "left",
  "right",
  "instr",
  "locate",
  "position",
  "lower",
  "upper",
  "reverse",
  "db_name",
  "user_name",
  "current_database",
  "to_char",
  "strcmp",
  "regexp_substr",
  "bin",
  "oct",
  "conv",
  "char_length",
  "quote",
  "load_extension",
  "sqlite_version",
  "unicode",
]);
const SYSTEM_OBJECTS =
  /^(information_schema|sysobjects|syscolumns|sysusers|mysql\.user|mysql\.db|pg_catalog|pg_shadow|pg_user|sqlite_master|sqlite_schema|all_tables|user_tables|dba_users|sys\.|master\.\.|msysobjects|@@version|@@datadir|@@hostname|@@basedir|xp_cmdshell|sp_password|sp_executesql)/;
const BOOLEAN = new Set(["or", "and", "xor", "not", "||", "&&", "div"]);
const COMPARE = new Set([
  "=",
  "==",
  "<",
  ">",
  "<=",
  ">=",
  "<>",
  "!=",
  "<=>",
  "like",
  "rlike",
  "regexp",
  "is",
  "in",
  "between",
  "sounds",
  "glob",
  "match",
]);
const KEYWORDS = new Set([
  ...STACKABLE,
  ...BOOLEAN,
  ...COMPARE,
  "from",
  "where",
  "having",
  "order",
  "group",
  "by",
  "limit",
  "offset",
  "into",
  "values",
  "table",
  "null",
  "true",
  "false",
  "case",
  "when",
  "then",
  "else",
  "end",
  "all",
  "distinct",
  "as",
  "on",
  "join",
  "outfile",
  "dumpfile",
]);

function isValue(t: SqlToken | undefined): boolean {
  if (!t) return false;
  if (t.kind === "num" || t.kind === "str" || t.kind === "var") return true;
  return t.kind === "word" && (!KEYWORDS.has(t.text) || ["null", "true", "false"].includes(t.text));
}

function show(tokens: SqlToken[], from: number, count: number): string {
  return tokens
    .slice(Math.max(0, from), from + count)
    .map((t) => (t.kind === "str" ? `'${t.text}'` : t.text))
    .join(" ");
}

function unionSelect(tokens: SqlToken[]): number {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.text !== "union") continue;
    let j = i + 1;
    while (
      ["all", "distinct", "(", "/*!"].includes(tokens[j]?.text ?? "") ||
      tokens[j]?.kind === "comment"
    )
      j++;
    if (tokens[j]?.text === "select") return i;
  }
  return -1;
}

function selectShape(tokens: SqlToken[], breakout: boolean): number {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.text !== "select") continue;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (!next) continue;
    if (next.kind === "num" || next.kind === "var" || next.text === "*" || next.text === "null")
      return i;
    if (next.kind === "word" && (after?.kind === "lparen" || after?.kind === "comma")) return i;
    if (breakout && tokens.slice(i + 1, i + 10).some((t) => t.text === "from")) return i;
  }
  return -1;
}

/*
 * A statement stacked after a semicolon. Only SHUTDOWN is complete on its own; any other keyword
 * needs an operand after it, and a bare `@` names no variable (`;set @` runs nothing).
 */
function stacked(tokens: SqlToken[]): number {
  return tokens.findIndex((t, i) => {
    const keyword = tokens[i + 1]?.text ?? "";
    if (t.kind !== "semi" || !STACKABLE.has(keyword)) return false;
    const operand = tokens[i + 2];
    return keyword === "shutdown" || (operand !== undefined && operand.text !== "@");
  });
}

function tautology(tokens: SqlToken[], breakout: boolean): number {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || !BOOLEAN.has(t.text) || !breakout) continue;
    // `is not` is one comparison operator, not a boolean joining a new clause.
    if (t.text === "not" && tokens[i - 1]?.text === "is") continue;
    const a = tokens[i + 1];
    const op = tokens[i + 2];
    const b = tokens[i + (op?.text === "is" && tokens[i + 3]?.text === "not" ? 4 : 3)];
    if (
      isValue(a) &&
      op &&
      (COMPARE.has(op.text) || op.kind === "op") &&
      (isValue(b) || b?.kind === "lparen")
    )
      return i;
    if (isValue(a) && a?.kind !== "word" && (!op || op.kind === "comment" || op.kind === "semi"))
      return i;
    if (a?.kind === "word" && (a.text === "true" || a.text === "false")) return i;
    if (
      a?.kind === "word" &&
      op?.kind === "lparen" &&
      (STRONG_FUNCTIONS.has(a.text) || WEAK_FUNCTIONS.has(a.text))
    )
      return i;
    if (a?.kind === "lparen" || a?.text === "exists" || a?.text === "select") return i;
  }
  return -1;
}

function functionCall(tokens: SqlToken[], breakout: boolean): number {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== "word") continue;
    const call = tokens[i + 1]?.kind === "lparen";
    if (call && STRONG_FUNCTIONS.has(t.text)) return i;
    if (t.text === "waitfor" && ["delay", "time"].includes(tokens[i + 1]?.text ?? "")) return i;
    const prev = tokens[i - 1];
    const joined = prev && (prev.kind === "op" || BOOLEAN.has(prev.text) || prev.kind === "semi");
    if (call && WEAK_FUNCTIONS.has(t.text) && breakout && joined) return i;
  }
  return -1;
}

function breakoutTail(tokens: SqlToken[], quoted: boolean): number {
  if (!quoted) return -1;
  const second = tokens[1];
  if (second?.kind === "comment" && second.text !== "/*!") return 0;
  if (second?.kind === "semi" || (second?.kind === "rparen" && tokens[2]?.kind === "comment"))
    return 0;
  if (
    second?.kind === "word" &&
    ["order", "group", "having", "limit", "procedure", "into", "regexp", "rlike"].includes(
      second.text,
    )
  )
    return 0;
  return -1;
}

/*
 * The tail of a select list after a break-out: a value, an alias, FROM ("1234 AS \"x\" FROM t",
 * "` AS `user_id` from"). Prose says "10 as usual from now on", so an unquoted start needs a
 * quoted alias; after a quote break-out any identifier will do.
 */
function aliasFrom(tokens: SqlToken[], quoted: boolean): number {
  const [first, as, alias, from] = tokens;
  if (as?.text !== "as" || from?.text !== "from") return -1;
  if (quoted && first?.kind === "str" && (alias?.kind === "word" || alias?.kind === "str"))
    return 0;
  return first?.kind === "num" && alias?.kind === "str" ? 0 : -1;
}

type Check = (tokens: SqlToken[], breakout: boolean, quoted: boolean) => number;

const PL1_CHECKS: Check[] = [
  (t) => unionSelect(t),
  (t, _b, q) => selectShape(t, q),
  (t) => stacked(t),
  (t, b) => tautology(t, b),
  (t, b) => functionCall(t, b),
  (t, _b, q) => breakoutTail(t, q),
  (t, _b, q) => aliasFrom(t, q),
  (t) => t.findIndex((x) => (x.kind === "word" || x.kind === "var") && SYSTEM_OBJECTS.test(x.text)),
  (t) =>
    t.findIndex(
      (x, i) => x.text === "into" && ["outfile", "dumpfile"].includes(t[i + 1]?.text ?? ""),
    ),
];

/** True when the value opens like a number or bare word an injected SQL clause could follow. */
function startsAsOperand(tokens: SqlToken[]): boolean {
  const first = tokens[0];
  return first !== undefined && (first.kind === "num" || first.kind === "rparen");
}

/**
 * Judges a value as SQL in three contexts (bare, inside '…', inside "…"), the places a value is
 * pasted into a query. A hit needs SQL structure, not just SQL words, so prose passes.
 */
export function findSqlInjection(value: string, level: Paranoia): string | undefined {
  if (value.length < 2 || !/[\s'"`;()=<>|&/#-]|\bor\b|\band\b/i.test(value)) return undefined;
  const contexts: (string | undefined)[] = [undefined, "'", '"', "`"];
  for (const quote of contexts) {
    if (quote && !value.includes(quote)) continue;
    const tokens = lexSql(value, quote);
    const breakout = quote !== undefined || startsAsOperand(tokens) || level >= 2;
    for (const check of PL1_CHECKS) {
      const at = check(tokens, breakout, quote !== undefined);
      if (at >= 0) return show(tokens, at - 1, 6);
    }
  }
  return undefined;
}

/** A weaker signal kept for higher paranoia: SQL comment sequences and quote-comment pairs. */
function sqlCommentProbe(value: string): string | undefined {
  const m = /(['"`)]\s*(--|#|\/\*)|\/\*!?\d*\s*\w+\s*\*\/|;\s*--)/.exec(value);
  return m?.[0];
}

const SQL_FUNCTION_NAMES =
  "abs|acos|adddate|addtime|aes_decrypt|aes_encrypt|ascii|asin|atan2?|avg|benchmark|bin|bit_and|bit_count|bit_length|bit_or|bit_xor|cast|ceil|ceiling|char|char_length|character_length|charset|chr|coalesce|coercibility|collation|compress|concat|concat_ws|connection_id|conv|convert|convert_tz|cos|cot|count|crc32|curdate|current_date|current_time|current_timestamp|current_user|curtime|database|date_add|date_format|date_sub|datediff|dayname|decode|degrees|des_decrypt|des_encrypt|div|elt|encode|encrypt|exp|export_set|extractvalue|field|find_in_set|floor|format|found_rows|from_base64|from_days|from_unixtime|get_format|get_lock|greatest|group_concat|hex|ifnull|inet_aton|inet_ntoa|insert|instr|is_free_lock|is_used_lock|isnull|last_insert_id|lcase|least|left|length|ln|load_file|locate|log|log10|log2|lower|lpad|ltrim|make_set|master_pos_wait|md5|mid|name_const|now|nullif|oct|octet_length|old_password|ord|password|period_add|period_diff|pi|position|pow|power|quote|radians|rand|release_lock|repeat|replace|reverse|right|round|row_count|rpad|rtrim|schema|sec_to_time|session_user|sha1?|sha2|sign|sin|sleep|soundex|space|sqrt|std|stddev|str_to_date|strcmp|subdate|substr|substring|substring_index|subtime|sum|sysdate|system_user|tan|time_format|time_to_sec|timediff|timestamp|timestampadd|timestampdiff|to_base64|to_days|trim|truncate|ucase|uncompress|uncompressed_length|unhex|unix_timestamp|updatexml|upper|user|uuid|uuid_short|values|variance|version|weight_string|sqlite_compileoption_used|sqlite_compileoption_get|sqlite_version|starts_with|jsonb_pretty|json_build_object|json_object|json_extract|unistr|lo_get|lo_import|pg_sleep|pg_read_file|current_setting|query_to_xml|xmltype|utl_inaddr|utl_http|dbms_pipe|ctxsys|sys_context|iif|choose|openrowset|opendatasource|db_name|host_name|is_srvrolemember|serverproperty|suser_name|fn_xe_file_target_read_file";
const SQL_FUNCTION_CALL = new RegExp(
  `(?<![\\p{L}\\p{N}_.$])(?:${SQL_FUNCTION_NAMES})\\s*\\\\?\\(`,
  "giu",
);
/** Words after which a function call is SQL grammar rather than a sentence. */
const SQL_KEYWORDS_BEFORE_CALL =
  /^(?:select|where|and|or|not|xor|by|from|union|all|having|when|then|else|in|like|is|as|on|set|values|return|case|if|div|mod|rlike|regexp|between|exists|distinct|into|limit|offset|order|group|join|and|procedure|call|exec|execute|do)$/i;

/*
 * SQL never puts three ordinary words in a row: past a function call, "…), following wood edge
 * south" is a sentence, and a fragment that does not parse runs nothing. Words inside quotes or
 * after a comment start do not count, so prose hidden there cannot excuse a call.
 */
const THREE_WORDS = /(?:^|[^\p{L}\p{N}_'"`@$.])(\p{L}+)\s+(\p{L}+)\s+(\p{L}+)(?![\p{L}\p{N}_(])/gu;

function proseFollows(rest: string): boolean {
  const close = rest.indexOf(")");
  if (close < 0) return false;
  const tail = rest.slice(close + 1);
  const code = tail.split(/--|#|\/\*|['"`]/, 1)[0] ?? "";
  for (const m of code.matchAll(THREE_WORDS)) {
    if (m.slice(1).every((w) => !KEYWORDS.has(w.toLowerCase()))) return true;
  }
  return false;
}

/**
 * A function call as SQL writes it. "left (for right handed users)" in a sentence is prose: a
 * name spaced from its parenthesis and preceded by an ordinary word, where SQL would have an
 * operator, a comma, a parenthesis or a keyword.
 */
function sqlFunctionCall(value: string): string | undefined {
  if (!value.includes("(")) return undefined;
  for (const m of value.matchAll(SQL_FUNCTION_CALL)) {
    const spaced = /\s\\?\($/.test(m[0]);
    const before = /([\p{L}\p{N}]+)\s+$/u.exec(
      value.slice(Math.max(0, m.index - 40), m.index),
    )?.[1];
    if (spaced && before !== undefined && !SQL_KEYWORDS_BEFORE_CALL.test(before)) continue;
    if (spaced && proseFollows(value.slice(m.index + m[0].length))) continue;
    return m[0];
  }
  return undefined;
}
const SQL_DIALECT =
  /::\s*(?:int|integer|bigint|smallint|bool|boolean|text|varchar|char|json|jsonb|regclass|oid|numeric|float|real|date|bytea|xml|double\s+precision|timestamp|interval|uuid|inet|money)\b|\b(?:alter|create|drop|truncate|rename)\s+(?:table|database|schema|function|procedure|trigger|view|user|index)\b|\bdeclare\s*(?:\/\*.*?\*\/)?\s*@|\bexec(?:ute)?\s*\(?\s*@|\bexec(?:ute)?\s+(?:master|xp_|sp_)|\bprocedure\s+analyse\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b|\bload\s+data\b|\bwaitfor\s+(?:delay|time)\b|^(?:4294967296|4294967295|2147483648|2\.2250738585072011e-308|18446744073709551615|9223372036854775808)$/i;
const NOSQL_OPERATOR =
  /(?:^|[[{"'\s])\$(?:ne|eq|gt|gte|lt|lte|in|nin|not|nor|or|and|where|regex|exists|elemmatch|text|expr|type|size|all|mod|jsonschema|function|accumulator|lookup|search)\b/i;

/** What findSqlDialect needs: the parenthesis of a call, or either pattern of its own. */
const DIALECT_TRIGGER = new RegExp(`\\(|${SQL_DIALECT.source}|${NOSQL_OPERATOR.source}`, "i");

/** Database-specific SQL: function calls, casts, DDL and stored procedures, NoSQL operators. */
function findSqlDialect(value: string): string | undefined {
  return sqlFunctionCall(value) ?? SQL_DIALECT.exec(value)?.[0] ?? NOSQL_OPERATOR.exec(value)?.[0];
}

export const sqliRules: WafRule[] = [
  {
    id: "sqli-dialect",
    category: "sqli",
    paranoia: 1,
    severity: "critical",
    description: "SQL function calls, casts, DDL, stored procedures and NoSQL query operators",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls", "htmlEntityDecode"],
    match: (value) => findSqlDialect(value),
    trigger: DIALECT_TRIGGER,
  },
  {
    id: "sqli-structure",
    category: "sqli",
    paranoia: 1,
    severity: "critical",
    description:
      "SQL structure (union select, stacked query, tautology, timing functions) in a value",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls", "htmlEntityDecode"],
    match: (value) => findSqlInjection(value, 1),
  },
  {
    id: "sqli-structure-headers",
    category: "sqli",
    paranoia: 2,
    severity: "critical",
    description: "SQL structure in request headers (User-Agent, Referer, custom headers)",
    kinds: ["header", "path"],
    transforms: ["removeNulls"],
    match: (value) => findSqlInjection(value, 1),
  },
  {
    id: "sqli-loose",
    category: "sqli",
    paranoia: 2,
    severity: "high",
    description: "SQL keywords in any context (no break-out required) and comment probes",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls", "htmlEntityDecode"],
    match: (value) => findSqlInjection(value, 2) ?? sqlCommentProbe(value),
  },
];
