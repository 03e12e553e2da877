import { compactPhp, computedCall, HEX_ESCAPE, namedCall } from "./php-calls.ts";
import { ARGS, ARGS_HEADERS, patternRule, type WafRule } from "./rule.ts";

const PHP_FAMILIES =
  /(?:posix_\w+|pcntl_\w+|proc_\w+|stream_\w+|ftp_\w+|curl_\w+|mysqli?_\w+|pg_\w+|gz(?:inflate|uncompress|decode|open|file)|bz(?:open|decompress)|ini_\w+|ob_\w+|array_\w+|str_\w+|preg_\w+|mb_\w+|fsockopen|pfsockopen|unpack|intval|get_\w+|func_\w+|call_user_\w+|create_function|base64_\w+|phpinfo|apache_\w+|shell_exec|escapeshell\w+)\s*\(/i;

/** Finds a dangerous PHP function call; common English words need code-like arguments. */
/** A call needs a `(`, in the value or spelled as a hex escape that compacting decodes. */
const CALL_TRIGGER = new RegExp(`\\(|${HEX_ESCAPE.source}`, "i");

function phpCall(raw: string): string | undefined {
  if (!CALL_TRIGGER.test(raw)) return undefined;
  const compact = compactPhp(raw);
  return PHP_FAMILIES.exec(compact)?.[0] ?? namedCall(compact);
}
const PHP_TAG = /<\?(?:php|=|\s)|<\?$|\?>\s*$|<script\s+language\s*=\s*["']?php/i;
const PHP_WRAPPER =
  /\b(?:php|phar|zlib|glob|expect|data|compress\.zlib|compress\.bzip2|zip|rar|ogg|ssh2(?:\.\w+)?)\s*:\/\//i;
const PHP_VARIABLES =
  /\$_(?:GET|POST|COOKIE|REQUEST|SERVER|FILES|ENV|SESSION)\b|\$GLOBALS\b|\$HTTP_(?:GET|POST|COOKIE|RAW_POST_DATA|SERVER|ENV)_VARS|\bphp:\/\/input|\bHTTP_RAW_POST_DATA\b/i;
const PHP_CONFIG =
  /\b(?:allow_url_include|allow_url_fopen|auto_prepend_file|auto_append_file|disable_functions|open_basedir|safe_mode|register_globals|magic_quotes_gpc|display_errors|file_uploads|enable_dl|suhosin\.\w+|session\.save_path|mail\.force_extra_parameters|error_log|include_path|output_handler|short_open_tag|assert\.active|zend\.\w+|opcache\.\w+|xdebug\.\w+|memory_limit|max_execution_time|upload_tmp_dir|sendmail_path)\s*[=:]/i;
const PHP_SERIALIZED = /\b[OCaisbd]:\d+:(?:["{]|\d)|\bO:\+?\d+:"\w+"/;
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
    kinds: [...ARGS_HEADERS.filter((k) => k !== "header"), "path"],
    transforms: ["removeNulls"],
    match: (value) => phpCall(value),
    trigger: CALL_TRIGGER,
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
  {
    id: "php-variable-function",
    category: "php",
    paranoia: 1,
    severity: "critical",
    description: "variable function calls and string-built function names",
    kinds: ARGS,
    transforms: ["removeNulls", "htmlEntityDecode"],
    match: (value) => computedCall(value),
  },
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
