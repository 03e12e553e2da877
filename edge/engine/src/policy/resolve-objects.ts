import type { DocumentIssue } from "../documents/errors.ts";
import type { Asset } from "../documents/inventory.ts";
import type { AddressObject } from "../documents/policy.ts";
import {
  type IpPrefix,
  NetParseError,
  parseAddressEntry,
  parseCidr,
  parseIp,
  unmapIpv4,
} from "../net/index.ts";
import { SelectorSyntaxError } from "../selector/errors.ts";
import { parseSelector } from "../selector/parser.ts";
import type { AssetSets } from "./asset-sets.ts";
import { BUILTIN_OBJECTS, isBuiltinId } from "./builtins.ts";
import { hostPatternProblem, normalizeHost } from "./hosts.ts";
import {
  type AddressRange,
  mergeRanges,
  prefixRange,
  rangesToCidrs,
  subtractRanges,
} from "./prefix-set.ts";
import type { HostTerm, ResolvedObject } from "./resolved.ts";

/** Intermediate form: merged ranges are kept until the end so groups can subtract cheaply. */
interface Working {
  readonly kind: ResolvedObject["kind"];
  readonly ranges: AddressRange[];
  readonly hosts: HostTerm[];
}

/** Resolves address objects (with groups and built-ins) against an indexed inventory. */
export class ObjectResolver {
  private readonly byId = new Map<string, { object: AddressObject; index: number }>();
  private readonly done = new Map<string, Working>();
  private readonly visiting = new Set<string>();
  private readonly parsedAddresses = new Map<number, AddressRange[]>();

  constructor(
    objects: readonly AddressObject[],
    private readonly sets: AssetSets,
    private readonly issues: DocumentIssue[],
  ) {
    objects.forEach((object, index) => {
      this.byId.set(object.id, { object, index });
    });
  }

  /** True when the id names a user object or a built-in. */
  has(id: string): boolean {
    return this.byId.has(id) || isBuiltinId(id);
  }

  /** True when the object can hold addresses (so it can serve as a rule source). */
  canHoldAddresses(id: string): boolean {
    return this.byId.get(id)?.object.kind !== "fqdn";
  }

  /** The resolved form of an object; unknown ids resolve to an empty object (issue recorded by caller). */
  resolve(id: string): ResolvedObject {
    const working = this.working(id, "$");
    return {
      id,
      kind: working.kind,
      prefixes: rangesToCidrs(working.ranges),
      hosts: working.hosts,
    };
  }

  private working(id: string, from: string): Working {
    const cached = this.done.get(id);
    if (cached) return cached;
    if (this.visiting.has(id)) {
      this.issues.push({ path: from, message: `group cycle through "${id}"` });
      return { kind: "group", ranges: [], hosts: [] };
    }
    this.visiting.add(id);
    const result = this.compute(id);
    this.visiting.delete(id);
    this.done.set(id, result);
    return result;
  }

  private compute(id: string): Working {
    const builtin = BUILTIN_OBJECTS[id];
    if (builtin) {
      const ranges = mergeRanges(builtin.prefixes.map((p) => prefixRange(parseCidr(p))));
      return { kind: "builtin", ranges, hosts: hostTerms([...builtin.hosts]) };
    }
    const entry = this.byId.get(id);
    if (!entry) return { kind: "static", ranges: [], hosts: [] };

    const { object, index } = entry;
    const path = `$.objects[${index}]`;
    switch (object.kind) {
      case "static":
        return { kind: "static", ranges: this.staticRanges(object.addresses, path), hosts: [] };
      case "dynamic":
        return { kind: "dynamic", ranges: this.dynamicRanges(object, path), hosts: [] };
      case "fqdn":
        return { kind: "fqdn", ranges: [], hosts: this.fqdnTerms(object.fqdns, path) };
      case "group":
        return this.group(object.include, object.exclude ?? [], path);
    }
  }

  private staticRanges(addresses: readonly string[], path: string): AddressRange[] {
    const prefixes: IpPrefix[] = [];
    addresses.forEach((text, i) => {
      try {
        prefixes.push(...parseAddressEntry(text));
      } catch (error) {
        const reason = error instanceof NetParseError ? error.reason : String(error);
        this.issues.push({
          path: `${path}.addresses[${i}]`,
          message: `${JSON.stringify(text)}: ${reason}`,
        });
      }
    });
    return mergeRanges(prefixes.map(prefixRange));
  }

