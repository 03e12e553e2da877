import { ARGS, ARGS_HEADERS, patternRule, type WafRule } from "./rule.ts";

const PHP_FUNCTIONS =
  "system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|assert_options|create_function|call_user_func|call_user_func_array|preg_replace|preg_replace_callback|include|include_once|require|require_once|base64_decode|base64_encode|str_rot13|gzinflate|gzuncompress|gzdecode|convert_uudecode|hex2bin|file_get_contents|file_put_contents|fopen|fwrite|fputs|fread|readfile|file|unlink|rename|copy|mkdir|rmdir|chmod|move_uploaded_file|phpinfo|phpversion|php_uname|getenv|putenv|ini_set|ini_get|ini_get_all|set_time_limit|ignore_user_abort|unserialize|serialize|var_dump|var_export|print_r|highlight_file|show_source|parse_ini_file|glob|scandir|opendir|readdir|dir|curl_exec|curl_init|fsockopen|pfsockopen|stream_socket_client|socket_create|mail|mb_send_mail|dl|extract|parse_str|array_map|array_filter|array_walk|usort|uasort|uksort|register_shutdown_function|register_tick_function|ob_start|chr|ord|strrev|posix_getpwuid|posix_kill|posix_setuid|apache_child_terminate|symlink|link|escapeshellcmd|escapeshellarg|get_defined_vars|get_current_user|getcwd|gethostbyname|sleep|usleep|md5|sha1|crc32|str_replace|substr|implode|explode|is_dir|is_file|file_exists|stat|touch|tempnam|tmpfile|spl_autoload_register|iterator_apply|forward_static_call|func_get_args|session_start|header|setcookie|fpassthru|fgets|fgetc|fscanf|fpassthru|bzopen|gzopen|zip_open|simplexml_load_string|simplexml_load_file|xml_parse|mb_ereg_replace|mb_eregi_replace|ereg_replace|eregi_replace";
/** English words that are also PHP functions; they count only when the parenthesis follows at once. */
const PLAIN_WORDS = new Set([
  "file",
  "copy",
  "link",
  "header",
  "stat",
  "touch",
  "dir",
  "mail",
  "extract",
  "sleep",
  "include",
  "require",
  "system",
  "exec",
  "glob",
  "rename",
  "mkdir",
  "chr",
  "ord",
  "md5",
  "sha1",
  "crc32",
  "substr",
  "implode",
  "explode",
  "serialize",
  "unlink",
]);
const PHP_CALL_SHAPE = new RegExp(
  `(?:^|[^\\w$>:])(${PHP_FUNCTIONS})(\\s*)(?:\\(|/\\*.*?\\*/\\s*\\(|["'])`,
  "gi",
);

