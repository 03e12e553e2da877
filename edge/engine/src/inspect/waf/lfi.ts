import { urlDecode } from "../transforms.ts";
import { ARGS, ARGS_HEADERS, EVERYWHERE, patternRule, type WafRule } from "./rule.ts";

const TRAVERSAL =
  /(?:^|[\\/=])\.{2,}[\\/]|[\\/]\.{2,}(?:[\\/]|$)|\.{2,}(?:%c0%af|%c1%9c|%25|;)|0x2e0x2e|0x5c0x2e|\.\.\.\/|%u002e%u002e|%(?:25)+2e/i;
const SENSITIVE_FILES =
  /(?:^|[\\/\s="'])(?:etc[\\/](?:passwd|shadow|group|hosts|issue|motd|crontab|sudoers|fstab|mtab|resolv\.conf|ssh[\\/]|nginx[\\/]|apache2?[\\/]|httpd[\\/]|mysql[\\/]|environment|profile|security[\\/]|ld\.so\.preload|inittab|master\.passwd|hostname|network[\\/]interfaces|redhat-release|debian_version|os-release|apt[\\/]sources\.list|pam\.d|aliases)|proc[\\/](?:self|\d+)[\\/](?:environ|cmdline|fd|maps|mem|status|cwd|exe|root|mounts)|proc[\\/](?:version|cpuinfo|meminfo|net[\\/])|var[\\/]log[\\/]|var[\\/]run[\\/]secrets|root[\\/]\.|home[\\/][^\\/]+[\\/]\.|boot\.ini|win\.ini|system\.ini|windows[\\/](?:win\.ini|repair)|winnt[\\/]|system32[\\/](?:config[\\/]|drivers[\\/]etc|inetsrv|logfiles|[\w-]+\.(?:exe|dll|ini|log|sam|dat))|inetpub[\\/]|\.ssh[\\/](?:id_\w+|authorized_keys|known_hosts)|id_rsa|id_dsa|id_ecdsa|id_ed25519|\.bash_history|\.bashrc|\.profile|\.htpasswd|\.htaccess|web\.config|wp-config\.php|config\.inc\.php|localsettings\.php|\.env\b|\.git[\\/](?:config|head|index)|\.svn[\\/]|\.aws[\\/]credentials|\.kube[\\/]config|\.docker[\\/]config\.json|\.npmrc|\.pypirc|\.netrc|\.pgpass|\.my\.cnf|\.mysql_history|\.claude[\\/]|\.cursor[\\/]|\.vscode[\\/]|\.idea[\\/]|\.ds_store|\.npmrc|\.yarnrc|\.gitconfig)/i;
const RESTRICTED_PATH =
  /(?:^|\/)(?:\.git|\.svn|\.hg|\.bzr|\.env|\.htaccess|\.htpasswd|\.aws|\.ssh|\.kube|\.docker|\.claude|\.cursor|\.vscode|\.idea|\.ds_store|\.npmrc|\.bash_history|\.well-known\/security\.txt\.bak|web\.config|wp-config\.php|composer\.(?:json|lock)|package(?:-lock)?\.json|yarn\.lock|\.DS_Store|\.user\.ini|\.travis\.yml|\.gitlab-ci\.yml|Dockerfile|docker-compose\.ya?ml|\.terraform|terraform\.tfstate|id_rsa|\.mcp\.json|mcp\.json)(?:\/|$)/i;
/*
 * A path segment that starts with a dot names a hidden file or folder: editor, agent and tool
 * settings (.vscode, .codex, .aider and every new one), credentials and repositories. Web
 * servers publish none of them on purpose, except the registered `.well-known` folder.
 */
const HIDDEN_SEGMENT = /\/\.(?!well-known(?:\/|$))[\w-][^/]*(?=\/|$)/i;
const RFI_PARAM =
  /^(?:include|inc|require|file|page|template|tpl|doc|document|folder|root|dir|load|module|layout|conf|config|lang|language|theme|pg|read|mod)$/i;

/** Detects a traversal after one extra decode, so double-encoded dot segments show too. */
/** What traversal reads: the pattern itself, or a `%` whose decoding may spell it. */
const TRAVERSAL_TRIGGER = new RegExp(`${TRAVERSAL.source}|%`, "i");

function traversal(value: string): string | undefined {
  for (const candidate of [value, urlDecode(value)]) {
    const m = TRAVERSAL.exec(candidate);
    if (m) return m[0];
  }
  return undefined;
}

function remoteInclude(value: string, name: string): string | undefined {
  const v = value.trim();
  const m =
    /^(?:https?|ftps?|php|data|expect|zlib|phar|file|smb|ssh2|ogg|rar|glob):\/*([^\s/?#]*)/i.exec(
      v,
    );
  if (
    /^(?:https?|ftps?|file|php|data|zlib|phar|expect)?\s*:?\s*[\w./-]*\?+\s*$/i.test(v) &&
    v.endsWith("?") &&
    /^(?:https?|ftps?|file|php|data|zlib)\b/i.test(v)
  )
    return v;
  if (!m) return undefined;
  const host = m[1] ?? "";
  if (/^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/.test(host) || host.startsWith("["))
    return v.slice(0, 60);
  if (RFI_PARAM.test(name) && /^(?:https?|ftps?):/i.test(v)) return v.slice(0, 60);
  if (/\?+$/.test(v)) return v.slice(0, 60);
  return undefined;
}

export const lfiRules: WafRule[] = [
  {
    id: "lfi-traversal",
    category: "lfi",
    paranoia: 1,
    severity: "critical",
    description: "path traversal: dot-dot segments, encoded and overlong spellings",
    kinds: EVERYWHERE,
    transforms: ["removeNulls"],
    match: (value, field) =>
      field.name === "accept" || field.name === "referer" ? undefined : traversal(value),
    trigger: TRAVERSAL_TRIGGER,
  },
  patternRule(
    {
      id: "lfi-sensitive-file",
      category: "lfi",
      paranoia: 1,
      severity: "critical",
      description: "operating-system and secret files (/etc/passwd, win.ini, .env, .git, keys)",
      kinds: EVERYWHERE,
      transforms: ["removeNulls", "compressWhitespace"],
    },
    SENSITIVE_FILES,
  ),
  {
    id: "lfi-restricted-path",
    category: "lfi",
    paranoia: 1,
    severity: "critical",
    description: "requests for source-control, secret and tool configuration files",
    kinds: ["path"],
    transforms: [],
    match: (value) => RESTRICTED_PATH.exec(value)?.[0] ?? HIDDEN_SEGMENT.exec(value)?.[0],
  },
  {
    id: "rfi-remote-include",
    category: "rfi",
    paranoia: 1,
    severity: "critical",
    description: "a URL to an IP literal, a trailing '?' or in an include-style parameter",
    kinds: ARGS,
    transforms: [],
    match: (value, field) => remoteInclude(value, field.name),
  },
  patternRule(
    {
      id: "rfi-offsite-url",
      category: "rfi",
      paranoia: 2,
      severity: "high",
      description: "any absolute URL in an argument (off-domain reference)",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: [],
    },
    /^\s*(?:https?|ftps?):\/\/[^\s]+/i,
  ),
];
