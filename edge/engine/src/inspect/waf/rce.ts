import { ARGS_HEADERS, patternRule, type WafRule } from "./rule.ts";

/** Unix programs an attacker runs after breaking into a shell command line. */
const UNIX_COMMANDS = [
  "cat|tac|nl|head|tail|more|less|ls|dir|id|whoami|uname|hostname|ifconfig|ip|netstat|ss|ps",
  "kill|pkill|killall|env|printenv|export|set|echo|printf|curl|wget|fetch|lwp-download|nc",
  "ncat|netcat|socat|telnet|ssh|scp|sftp|ftp|tftp|bash|sh|zsh|ksh|csh|tcsh|dash|ash|busybox",
  "python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|node|nodejs|lua|java|gcc|cc|make|awk",
  "gawk|nawk|mawk|sed|grep|egrep|fgrep|find|xargs|chmod|chown|chgrp|chattr|rm|rmdir|mv|cp",
  "dd|ln|touch|mkdir|mkfifo|mknod|tar|zip|unzip|gzip|gunzip|zcat|bzip2|xz|base64|base32|xxd",
  "od|hexdump|strings|openssl|nslookup|dig|host|ping|traceroute|crontab|at|nohup|sudo|su",
  "passwd|useradd|usermod|shutdown|reboot|halt|systemctl|service|mount|umount|iptables",
  "sysctl|modprobe|insmod|lsmod|dmesg|last|w|who|finger|uptime|df|du|free|top|history|alias",
  "eval|exec|source|sleep|timeout|time|watch|tee|rev|column|fold|cut|sort|uniq|wc|tr|paste",
  "join|split|diff|cmp|file|stat|readlink|realpath|which|whereis|locate|getent|groups|lsof",
  "strace|ltrace|gdb|vi|vim|nano|ed|emacs|pico|man|info|xterm|screen|tmux|expect|bridge",
  "nmap|masscan|sqlmap|nikto|hydra|john|powershell|pwsh|sh|rsync|git|svn|docker|kubectl|aws",
  "gcloud|az|mail|sendmail|logger|jq|yes|seq|shuf|expr|bc|test|true|false|chroot|nice",
  "renice|env|ulimit|umask|wall|write|mesg|lp|cancel|wall|rpm|dpkg|apt|apt-get|yum|dnf|apk",
  "pip|pip3|npm|gem|cpan|easy_install|composer|c99|c89|g\\+\\+|clang|ld|as|objdump|nm",
  "readelf|pdb|irb|jrunscript|jjs|tclsh|wish|gdb|run-parts|ionice|taskset|setarch|flock",
  "cpulimit|stdbuf|unshare|nsenter|capsh|script|ssh-keygen|ssh-keyscan|cd|comm|perf|rmt",
  "rmt-tar|rmt-dump|trap|lastlog|lastlogin|aa-[a-z]+|zstd|zstdcat|zstdgrep|bsdtar",
  "ansible(?:-[a-z]+)?|chef-[a-z]+|visudo|cscli",
].join("|");

/** Windows programs and shell built-ins that show up in command injection. */
const WINDOWS_COMMANDS = [
  "cmd|cmd\\.exe|command\\.com|powershell|powershell\\.exe|pwsh|wscript|cscript|mshta",
  "rundll32|regsvr32|certutil|bitsadmin|wmic|reg|regedit|net|net1|netsh|sc|schtasks",
  "tasklist|taskkill|systeminfo|ipconfig|whoami|type|dir|copy|xcopy|robocopy|del|erase|rd",
  "rmdir|md|mkdir|move|ren|attrib|icacls|cacls|takeown|vssadmin|wevtutil|bcdedit|bcdboot",
  "diskpart|format|forfiles|findstr|find|more|start|call|set|setx|echo|ping|nslookup",
  "tracert|route|arp|nbtstat|netstat|qprocess|query|quser|runas|msiexec|installutil|regasm",
  "regsvcs|msbuild|odbcconf|cmstp|control|explorer|hh|infdefaultinstall|ieexec|pcalua",
  "forfiles|sfc|shutdown|timeout|tftp|ftp|curl|wget|expand|extrac32|makecab|esentutl",
  "ntdsutil|dsquery|nltest|klist|cipher|compact|fsutil|gpresult|gpupdate|assoc|ftype|pushd",
  "popd|doskey|verify|ver|vol|label|tree|subst|mountvol|pathping|getmac|hostname",
  "driverquery|openfiles|print|prompt|wmplayer",
].join("|");

