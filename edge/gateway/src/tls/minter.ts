import tls from "node:tls";
import {
  type CertificateAuthority,
  type CryptoKeyPair,
  generateLeafKeys,
  issueLeaf,
} from "./ca.ts";

/**
 * Mints TLS server contexts for intercepted hosts, signed by the organisation CA. All leaves
 * share one key pair generated at start, so a new host costs one ECDSA signature; contexts are
 * kept in a least-recently-used cache and concurrent requests for one host share one mint.
 */
export class LeafMinter {
  private readonly cache = new Map<string, Promise<tls.SecureContext>>();
  private keys: Promise<CryptoKeyPair> | undefined;

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly capacity = 1000,
  ) {}

  /** A server context whose certificate is valid for `host`. */
  contextFor(host: string): Promise<tls.SecureContext> {
    const cached = this.cache.get(host);
    if (cached) {
      this.cache.delete(host);
      this.cache.set(host, cached);
      return cached;
    }
    const minted = this.mint(host);
    this.cache.set(host, minted);
    minted.catch(() => this.cache.delete(host));
    while (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return minted;
  }

  /** Number of hosts with a cached leaf, for metrics. */
  get size(): number {
    return this.cache.size;
  }

  private async mint(host: string): Promise<tls.SecureContext> {
    this.keys ??= generateLeafKeys();
    const leaf = await issueLeaf(this.ca, { hosts: [host], keys: await this.keys, days: 7 });
    return tls.createSecureContext({
      cert: leaf.certPem,
      key: leaf.keyPem,
    });
  }
}
