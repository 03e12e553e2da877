import { ARGS, ARGS_HEADERS, patternRule, type WafRule } from "./rule.ts";

/*
 * Template expressions that compute or reach objects. A bare variable ({{username}},
 * <%= title %>, #{name}) is what mail and CMS templates carry on purpose, so it does not count.
 */
const TEMPLATE =
  /\{\{.*?(?:[-+*/%|.()[\]]|\b(?:config|self|request|cycler|joiner|namespace|lipsum|range|settings)\b).*?\}\}|\{%.*?%\}|\$\{\s*\d+\s*[-+*/]\s*\d+\s*\}|#\{\s*\d+\s*[-+*/]\s*\d+\s*\}|#\{[^}]*[.(][^}]*\}|\*\{[^}]*(?:T\s*\(|\.)[^}]*\}|<%(?![=-]?\s*\w+\s*-?%>).*?%>|__(?:class|mro|subclasses|globals|builtins|init|import)__|\[\s*["']__\w+__["']\s*\]|\$\{\s*T\s*\(|@\{[^}]*\(\)|#set\s*\(\s*\$|\$\w+\.getClass\(\)|\{php\}|\{\s*system\s*\(/i;
const PROTOTYPE =
  /__proto__|\bconstructor\s*(?:\.|\[\s*["']?)\s*prototype\b|\[\s*["']?(?:__proto__|prototype)["']?\s*\]/i;
const NODE =
  /\brequire\s*\(\s*['"`](?:child_process|fs|net|http|vm|os|process)['"`]\s*\)|\bchild_process\b|\bprocess\s*\.\s*(?:mainmodule|binding|env|kill|exit|dlopen)\b|\bglobal\s*\.\s*process\b|_\$\$nd_func\$\$_|\bthis\s*\.\s*constructor\s*\.\s*constructor\s*\(|\bfunction\s*\(\s*\)\s*\{\s*return\s+(?:process|this)\b|\bnew\s+function\s*\(|\b(?:execsync|spawnsync|execfile|execfilesync)\s*\(|\bwhile\s*\(\s*(?:true|1|!\s*(?:false|0|-?0)|!!\s*\w+)\s*\)|\bfor\s*\(\s*;\s*;\s*\)|\bsetinterval\s*\(/i;
const RUBY =
  /\b(?:kernel\s*\.\s*(?:exec|system|spawn|open|eval|`)|io\s*\.\s*popen|open3\s*\.|process\s*\.\s*spawn|%x\s*[({[<|]|\bsyscall\s*\(|instance_eval|class_eval|module_eval|binding\s*\.\s*eval|erb\s*\.\s*new|marshal\s*\.\s*load|yaml\s*\.\s*(?:load|unsafe_load)|object\s*\.\s*send|\.send\s*\(\s*:\s*(?:system|exec|eval|`)|\.public_send\s*\(|pty\s*\.\s*spawn|file\s*\.\s*(?:read|write|open)\s*\(|dir\s*\.\s*glob|gem\s*::|activesupport::|rubygems::)/i;

export const genericRules: WafRule[] = [
  patternRule(
    {
      id: "ssti-template-expression",
      category: "ssti",
      paranoia: 1,
      severity: "critical",
      description: "server-side template expressions (Jinja/Twig, ERB, EL, Thymeleaf, Velocity)",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    TEMPLATE,
  ),
  patternRule(
    {
      id: "prototype-pollution",
      category: "prototype-pollution",
      paranoia: 1,
      severity: "critical",
      description: "__proto__ or constructor.prototype in argument names, keys or values",
      kinds: ARGS,
      transforms: ["removeNulls"],
    },
    PROTOTYPE,
  ),
  patternRule(
    {
      id: "node-injection",
      category: "node-injection",
      paranoia: 1,
      severity: "critical",
      description: "Node.js code injection, node-serialize payloads and event-loop blocking loops",
      kinds: ARGS_HEADERS.filter((k) => k !== "header"),
      transforms: ["removeNulls"],
    },
    NODE,
  ),
  patternRule(
    {
      id: "ruby-injection",
      category: "ruby-injection",
      paranoia: 1,
      severity: "critical",
      description: "Ruby code execution primitives (Kernel.exec, IO.popen, %x(), Marshal.load)",
      kinds: ARGS,
      transforms: ["removeNulls"],
    },
    RUBY,
  ),
  patternRule(
    {
      id: "data-scheme",
      category: "rfi",
      paranoia: 1,
      severity: "high",
      description: "a data: URI as a whole argument (inline content fetched as a remote file)",
      kinds: ARGS,
      transforms: [],
    },
    /^\s*data\s*:\s*[\w.+-]+\/[\w.+-]+/i,
  ),
];
