import { base64Decode, htmlEntityDecode, jsDecode, urlDecode } from "../transforms.ts";
import { ARGS, ARGS_HEADERS, EVERYWHERE, patternRule, type WafRule } from "./rule.ts";

/**
 * Resolves the Log4j lookup tricks that hide "jndi": ${lower:J}, ${upper:n}, ${::-d},
 * ${env:X:-i} and ${date:'j'} collapse to the letter they would print.
 */
export function collapseLog4jLookups(value: string): string {
  let out = value;
  for (let round = 0; round < 8; round++) {
    const next = out
      .replace(
        /\$\{(?:lower|upper|env|sys|main|date|ctx|bundle|k8s|docker|spring|web|log4j|jvmrunargs|java|marker|map|sd|event|base64)?:[^${}:]*:-([^${}]*)\}/gi,
        "$1",
      )
      .replace(/\$\{\s*(?:lower|upper)\s*:\s*([^${}]*)\}/gi, "$1")
      .replace(/\$\{\s*:*-([^${}]*)\}/g, "$1")
      .replace(/\$\{date:\s*'([^']*)'\s*\}/gi, "$1");
    if (next === out) break;
    out = next;
  }
  return out;
}

/*
 * Log4j reads what the application logs, after whatever decoding the application did, so a
 * lookup hides behind URL, JavaScript and HTML escapes in any mix ("%24%5Cu007Bjndi",
 * "$&lbrace;jndi", "&#36;{jndi"). Layers are peeled until nothing changes (a few rounds at most).
 */
function unwrapLookup(value: string): string {
  let out = value;
  for (let round = 0; round < 4 && /[%\\&]/.test(out); round++) {
    const next = htmlEntityDecode(jsDecode(urlDecode(out)));
    if (next === out) break;
    out = next;
  }
  return out;
}

