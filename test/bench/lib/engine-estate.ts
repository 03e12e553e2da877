/**
 * The estate the policy engine benchmark decides on: a generated inventory, objects, services,
 * rules and flows, all from one seeded generator so every run sees the same estate. The rule
 * mix follows what real policies hold: most rules name sources and a destination, some allow
 * any source to a shared service, a few let a source reach anything, some name two
 * destinations; flows go to addresses, host names, virtual-hosted and path-style buckets.
 */
import type { Asset, Inventory } from "@ringfence/engine/documents";
import type { Flow } from "@ringfence/engine/policy";

export interface EstateSize {
  readonly assets: number;
  readonly objects: number;
  readonly services: number;
}

const TEAMS = 200;
const ENVS = ["prod", "staging", "dev"] as const;
const REGION = "us-east-1";

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The private IPv4 address of asset `n` (offset so that no asset sits on 10.0.0.0). */
export function v4(n: number): string {
  const at = n + 256;
  return `10.${(at >>> 16) & 255}.${(at >>> 8) & 255}.${at & 255}`;
}

const hostOf = (i: number) => `svc-${i}.corp.example`;
const bucketOf = (i: number) => `bucket-${i}`;

/** Generates every part of the estate from one seed. */
export class Estate {
  private readonly random: () => number;

  constructor(
    readonly size: EstateSize,
    seed = 20190719,
  ) {
    this.random = rng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  inventory(): Inventory {
    const assets: Asset[] = [];
    for (let i = 0; i < this.size.assets; i++) {
      const ipv6 =
        i % 10 === 0 ? [`fd00::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`] : [];
      const pub = i % 5 === 0 ? [`198.${18 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}`] : [];
      assets.push({
        id: `aws:111122223333:${REGION}:instance/i-${i.toString(16).padStart(17, "0")}`,
        provider: "aws",
        kind: "instance",
        account: "111122223333",
        region: REGION,
        addresses: { private: [v4(i), ...ipv6], public: pub },
        attributes: { vpc: `vpc-${i % 100}`, "os.version": `7.${i % 10}` },
        tags: { Team: `team-${i % TEAMS}`, Env: this.pick(ENVS), "Cost Center": `${i % 37}` },
      });
    }
    return { schemaVersion: 1, assets };
  }

  /** Six in ten objects select by tags, two hold static ranges, two are FQDN objects. */
  objects(): unknown[] {
    return Array.from({ length: this.size.objects }, (_, i) => {
      const kind = i % 10;
      if (kind < 6) {
        const selector = `tag.Team == "team-${this.int(TEAMS)}" and tag.Env == "${this.pick(ENVS)}"`;
        return { id: `o${i}`, kind: "dynamic", selector };
      }
      if (kind < 8) {
        const addresses = [
          `10.${this.int(2)}.${this.int(256)}.0/24`,
          `172.16.${this.int(256)}.${this.int(256)}`,
        ];
        return { id: `o${i}`, kind: "static", addresses };
      }
      return { id: `o${i}`, kind: "fqdn", fqdns: [hostOf(i), `*.api-${i}.corp.example`] };
    });
  }

  /** Half S3 buckets in one region (so they share the path-style endpoints), half APIs. */
  services(): unknown[] {
    return Array.from({ length: this.size.services }, (_, i) =>
      i % 2 === 0
        ? { id: `s${i}`, kind: "s3", bucket: bucketOf(i), region: REGION }
        : { id: `s${i}`, kind: "fqdn", hosts: [`api.partner-${i}.example`], ports: [443] },
    );
  }

  /** An object that can hold source addresses (the first eight of every ten). */
  private sourceObject(): string {
    return `o${this.int(this.size.objects / 10) * 10 + this.int(8)}`;
  }

  private destination(): string {
    return this.random() < 0.3
      ? `s${this.int(this.size.services)}`
      : `o${this.int(this.size.objects)}`;
  }

  /**
   * Rules: 93% from one or two source objects to one or two destinations, 5% from any source
   * to a destination, 2% from sources to anything; one of four ports; 2% monitor only.
   */
  rules(count: number): unknown[] {
    return Array.from({ length: count }, (_, i) => {
      const roll = this.random();
      const sources = [this.sourceObject(), ...(this.random() < 0.3 ? [this.sourceObject()] : [])];
      const destinations = [
        this.destination(),
        ...(this.random() < 0.15 ? [this.destination()] : []),
      ];
      return {
        id: `r${i}`,
        ...(roll < 0.05 ? {} : { sources }),
        ...(roll >= 0.05 && roll < 0.07 ? {} : { destinations }),
        ports: [this.pick([443, 80, 5432, 8080])],
        action: this.random() < 0.7 ? "allow" : "deny",
        monitor: this.random() < 0.02,
      };
    });
  }

  /** 40% to an address, 25% to a host name, 25% virtual-hosted and 10% path-style buckets. */
  flows(count: number): Flow[] {
    const { assets, objects, services } = this.size;
    return Array.from({ length: count }, (): Flow => {
      const srcIp = v4(this.int(assets));
      const roll = this.random();
      if (roll < 0.4)
        return { srcIp, dstIp: v4(this.int(assets)), dstPort: this.pick([443, 5432]) };
      if (roll < 0.65) {
        const i = this.int(objects);
        return {
          srcIp,
          sni: this.random() < 0.5 ? hostOf(i) : `x.api-${i}.corp.example`,
          dstPort: 443,
        };
      }
      const bucket = bucketOf(2 * this.int(services / 2));
      if (roll < 0.9) return { srcIp, sni: `${bucket}.s3.${REGION}.amazonaws.com`, dstPort: 443 };
      const host = `s3.${REGION}.amazonaws.com`;
      return { srcIp, sni: host, dstHost: host, dstPort: 443, path: `/${bucket}/reports/q3.csv` };
    });
  }
}
