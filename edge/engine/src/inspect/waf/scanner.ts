import { patternRule, type WafRule } from "./rule.ts";

const SCANNER_AGENTS =
  /\b(?:nikto|sqlmap|nmap|masscan|zgrab|nuclei|acunetix|netsparker|appscan|w3af|wpscan|dirbuster|gobuster|feroxbuster|ffuf|wfuzz|arachni|openvas|nessus|qualys|burp\s*(?:suite|collaborator)|zap\/|owasp\s*zap|havij|jbrofuzz|skipfish|whatweb|commix|xsser|joomscan|droopescan|fimap|grabber|paros|webinspect|morfeus|zmeu|bsqlbf|brutus|hydra|dotdotpwn|httprint|nsauditor|metis|pangolin|webshag|jaascois|httrack\s*cli|mysqloit|nasl|sf\/|teh\s*forest|masscan|pmafind|floodgate|struts-pwn|inspath|vega\/|crimscanner|cgichk|lwp::simple|absinthe|blackwidow|brutus)\b/i;

export const scannerRules: WafRule[] = [
  patternRule(
    {
      id: "scanner-user-agent",
      category: "scanner",
      paranoia: 1,
      severity: "critical",
      description: "user-agents of vulnerability scanners and attack tools",
      kinds: ["header"],
      transforms: [],
    },
    SCANNER_AGENTS,
  ),
];
