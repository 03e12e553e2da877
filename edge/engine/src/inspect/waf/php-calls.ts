/*
 * PHP call detection on a compacted reading of the value. Attackers hide a call from simple
 * patterns with comments (`exec/*x*\/(`, `exec#\n(`), whitespace, hex escapes in strings
 * (`"\x73ystem"`) and by building the function name at run time (`"sys"."tem"(…)`,
 * `[system][0](…)`, `$a[5]['d'](…)`). Compacting removes the first three, so the remaining
 * tests judge the shape of what is called.
 */

/** Function names dangerous or typical enough in payloads that any call of them counts. */
const RISKY_NAMES = [
  "system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function",
  "call_user_func|call_user_func_array|preg_replace|include|include_once|require|require_once",
  "base64_decode|str_rot13|gzinflate|gzuncompress|gzdecode|zlib_decode|convert_uudecode",
  "hex2bin|file_get_contents|file_put_contents|fopen|fwrite|fputs|fread|readfile|file|unlink",
  "rename|copy|mkdir|rmdir|chmod|move_uploaded_file|phpinfo|php_uname|getenv|putenv|ini_set",
  "unserialize|serialize|var_dump|var_export|print_r|highlight_file|show_source|glob|scandir",
  "opendir|readdir|dir|fsockopen|pfsockopen|mail|dl|extract|parse_str|array_map|usort",
  "register_shutdown_function|ob_start|chr|ord|strrev|symlink|link|escapeshellcmd|define",
  "constant|getcwd|gethostbyname|sleep|md5|sha1|crc32|str_replace|substr|implode|explode",
  "is_array|is_string|is_numeric|is_callable|is_file|is_dir|file_exists|stat|touch|tempnam",
  "header|setcookie|fpassthru|fgets|unpack|pack|strip_tags|stripslashes|addslashes|printf",
  "sprintf|vsprintf|fprintf|filegroup|fileowner|fileperms|posix_getpwuid|assert_options",
  "htmlspecialchars|html_entity_decode|urldecode|rawurldecode|strtolower|strtoupper|ucfirst",
  "array_filter|array_walk|iterator_apply|forward_static_call|func_get_args|compact|range",
].join("|");

/** English words among those names; they count only with arguments that read as code. */
const PLAIN_WORDS = new Set(
  [
    "file copy link header stat touch dir mail extract sleep include require system",
    "exec glob rename mkdir chr ord define constant range compact pack printf",
  ]
    .join(" ")
    .split(" "),
);

const CALL = new RegExp(`(?:^|[^\\w$>:\\\\])(${RISKY_NAMES})(=?)\\((.?)`, "gi");
const CODE_ARGUMENT = /^(?:\)|['"$]|[\w./-]+\))/;

/** A `\\x..` escape, which compacting turns into the character it names. */
export const HEX_ESCAPE = /\\x/i;

/** Strips comments, hex escapes and the spaces around punctuation, as PHP's lexer would. */
export function compactPhp(value: string): string {
  return value
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(?<!:)\/\/[^\n]*(?:\n|$)|#[^\n]*\n/g, "")
    .replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )
    .replace(/\s*([()[\]{}.;=,'"$@])\s*/g, "$1")
    .replace(/\s+/g, " ");
}

/** The first call of a risky PHP function in a compacted value. */
export function namedCall(compact: string): string | undefined {
  for (const m of compact.matchAll(CALL)) {
    const name = (m[1] ?? "").toLowerCase();
    const after = compact.slice((m.index ?? 0) + m[0].length - (m[3] ?? "").length);
    // A bracket at the very end is a fragment, not a call PHP could run.
    if (m[3] === "") continue;
    if (PLAIN_WORDS.has(name) && (m[2] !== "" || !CODE_ARGUMENT.test(after))) continue;
    return m[0].replace(/^[^\w]/, "");
  }
  return undefined;
}

/*
 * Calls whose target is computed: a variable with any chain of subscripts (`$a[5]['d'](`,
 * `$OOO{0}(`, `${@a}(`), a quoted name (`"system"(`), or the result of a bracketed expression
 * called again (`(x)('uname')`, `[system][0](ls)`). An empty subscript (`$a[]()`) is not a
 * call PHP accepts, so it is left out.
 */
const COMPUTED_CALLS = [
  /\$+(?:\w+|\{[^{}]+\})(?:\[[^\]]+\]|\{[^{}]+\})*\(/,
  /["'][\w\\]+["']\((?:\)|['"$]|[\w./-]+\))/,
  /(?<![[{(])[)\]}]\((?:['"][^'"()]*['"]|\$?\w+)?\)/,
];

/** Variable variables (`${$a}`, `${'a'}`, `$ {CONST}`) that JavaScript templates never hold. */
const VARIABLE_VARIABLE = /\$\s+\{\s*[^\s}]|\$\{\s*[$@'"]/;

/** The first computed call or variable variable in a value. */
export function computedCall(raw: string): string | undefined {
  // Every shape needs a `(` or a `$`, in the value or spelled as a hex escape.
  if (!raw.includes("(") && !raw.includes("$") && !HEX_ESCAPE.test(raw)) return undefined;
  const spaced = VARIABLE_VARIABLE.exec(raw);
  if (spaced) return spaced[0];
  const compact = compactPhp(raw);
  for (const shape of COMPUTED_CALLS) {
    const m = shape.exec(compact);
    if (m) return m[0];
  }
  return VARIABLE_VARIABLE.exec(compact)?.[0];
}
