import { HostTrie } from "./host-trie.ts";

/**
 * The bucket segment of a path as path-style addressing reads it: the first raw segment,
 * after normalizePath, up to the next `/` or `?`. Escapes stay as they are, so in
 * `/corp-data%2Fkey` the segment is `corp-data%2Fkey`: S3 splits the bucket off the raw path
 * and takes an encoded slash as part of the name, never as the end of the bucket.
 */
export function firstSegment(path: string | undefined): string | undefined {
  if (path === undefined || !path.startsWith("/")) return undefined;
  let end = 1;
  while (end < path.length && path[end] !== "/" && path[end] !== "?") end++;
  return path.slice(1, end);
}

/**
 * The first segment that every path under the prefix shares (see pathUnder), or null when
 * paths under it may begin with any segment: no prefix, `/` alone, or a prefix whose first
 * segment is cut by a query mark.
 */
export function prefixSegment(prefix: string | null): string | null {
  if (prefix === null || !prefix.startsWith("/") || prefix.includes("?")) return null;
  const slash = prefix.indexOf("/", 1);
  if (slash < 0) return prefix.length > 1 ? prefix.slice(1) : null;
  return prefix.slice(1, slash);
}

/** The keys of one host pattern: one for forms open to any path, one per bucket segment. */
interface PatternKeys {
  any: number;
  readonly segments: Map<string, number>;
}

/**
 * Numbers every way a flow can reach a destination, so rules can be listed per key. Keys
 * below `objectCount` stand for "the destination address is in object k"; the rest stand for
 * one host pattern, optionally narrowed to one first path segment, which keeps the rules of
 * hundreds of path-style buckets behind one S3 endpoint apart.
 */
export class DestinationKeys {
  private readonly trie = new HostTrie<PatternKeys>();
  private readonly patterns = new Map<string, PatternKeys>();
  private next: number;

  constructor(readonly objectCount: number) {
    this.next = objectCount;
  }

  /** How many keys exist, address keys included. */
  get size(): number {
    return this.next;
  }

  /** The key of a host pattern, narrowed by the first segment of a path prefix if it has one. */
  key(pattern: string, pathPrefix: string | null): number {
    let keys = this.patterns.get(pattern);
    if (!keys) {
      keys = { any: -1, segments: new Map() };
      this.patterns.set(pattern, keys);
      this.trie.insert(pattern, keys);
    }
    const segment = prefixSegment(pathPrefix);
    if (segment === null) {
      if (keys.any < 0) keys.any = this.next++;
      return keys.any;
    }
    let key = keys.segments.get(segment);
    if (key === undefined) {
      key = this.next++;
      keys.segments.set(segment, key);
    }
    return key;
  }

  /** Appends the host keys a name (and path) can reach; each key at most once. */
  match(name: string, path: string | undefined, into: number[]): void {
    const segment = firstSegment(path);
    for (const found of this.trie.match(name)) {
      for (const keys of found) {
        if (keys.any >= 0) into.push(keys.any);
        const key = segment === undefined ? undefined : keys.segments.get(segment);
        if (key !== undefined) into.push(key);
      }
    }
  }
}