const JNDI =
  /\$\{\s*(?:jndi|ldap|rmi|dns|iiop|corba|nds|nis|http)\s*:|\$\{\s*(?:env|sys|java|ctx|main|bundle|k8s|docker|spring|web|log4j|jvmrunargs|base64|date|marker|sd|event|map|upper|lower)\s*:/i;
const JAVA_CLASSES =
  /\bjava\s*\.\s*(?:lang\s*\.\s*)?(?:runtime|processbuilder|process|system|reflect|class|classloader|thread|object|string|io\s*\.|net\s*\.|nio\s*\.|util\s*\.\s*(?:zip|jar|prefs)|beans\s*\.|rmi\s*\.|security\s*\.|applet)|\bjavax\s*\.\s*(?:script|naming|management|el|xml\.transform)|\b(?:runtime\s*\.\s*getruntime|processbuilder|processimpl|unixprocess|classloader|urlclassloader|scriptenginemanager|getdeclaredmethod|getmethod\s*\(|getdeclaredfield|setaccessible|newinstance\s*\(|forname\s*\(|invokerTransformer|instantiatetransformer|chainedtransformer|constanttransformer|lazymap|transformedmap|templatesimpl|annotationinvocationhandler|badattributevalueexpexception|priorityqueue|jdbcrowsetimpl|xalan|bsh\s*\.\s*interpreter|groovy\s*\.\s*(?:lang|util)|org\s*\.\s*apache\s*\.\s*commons\s*\.\s*collections|org\s*\.\s*springframework\s*\.\s*(?:beans|context|expression)|com\s*\.\s*sun\s*\.\s*(?:org|jndi|rowset)|clonetransformer|forclosuretransformer|instantiatefactory|instantiatefactoryfactory|prototypeclonefactory|prototypeserializationfactory|whileclosure|getruntime\s*\(|\.exec\s*\()/i;
const OGNL =
  /%\{\s*[#(@]|\$\{\s*[#(@]|#_memberaccess|#context\s*\[|@java\.lang\.|@ognl\.|\(#\w+\s*=|#\w+\s*=\s*@|new\s+java\.|class\.module\.classloader|class\.classloader|\.getclass\s*\(\s*\)|#application\s*\[|#session\s*\[|#request\s*\[|#parameters\s*\[|#attr\s*\[|ognlcontext|xwork\.methodaccessor|denymethodexecution|allowstaticmethodaccess/i;
const SERIALIZED_MAGIC = String.fromCharCode(0xac, 0xed, 0x00, 0x05);
const SERIALIZED = /\brO0AB|\baced0005|\bH4sIAAAAAAAA|\b(?:KztAAU|Cs7QAF)/;
const JAVA_UPLOAD = /\.\s*(?:jsp|jspx|jspf|jsw|jsv|jhtml|jws|war)(?:\s*[\0.\s]*)?$/i;

/**
 * What javaSerialized reads: the magic (whose last two bytes are ASCII), a pattern of its own,
 * or a value that base64Decode accepts, which is base64 as a whole once trimmed.
 */
const SERIALIZED_TRIGGER = new RegExp(
  `\\x00\\x05|${SERIALIZED.source}|^\\s*[A-Za-z0-9+/_-]+={0,2}\\s*$`,
);

/** A lookup needs `${`, written or behind the URL, JavaScript and HTML escapes peeled first. */
const LOOKUP_TRIGGER = /\$\{|[%\\&]/;

function javaSerialized(value: string): string | undefined {
  if (value.includes(SERIALIZED_MAGIC)) return "serialized Java object magic";
  const direct = SERIALIZED.exec(value);
  if (direct) return direct[0];
  if (value.length < 16) return undefined;
  const decoded = base64Decode(value);
  return decoded && JAVA_CLASSES.test(decoded) ? "base64 of a Java class name" : undefined;
}

export const javaRules: WafRule[] = [
  {
    id: "java-jndi-lookup",
    category: "java",
    paranoia: 1,
    severity: "critical",
    description: "Log4Shell: JNDI and other lookups, including nested and obfuscated ones",
    kinds: EVERYWHERE,
    transforms: ["removeNulls"],
    match: (value) => {
      const decoded = unwrapLookup(value);
      return decoded.includes("${") ? JNDI.exec(collapseLog4jLookups(decoded))?.[0] : undefined;
    },
    trigger: LOOKUP_TRIGGER,
  },
  patternRule(
    {
      id: "java-classes",
      category: "java",
      paranoia: 1,
      severity: "critical",
      description: "Java runtime, reflection and deserialization gadget classes",
      kinds: ARGS_HEADERS,
      transforms: ["removeNulls"],
    },
    JAVA_CLASSES,
  ),
  patternRule(
    {
      id: "java-ognl-el",
      category: "java",
      paranoia: 1,
      severity: "critical",
      description:
        "OGNL and Spring expression language injection (Struts, Confluence, Spring4Shell)",
      kinds: [...ARGS_HEADERS, "path"],
      transforms: ["removeNulls"],
    },
    OGNL,
  ),
  {
    id: "java-serialized-object",
    category: "java",
    paranoia: 1,
    severity: "critical",
    description: "Java serialized object magic bytes, raw, hex, base64 or gzip-base64",
    kinds: [...ARGS_HEADERS],
    transforms: [],
    match: (value) => javaSerialized(value),
    trigger: SERIALIZED_TRIGGER,
  },
  {
    id: "java-script-upload",
    category: "java",
    paranoia: 1,
    severity: "critical",
    description: "an uploaded file name with a JSP-executable extension",
    kinds: ["body", "header"],
    transforms: [],
    match: (value, field) => {
      const isFileName = field.location.startsWith("file:") || /file-?name/i.test(field.name);
      return isFileName ? JAVA_UPLOAD.exec(value)?.[0] : undefined;
    },
  },
  patternRule(
    {
      id: "java-generic-args",
      category: "java",
      paranoia: 2,
      severity: "high",
      description: "Java class-like references in arguments at higher paranoia",
      kinds: ARGS,
      transforms: ["removeNulls"],
    },
    /\bjava\w*\s*\.\s*\w+|\bclass\s*\.\s*\w+\s*\.\s*\w+|\.getclass\b/i,
  ),
];