const PHP_FAMILIES =
  /(?:posix_\w+|pcntl_\w+|proc_\w+|stream_\w+|ftp_\w+|curl_\w+|mysqli?_\w+|pg_\w+|gz(?:inflate|uncompress|decode|open|file)|bz(?:open|decompress)|ini_\w+|ob_\w+|array_\w+|str_\w+|preg_\w+|mb_\w+|fsockopen|pfsockopen|unpack|intval|get_\w+|func_\w+|call_user_\w+|create_function|base64_\w+|phpinfo|apache_\w+|shell_exec|escapeshell\w+)\s*\(/i;

/** Finds a dangerous PHP function call; common English words need the bracket right after. */
function phpCall(raw: string): string | undefined {
  const value = raw.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*\n|#[^\n]*\n/g, " ").replace(/\s+/g, " ");
  const family = PHP_FAMILIES.exec(value);
  if (family) return family[0];
  for (const m of value.matchAll(PHP_CALL_SHAPE)) {
    const name = (m[1] ?? "").toLowerCase();
    if (PLAIN_WORDS.has(name) && (m[2] !== "" || !m[0].endsWith("("))) continue;
    return m[0].trim();
  }
  return undefined;
}
const PHP_TAG = /<\?(?:php|=|\s)|<\?$|\?>\s*$|<script\s+language\s*=\s*["']?php/i;
const PHP_WRAPPER =
  /\b(?:php|phar|zlib|glob|expect|data|compress\.zlib|compress\.bzip2|zip|rar|ogg|ssh2(?:\.\w+)?)\s*:\/\//i;
const PHP_VARIABLES =
  /\$_(?:GET|POST|COOKIE|REQUEST|SERVER|FILES|ENV|SESSION)\b|\$GLOBALS\b|\$HTTP_(?:GET|POST|COOKIE|RAW_POST_DATA|SERVER|ENV)_VARS|\bphp:\/\/input|\bHTTP_RAW_POST_DATA\b/i;
const PHP_CONFIG =
  /\b(?:allow_url_include|allow_url_fopen|auto_prepend_file|auto_append_file|disable_functions|open_basedir|safe_mode|register_globals|magic_quotes_gpc|display_errors|file_uploads|enable_dl|suhosin\.\w+|session\.save_path|mail\.force_extra_parameters|error_log|include_path|output_handler|short_open_tag|assert\.active|zend\.\w+|opcache\.\w+|xdebug\.\w+|memory_limit|max_execution_time|upload_tmp_dir|sendmail_path)\s*[=:]/i;
const PHP_SERIALIZED = /\b[OCaisbd]:\d+:(?:["{]|\d)|\bO:\+?\d+:"\w+"/;
const PHP_VARIABLE_CALL =
  /\$+\w+\s*(?:\[[^\]]*\]\s*)*\(|\$\{\s*['"]?\w+['"]?\s*\}|\$\s*\{\s*['"]|\(\s*["']?[\w.'" ]+["']?\s*\)\s*\(|\(\s*\w+\s*\)\s*\(\s*['"$]/;
const PHP_UPLOAD =
  /\.(?:php\d*|phtml|phar|pht|phps|php-s|inc|hphp|ctp|module|shtml|htaccess|user\.ini)(?:\s*[\0.\s]*)?$/i;

export const phpRules: WafRule[] = [
  patternRule(
    {
      id: "php-open-tag",
      category: "php",
      paranoia: 1,
      severity: "critical",
      description: "PHP opening and closing tags",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    PHP_TAG,
  ),
  patternRule(
    {
      id: "php-wrapper",
      category: "php",
      paranoia: 1,
      severity: "critical",
      description: "PHP stream wrappers (php://, phar://, zlib://, expect://)",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    PHP_WRAPPER,
  ),
  {
    id: "php-function-call",
    category: "php",
    paranoia: 1,
    severity: "critical",
    description: "a call of a dangerous PHP function",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls", "compressWhitespace"],
    match: (value) => phpCall(value),
  },
  patternRule(
    {
      id: "php-superglobal-config",
      category: "php",
      paranoia: 1,
      severity: "critical",
      description: "PHP superglobals and configuration directives",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    new RegExp(`${PHP_VARIABLES.source}|${PHP_CONFIG.source}`, "i"),
  ),
  patternRule(
    {
      id: "php-object-injection",
      category: "php",
      paranoia: 1,
      severity: "critical",
      description: "PHP serialized objects (object injection through unserialize)",
      kinds: ARGS,
      transforms: ["removeNulls"],
    },
    PHP_SERIALIZED,
  ),
  patternRule(
    {
      id: "php-variable-function",
      category: "php",
      paranoia: 1,
      severity: "critical",
      description: "variable function calls and string-built function names",
      kinds: ARGS,
      transforms: ["removeNulls", "compressWhitespace"],
    },
    PHP_VARIABLE_CALL,
  ),
  {
    id: "php-script-upload",
    category: "php",
    paranoia: 1,
    severity: "critical",
    description: "an uploaded file name with a PHP-executable extension",
    kinds: ["body", "header"],
    transforms: [],
    match: (value, field) => {
      const isFileName = field.location.startsWith("file:") || /file-?name/i.test(field.name);
      return isFileName ? PHP_UPLOAD.exec(value)?.[0] : undefined;
    },
  },
];
