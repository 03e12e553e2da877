/**
 * A resolver backed by a file in /etc/hosts format, so `check-url --resolve` can be exercised
 * (and used offline) without the system resolver.
 */
import { isIp } from "@ringfence/engine/net";
import type { SsrfResolver } from "@ringfence/engine/ssrf";
import { InputError } from "./command.ts";

/** Parses hosts-file text (`address name [alias…]`, `#` comments) into a name → addresses map. */
export function parseHostsFile(file: string, text: string): Map<string, string[]> {
  const table = new Map<string, string[]>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = (raw.split("#")[0] ?? "").trim().split(/\s+/).filter(Boolean);
    const [address, ...names] = fields;
    if (address === undefined) return;
    if (!isIp(address) || names.length === 0) {
      throw new InputError(`${file}:${index + 1}: expected "address name…", got "${raw.trim()}"`);
    }
    for (const name of names) {
      const key = name.toLowerCase();
      table.set(key, [...(table.get(key) ?? []), address]);
    }
  });
  return table;
}

/** A resolver that answers from the table and fails for any other name, like NXDOMAIN. */
export function hostsResolver(table: ReadonlyMap<string, readonly string[]>): SsrfResolver {
  return async (hostname) => {
    const answers = table.get(hostname.toLowerCase());
    if (!answers) throw new Error(`${hostname}: not in the hosts file`);
    return answers;
  };
}
