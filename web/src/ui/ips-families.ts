/** Built-in IPS signatures grouped by what they protect, for the profile controls. */
export interface IpsFamily {
  /** The product or exploit the family's signatures share, e.g. `log4shell`, `confluence`. */
  key: string;
  /** The CVEs its signatures cover. */
  cves: string[];
  /** The ids of its signatures, which suppressions name. */
  ids: string[];
}

/**
 * Groups built-in signatures by the word after `ips-` in their ids (`ips-apache-traversal` and
 * `ips-apache-traversal-2e2e` are both `apache`). Runs on the server, which holds the catalogue,
 * so the browser receives only ids and CVEs.
 */
export function ipsFamilies(signatures: readonly { id: string; cve?: string }[]): IpsFamily[] {
  const families = new Map<string, IpsFamily>();
  for (const { id, cve } of signatures) {
    const key = id.split("-")[1] ?? id;
    const family = families.get(key) ?? { key, cves: [], ids: [] };
    family.ids.push(id);
    if (cve && !family.cves.includes(cve)) family.cves.push(cve);
    families.set(key, family);
  }
  return [...families.values()];
}
