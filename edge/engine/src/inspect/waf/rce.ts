import { ARGS_HEADERS, patternRule, type WafRule } from "./rule.ts";

/** Unix programs an attacker runs after breaking into a shell command line. */
const UNIX_COMMANDS =
  "cat|tac|nl|head|tail|more|less|ls|dir|id|whoami|uname|hostname|ifconfig|ip|netstat|ss|ps|kill|pkill|killall|env|printenv|export|set|echo|printf|curl|wget|fetch|lwp-download|nc|ncat|netcat|socat|telnet|ssh|scp|sftp|ftp|tftp|bash|sh|zsh|ksh|csh|tcsh|dash|ash|busybox|python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|node|nodejs|lua|java|gcc|cc|make|awk|gawk|nawk|mawk|sed|grep|egrep|fgrep|find|xargs|chmod|chown|chgrp|chattr|rm|rmdir|mv|cp|dd|ln|touch|mkdir|mkfifo|mknod|tar|zip|unzip|gzip|gunzip|zcat|bzip2|xz|base64|base32|xxd|od|hexdump|strings|openssl|nslookup|dig|host|ping|traceroute|crontab|at|nohup|sudo|su|passwd|useradd|usermod|shutdown|reboot|halt|systemctl|service|mount|umount|iptables|sysctl|modprobe|insmod|lsmod|dmesg|last|w|who|finger|uptime|df|du|free|top|history|alias|eval|exec|source|sleep|timeout|time|watch|tee|rev|column|fold|cut|sort|uniq|wc|tr|paste|join|split|diff|cmp|file|stat|readlink|realpath|which|whereis|locate|getent|groups|lsof|strace|ltrace|gdb|vi|vim|nano|ed|emacs|pico|man|info|xterm|screen|tmux|expect|bridge|nmap|masscan|sqlmap|nikto|hydra|john|powershell|pwsh|sh|rsync|git|svn|docker|kubectl|aws|gcloud|az|mail|sendmail|logger|jq|yes|seq|shuf|expr|bc|test|true|false|chroot|nice|renice|env|ulimit|umask|wall|write|mesg|lp|cancel|wall|rpm|dpkg|apt|apt-get|yum|dnf|apk|pip|pip3|npm|gem|cpan|easy_install|composer|c99|c89|g\\+\\+|clang|ld|as|objdump|nm|readelf|pdb|irb|jrunscript|jjs|tclsh|wish|gdb|run-parts|ionice|taskset|setarch|flock|cpulimit|stdbuf|unshare|nsenter|capsh|script|ssh-keygen|ssh-keyscan";

/** Windows programs and shell built-ins that show up in command injection. */
const WINDOWS_COMMANDS =
  "cmd|cmd\\.exe|command\\.com|powershell|powershell\\.exe|pwsh|wscript|cscript|mshta|rundll32|regsvr32|certutil|bitsadmin|wmic|reg|regedit|net|net1|netsh|sc|schtasks|tasklist|taskkill|systeminfo|ipconfig|whoami|type|dir|copy|xcopy|robocopy|del|erase|rd|rmdir|md|mkdir|move|ren|attrib|icacls|cacls|takeown|vssadmin|wevtutil|bcdedit|bcdboot|diskpart|format|forfiles|findstr|find|more|start|call|set|setx|echo|ping|nslookup|tracert|route|arp|nbtstat|netstat|qprocess|query|quser|runas|msiexec|installutil|regasm|regsvcs|msbuild|odbcconf|cmstp|control|explorer|hh|infdefaultinstall|ieexec|pcalua|forfiles|sfc|shutdown|timeout|tftp|ftp|curl|wget|expand|extrac32|makecab|esentutl|ntdsutil|dsquery|nltest|klist|cipher|compact|fsutil|gpresult|gpupdate|assoc|ftype|pushd|popd|doskey|verify|ver|vol|label|tree|subst|mountvol|pathping|getmac|hostname|driverquery|openfiles|print|prompt|wmplayer";