/** Anything deobfuscateShell would change: quoting tricks, `$` forms, irregular whitespace. */
export const SHELL_NOISE = /[\\'"$]|\s\s|[^\S ]/;
const OBFUSCATION = /\\(?=\S)|['"]|\$@|\$\{?IFS\}?|\$\*/g;

/** Removes shell quoting tricks that split a command word (c\at, c'a't, ca$@t, cat${IFS}x). */
export function deobfuscateShell(value: string): string {
  // Most values hold no quoting trick and no irregular whitespace: one scan says so.
  if (!SHELL_NOISE.test(value)) return value;
  // Each step runs only when its trigger characters are present: most values have none.
  let out = value;
  if (out.includes("$")) {
    out = out.replace(/\$\{?IFS\}?/g, " ").replace(/(?<=[a-z])\$[a-z_]\w*(?=[\s/]|$)/gi, "");
  }
  if (/[\\'"$]/.test(out)) out = out.replace(OBFUSCATION, "");
  return /\s\s|[^\S ]/.test(out) ? out.replace(/\s+/g, " ") : out;
}

const SEPARATOR = "(?:^|[;|&`\\n\\r]|\\$\\(|\\(|&&|\\|\\||<\\(|>\\()";
const PATH_PREFIX = "(?:(?:/usr)?(?:/local)?/s?bin/|/\\S*/)?";
const AFTER = "(?=[\\s<>|;&`)}'\"]|$)";
const UNIX_AFTER_SEPARATOR = new RegExp(
  `${SEPARATOR}\\s*${PATH_PREFIX}(?:${UNIX_COMMANDS})${AFTER}`,
  "i",
);
const UNIX_AFTER_SEPARATOR_ALL = new RegExp(UNIX_AFTER_SEPARATOR.source, "gi");
/** The characters SEPARATOR needs besides the start of the value. */
export const SEPARATOR_CHAR = /[;|&`\n\r(]/;
/**
 * Whatever SHELL_NOISE or SEPARATOR_CHAR matches: their single chars in one class (`\s` other
 * than the space spelled out), and a space before any whitespace.
 */
export const SHELL_NOISE_OR_SEPARATOR =
  /[\\'"$;|&`(\t-\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| \s/;
const UNIX_AFTER_START = new RegExp(`^\\s*${PATH_PREFIX}(?:${UNIX_COMMANDS})${AFTER}`, "i");
const UNIX_AT_START = new RegExp(
  `^\\s*${PATH_PREFIX}(?:${UNIX_COMMANDS})\\s+(?:-{1,2}[a-z]|[/~.]|\\S+\\s*[|;&<>]|https?:|\\S+:\\d|-[a-z]*\\s+\\S)`,
  "i",
);
const WINDOWS_AFTER_SEPARATOR = new RegExp(
  `(?:[;|&\\n\\r]|&&|\\|\\||^(?=[a-z]:\\\\|cmd|powershell|pwsh|certutil|bitsadmin|mshta|rundll32|regsvr32|wmic))\\s*(?:[a-z]:\\\\[^\\s]*\\\\)?(?:${WINDOWS_COMMANDS})(?:\\.exe|\\.com)?(?=[\\s/<>|;&,]|$)`,
  "i",
);
/**
 * What rce-shell-substitution reads: a substitution, or a backtick span. Cutting inline code
 * out leaves a space, so it never joins two chars into one of these.
 */
const SUBSTITUTION_TRIGGER = /\$\(|\$\{|`|[<>]\(|\$\[/;
const SHELL_SUBSTITUTION = /\$\(\s*[^)\s]|\$\{\s*[a-z_]|[<>]\(\s*\w|\$\(\(|\$\[/i;
const BACKTICK_SPAN = /`([^`]+)`/g;
const POWERSHELL =
  /\b(?:invoke-(?:expression|webrequest|restmethod|command|item|wmimethod|shellcode|mimikatz)|iex\s*\(|new-object\s+(?:-typename\s+)?(?:net\.webclient|system\.net)|downloadstring|downloadfile|start-process|set-mppreference|-encodedcommand|-enc\s+[a-z0-9+/=]{8}|-noprofile|-executionpolicy|-windowstyle\s+hidden|get-(?:wmiobject|ciminstance|process|childitem|content)\b|\[system\.(?:convert|text\.encoding|reflection)\])/i;
const WINDOWS_FOR =
  /\bfor\s+(?:\/[dflr]\s+(?:[^%]*\s+)?)?%%?\S+\s+in\s*\(.*\)\s*do\b|^\s*if\s+(?:not\s+)?(?:exist|errorlevel|defined|cmdextversion)\b|^\s*if\s+(?:not\s+)?\S.*?\s(?:equ|neq|lss|leq|gtr|geq)\s|^\s*if\s+(?:not\s+)?\S+\s*==\s*\S+\s+(?:echo|goto|cmd|call|set|start|exit)\b|^\s*if\s+(?:not\s+)?\(.*?\)\s+\w/i;
const WINDOWS_ENV =
  /%(?:comspec|systemroot|windir|programfiles|temp|appdata|userprofile|homedrive|homepath|path|ProgramData|cd|random|date|time|username|computername)%|%\w+:~-?\d/i;

/*
 * Command names that are also everyday English words. After a separator they count only when
 * what follows reads as an argument (a flag, a path, a file name, an address, an operator or
 * nothing), so "hello; time he came" stays prose while ";time -p id" or ";more /etc/x" do not.
 */
const ENGLISH_COMMANDS = new Set(
  [
    "time more less at head tail find ping last test tar w who set which file free",
    "top watch yes cut sort join split paste fold rev column info man mail make host",
    "id ip dir kill touch true false nice wall write cancel expect script source",
    "sleep timeout history alias as ed cc ld su bc df du ps nl od dd cp mv ln ss",
    "service screen bridge finger logger seq tee groups locate stat apt comm trap",
    "perf",
  ]
    .join(" ")
    .split(" "),
);
const ARGUMENT_LIKE = /^\s*(?:$|[-/.~$|;&<>`'"]|\d|\S*[/=]|\S+\.\S)/;

/**
 * Whether a command match is followed by something a shell would take as its argument. A word
 * followed by an opening parenthesis is a function call in most languages and a syntax error in
 * the shell (`exec (`), so it is left to the language rules.
 */
function plausibleCommand(match: string, rest: string): boolean {
  if (/^\s*\(/.test(rest)) return false;
  const word = (/[\w.+-]+$/.exec(match.trim())?.[0] ?? "").toLowerCase();
  if (!ENGLISH_COMMANDS.has(word) || ARGUMENT_LIKE.test(rest)) return true;
  return WRAPPERS.has(word) && wrappedCommand(word, rest);
}

/*
 * Commands whose argument is another command line. After `time`, `nice` and the like, a tool
 * whose name is no word (`time ifconfig`) is the command; `trap` takes a command string, so any
 * program that is not an English word counts (`trap 'rm -rf x' EXIT`). "time he came", "nice
 * find" and "time curl …" (a level-2 shape in CRS) stay unflagged here.
 */
const WRAPPERS = new Set(["time", "nice", "timeout", "watch", "trap", "exec", "sudo", "nohup"]);
const NEXT_WORD = /^\s*([\w.+-]+)/;
const ANY_UNIX_COMMAND = new RegExp(`^(?:${UNIX_COMMANDS})$`, "i");

function wrappedCommand(wrapper: string, rest: string): boolean {
  if (DISTINCTIVE_COMMAND.test(rest)) return true;
  const next = NEXT_WORD.exec(rest)?.[1]?.toLowerCase() ?? "";
  return wrapper === "trap" && ANY_UNIX_COMMAND.test(next) && !ENGLISH_COMMANDS.has(next);
}

/** Tools whose names are not words, so a value that is just the name is already a command. */
const DISTINCTIVE_COMMAND =
  /^\s*(?:ansible(?:-[a-z]+)?|chef-[a-z]+|visudo|cscli|aa-[a-z]+|rmt-(?:tar|dump)|zstd(?:cat|grep|less)?|whoami|ifconfig|netstat|uname|passwd|bsdtar)(?=\s|$)/i;

/*
 * Only a shell expands `[abc]` in a path, which lets an attacker name /etc/passwd without the
 * literal text. Numeric indexes (`/items[0]`) are how APIs and forms name array elements, so
 * they do not count.
 */
const GLOB_PATH = /(?:^|[\s;|&=])\/(?:[\w.-]*\/)*[\w.-]*\[(?!\d+\])!?\^?[^\]\s]{1,8}\][\w.-]*/;

/*
 * cmd.exe's `if`: a comparison with `==`, `/i`, `not` or `exist`, at the start of the value,
 * which is where an injected command line starts.
 */
const WINDOWS_IF = /^\s*if(?:\s*\/i)?\s+(?:not\s+)?(?:exist\s+\S|\S[^\n]*?==)/i;

const WINDOWS_ANY = new RegExp(
  [WINDOWS_AFTER_SEPARATOR, WINDOWS_FOR, WINDOWS_ENV, WINDOWS_IF].map((r) => r.source).join("|"),
  "gi",
);
/*
 * What every alternative of WINDOWS_ANY needs: a separator or `%` somewhere, or one of the
 * words it accepts at the very start. Checked first, since most values hold none of them.
 */
const WINDOWS_TRIGGER =
  /[;|&\n\r%]|^(?:[a-z]:\\|cmd|powershell|pwsh|certutil|bitsadmin|mshta|rundll32|regsvr32|wmic)|^\s*if/i;

const WINDOWS_ENGLISH = new Set(
  [
    "more find start call set type echo copy move ren format print prompt label tree",
    "verify query control compact expand assoc route print",
  ]
    .join(" ")
    .split(" "),
);

/** A cmd.exe command, with everyday words held to the same argument test as on Unix. */
function windowsCommand(value: string): string | undefined {
  if (!WINDOWS_TRIGGER.test(value)) return undefined;
  for (const m of value.matchAll(WINDOWS_ANY)) {
    // A cmd.exe `if` comparison is the command line itself, whatever word follows it.
    if (/^\s*if\s/i.test(m[0])) return m[0];
    const word = (/[\w.]+$/.exec(m[0])?.[0] ?? "").toLowerCase();
    const rest = value.slice((m.index ?? 0) + m[0].length);
    if (!WINDOWS_ENGLISH.has(word) || ARGUMENT_LIKE.test(rest)) return m[0];
  }
  return undefined;
}

/*
 * Chat and Markdown quote commands as inline code: "Use `ls -la` in your terminal". When the
 * text around the backtick spans is prose (several words, no shell operators), the spans are
 * quotations, not command substitution, and are read as plain words.
 */
function withoutInlineCode(value: string): string {
  if (!value.includes("`")) return value;
  const outside = value.replace(/`[^`\n]*`/g, " ");
  const words = outside.match(/[a-z]{2,}/gi) ?? [];
  return words.length >= 4 && !/[;|&$<>`]/.test(outside) ? outside : value;
}

const BACKTICK_COMMAND = new RegExp(
  `^\\s*(?:[./~$]|\\S*[|;&<>]|${PATH_PREFIX}(?:${UNIX_COMMANDS})${AFTER})`,
  "i",
);

/*
 * Backticks substitute a command in the shell but quote an identifier in MySQL (`user`.`name`).
 * A span counts when what it holds reads as a command line: a known program, a path, a variable
 * or shell operators, after the quoting tricks that split a command word are removed.
 */
function backtickCommand(value: string): string | undefined {
  if (!value.includes("`")) return undefined;
  for (const m of value.matchAll(BACKTICK_SPAN)) {
    if (BACKTICK_COMMAND.test(deobfuscateShell(m[1] ?? ""))) return m[0];
  }
  return undefined;
}

function commandAfterSeparator(value: string): string | undefined {
  const bare = withoutInlineCode(value);
  // Prose holds neither shell noise nor a separator char: one scan says so for both.
  const plain = !SHELL_NOISE_OR_SEPARATOR.test(bare);
  const clean = plain ? bare : deobfuscateShell(bare);
  // Without a separator character only the start of the value can match; the anchored form
  // spares a scan of every position of a long value.
  const matches =
    !plain && SEPARATOR_CHAR.test(clean)
      ? clean.matchAll(UNIX_AFTER_SEPARATOR_ALL)
      : [UNIX_AFTER_START.exec(clean)];
  for (const m of matches) {
    if (m && plausibleCommand(m[0], clean.slice((m.index ?? 0) + m[0].length))) {
      return m[0].trim();
    }
  }
  const start = UNIX_AT_START.exec(clean);
  if (start && plausibleCommand(start[0].replace(/\s.*$/, ""), "-")) return start[0].trim();
  return DISTINCTIVE_COMMAND.exec(clean)?.[0].trim();
}

export const rceRules: WafRule[] = [
  {
    id: "rce-unix-command",
    category: "rce",
    paranoia: 1,
    severity: "critical",
    description: "a Unix command after a shell separator, or a command line with arguments",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls"],
    match: (value) =>
      /^\s*[a-z][\w.+-]*\s*$/i.test(value) && !DISTINCTIVE_COMMAND.test(value)
        ? undefined
        : commandAfterSeparator(value),
  },
  {
    id: "rce-windows-command",
    category: "rce",
    paranoia: 1,
    severity: "critical",
    description: "a Windows command after a separator, for loops, %ENV% expansion",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls"],
    // An argument named "cmd" or "find" is a form field; a name only runs with arguments in it.
    match: (value, field) =>
      field.kind === "argName" && !/[\s;|&%]/.test(value) ? undefined : windowsCommand(value),
    trigger: WINDOWS_TRIGGER,
  },
  patternRule(
    {
      id: "rce-powershell",
      category: "rce",
      paranoia: 1,
      severity: "critical",
      description: "PowerShell cmdlets and download cradles",
      kinds: ARGS_HEADERS,
      transforms: ["removeNulls"],
    },
    POWERSHELL,
  ),
  {
    id: "rce-shell-substitution",
    category: "rce",
    paranoia: 1,
    severity: "critical",
    description:
      "shell command or process substitution: dollar-paren, backticks, process and brace expansion",
    kinds: ARGS_HEADERS.filter((k) => k !== "header"),
    transforms: ["removeNulls"],
    trigger: SUBSTITUTION_TRIGGER,
    match: (value) => {
      const text = withoutInlineCode(value);
      return SHELL_SUBSTITUTION.exec(text)?.[0] ?? backtickCommand(text);
    },
  },
  patternRule(
    {
      id: "rce-glob-path",
      category: "rce",
      paranoia: 1,
      severity: "critical",
      description: "a file path spelled with shell bracket globs (/etc/pas[s]wd, /usr/bin/[u]name)",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    GLOB_PATH,
  ),
  patternRule(
    {
      id: "rce-shellshock",
      category: "rce",
      paranoia: 1,
      severity: "critical",
      description: "a bash function definition (Shellshock, CVE-2014-6271) in any value",
      kinds: [...ARGS_HEADERS, "path"],
      transforms: [],
    },
    // Bash imports a function from a variable only when the value starts with "() {".
    /^\s*\(\s*\)\s*\{/,
  ),
  patternRule(
    {
      id: "rce-shell-expansion",
      category: "rce",
      paranoia: 1,
      severity: "high",
      description: "shell history, tilde and brace expansion that only a shell understands",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: [],
    },
    /^\s*~[+-]\d*\s*$|!-\d+|\{[\w/.-]+,[\w/.-]+(?:,[\w/.-]+)*\}/,
  ),
  {
    id: "rce-unix-command-headers",
    category: "rce",
    paranoia: 2,
    severity: "critical",
    description: "a Unix command after a shell separator in a header",
    kinds: ["header"],
    transforms: ["removeNulls"],
    match: (value, field) => (field.name === "accept" ? undefined : commandAfterSeparator(value)),
  },
];