  private fqdnTerms(fqdns: readonly string[], path: string): HostTerm[] {
    const valid = fqdns.filter((fqdn, i) => {
      const problem = hostPatternProblem(fqdn);
      if (problem) this.issues.push({ path: `${path}.fqdns[${i}]`, message: problem });
      return problem === undefined;
    });
    return hostTerms(valid);
  }

  private dynamicRanges(
    object: Extract<AddressObject, { kind: "dynamic" }>,
    path: string,
  ): AddressRange[] {
    let selected: Uint32Array;
    try {
      selected = this.sets.evaluate(parseSelector(object.selector));
    } catch (error) {
      if (!(error instanceof SelectorSyntaxError)) throw error;
      this.issues.push({ path: `${path}.selector`, message: error.message });
      return [];
    }
    const types = object.addressTypes ?? ["private", "public"];
    const ranges: AddressRange[] = [];
    this.sets.forEach(selected, (position) => {
      const asset = this.sets.assets[position];
      if (!asset || !inScope(asset, object.scope)) return;
      for (const type of types) {
        for (const range of this.assetRanges(position, asset, type)) ranges.push(range);
      }
    });
    return mergeRanges(ranges);
  }

  /** Host ranges of an asset's addresses, parsed once per asset however many objects select it. */
  private assetRanges(position: number, asset: Asset, type: "private" | "public"): AddressRange[] {
    const key = position * 2 + (type === "private" ? 0 : 1);
    let ranges = this.parsedAddresses.get(key);
    if (!ranges) {
      ranges = asset.addresses[type].map(hostRange);
      this.parsedAddresses.set(key, ranges);
    }
    return ranges;
  }

  private group(include: readonly string[], exclude: readonly string[], path: string): Working {
    const check = (ids: readonly string[], field: string) =>
      ids.forEach((ref, i) => {
        if (!this.has(ref))
          this.issues.push({ path: `${path}.${field}[${i}]`, message: `unknown object "${ref}"` });
      });
    check(include, "include");
    check(exclude, "exclude");

    const included = include.filter((ref) => this.has(ref)).map((ref) => this.working(ref, path));
    const excluded = exclude.filter((ref) => this.has(ref)).map((ref) => this.working(ref, path));
    const ranges = subtractRanges(
      mergeRanges(included.flatMap((w) => w.ranges)),
      mergeRanges(excluded.flatMap((w) => w.ranges)),
    );
    // An excluded object's own exclusions are not re-added for host names: the exclusion removes
    // everything the excluded object's patterns could match, which errs toward a smaller group.
    const minus = [...new Set(excluded.flatMap((w) => w.hosts.flatMap((t) => t.include)))].sort();
    const hosts = included
      .flatMap((w) => w.hosts)
      .map((term) => ({
        include: term.include,
        exclude: [...new Set([...term.exclude, ...minus])].sort(),
      }));
    return { kind: "group", ranges, hosts: dedupeTerms(hosts) };
  }
}

function hostTerms(patterns: readonly string[]): HostTerm[] {
  if (patterns.length === 0) return [];
  return [{ include: [...new Set(patterns.map(normalizeHost))].sort(), exclude: [] }];
}

function dedupeTerms(terms: readonly HostTerm[]): HostTerm[] {
  const byText = new Map(terms.map((term) => [JSON.stringify(term), term]));
  return [...byText.keys()].sort().map((key) => byText.get(key) as HostTerm);
}

function hostRange(text: string): AddressRange {
  const address = unmapIpv4(parseIp(text));
  return prefixRange({ address, length: address.family === 4 ? 32 : 128 });
}

/**
 * Whether an asset lies inside a dynamic object's scope (its accounts, regions and VPCs/VNets);
 * every scope field given must hold. The console's selector preview applies the same test.
 */
export function inScope(
  asset: Asset,
  scope: Extract<AddressObject, { kind: "dynamic" }>["scope"],
): boolean {
  if (!scope) return true;
  if (scope.accounts && !scope.accounts.includes(asset.account)) return false;
  if (scope.regions && !scope.regions.includes(asset.region)) return false;
  if (!scope.vpcs) return true;
  const networks = [asset.attributes.vpc, asset.attributes.vnet]
    .flat()
    .filter((v) => v !== undefined);
  return networks.some((network) => scope.vpcs?.includes(network));
}