const OBFUSCATION = /\\(?=\S)|['"]|\$@|\$\{?IFS\}?|\$\*/g;

/** Removes shell quoting tricks that split a command word (c\at, c'a't, ca$@t, cat${IFS}x). */
export function deobfuscateShell(value: string): string {
  return value
    .replace(/\$\{?IFS\}?/g, " ")
    .replace(/(?<=[a-z])\$[a-z_]\w*(?=[\s/]|$)/gi, "")
    .replace(OBFUSCATION, "")
    .replace(/\s+/g, " ");
}

const SEPARATOR = "(?:^|[;|&`\\n\\r]|\\$\\(|\\(|&&|\\|\\||<\\(|>\\()";
const PATH_PREFIX = "(?:(?:/usr)?(?:/local)?/s?bin/|/\\S*/)?";
const AFTER = "(?=[\\s<>|;&`)}'\"]|$)";
const UNIX_AFTER_SEPARATOR = new RegExp(
  `${SEPARATOR}\\s*${PATH_PREFIX}(?:${UNIX_COMMANDS})${AFTER}`,
  "i",
);
const UNIX_AT_START = new RegExp(
  `^\\s*${PATH_PREFIX}(?:${UNIX_COMMANDS})\\s+(?:-{1,2}[a-z]|[/~.]|\\S+\\s*[|;&<>]|https?:|\\S+:\\d|-[a-z]*\\s+\\S)`,
  "i",
);
const WINDOWS_AFTER_SEPARATOR = new RegExp(
  `(?:[;|&\\n\\r]|&&|\\|\\||^(?=[a-z]:\\\\|cmd|powershell|pwsh|certutil|bitsadmin|mshta|rundll32|regsvr32|wmic))\\s*(?:[a-z]:\\\\[^\\s]*\\\\)?(?:${WINDOWS_COMMANDS})(?:\\.exe|\\.com)?(?=[\\s/<>|;&,]|$)`,
  "i",
);
const SHELL_SUBSTITUTION = /\$\(\s*[^)\s]|\$\{\s*[a-z_]|`[^`]+`|[<>]\(\s*\w|\$\(\(|\$\[/i;
const POWERSHELL =
  /\b(?:invoke-(?:expression|webrequest|restmethod|command|item|wmimethod|shellcode|mimikatz)|iex\s*\(|new-object\s+(?:-typename\s+)?(?:net\.webclient|system\.net)|downloadstring|downloadfile|start-process|set-mppreference|-encodedcommand|-enc\s+[a-z0-9+/=]{8}|-noprofile|-executionpolicy|-windowstyle\s+hidden|get-(?:wmiobject|ciminstance|process|childitem|content)\b|\[system\.(?:convert|text\.encoding|reflection)\])/i;
const WINDOWS_FOR =
  /\bfor\s+(?:\/[dflr]\s+(?:[^%]*\s+)?)?%%?\S+\s+in\s*\(.*\)\s*do\b|^\s*if\s+(?:not\s+)?(?:exist|errorlevel|defined|cmdextversion)\b|^\s*if\s+(?:not\s+)?\S.*?\s(?:equ|neq|lss|leq|gtr|geq)\s|^\s*if\s+(?:not\s+)?\S+\s*==\s*\S+\s+(?:echo|goto|cmd|call|set|start|exit)\b|^\s*if\s+(?:not\s+)?\(.*?\)\s+\w/i;
const WINDOWS_ENV =
  /%(?:comspec|systemroot|windir|programfiles|temp|appdata|userprofile|homedrive|homepath|path|ProgramData|cd|random|date|time|username|computername)%|%\w+:~-?\d/i;

function commandAfterSeparator(value: string): string | undefined {
  const clean = deobfuscateShell(value);
  const m = UNIX_AFTER_SEPARATOR.exec(clean) ?? UNIX_AT_START.exec(clean);
  return m ? m[0].trim() : undefined;
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
      /^\s*[a-z][\w.+-]*\s*$/i.test(value) ? undefined : commandAfterSeparator(value),
  },
  patternRule(
    {
      id: "rce-windows-command",
      category: "rce",
      paranoia: 1,
      severity: "critical",
      description: "a Windows command after a separator, for loops, %ENV% expansion",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    new RegExp(
      `${WINDOWS_AFTER_SEPARATOR.source}|${WINDOWS_FOR.source}|${WINDOWS_ENV.source}`,
      "i",
    ),
  ),
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
  patternRule(
    {
      id: "rce-shell-substitution",
      category: "rce",
      paranoia: 1,
      severity: "critical",
      description:
        "shell command or process substitution: dollar-paren, backticks, process and brace expansion",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    SHELL_SUBSTITUTION,
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
    /\(\s*\)\s*\{/,
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
