import type { Asset } from "../documents/inventory.ts";
import type { SelectorKey, SelectorNode } from "../selector/ast.ts";
import { formatSelector } from "../selector/canonical.ts";
import { ASSET_FIELDS, compareValue } from "../selector/evaluate.ts";

/** A set of asset positions as a bitset of 32-bit words. */
export type AssetBitset = Uint32Array;

const PREDICATE_CACHE_LIMIT = 1024;
const FIELD_SET: ReadonlySet<string> = new Set(ASSET_FIELDS);

function keyOf(key: SelectorKey): string {
  return `${key.source}\u0000${key.name}`;
}

/**
 * Evaluates selectors over a whole inventory with set algebra instead of asset by asset:
 * each key holds its distinct values and the assets that carry them, so a predicate costs one
 * pass over distinct values, and `and`/`or`/`not` are word-wise bitset operations. The
 * result equals `evaluateSelector` on every asset (the property tests check this).
 */
export class AssetSets {
  readonly words: number;
  private readonly postings = new Map<string, Map<string, number[]>>();
  private readonly cache = new Map<string, AssetBitset>();
  private readonly presence = new Map<string, AssetBitset>();
  /** Assets that carry a key with no values at all (an empty list attribute). */
  private readonly presentOnly = new Map<string, number[]>();

  constructor(readonly assets: readonly Asset[]) {
    this.words = Math.ceil(assets.length / 32);
    assets.forEach((asset, position) => {
      this.addAsset(asset, position);
    });
  }

  private post(key: string, value: string, position: number): void {
    let values = this.postings.get(key);
    if (!values) {
      values = new Map();
      this.postings.set(key, values);
    }
    const list = values.get(value);
    if (!list) values.set(value, [position]);
    else if (list[list.length - 1] !== position) list.push(position);
  }

  private markPresent(key: string, position: number): void {
    const list = this.presentOnly.get(key);
    if (list) list.push(position);
    else this.presentOnly.set(key, [position]);
  }

  private addAsset(asset: Asset, position: number): void {
    for (const field of ASSET_FIELDS) {
      const value = asset[field];
      if (value !== undefined) this.post(`attr\u0000${field}`, value, position);
    }
    for (const [name, value] of Object.entries(asset.attributes)) {
      if (FIELD_SET.has(name)) continue;
      const key = `attr\u0000${name}`;
      if (typeof value === "string") this.post(key, value, position);
      else if (value.length === 0) this.markPresent(key, position);
      else for (const item of value) this.post(key, item, position);
    }
    for (const [name, value] of Object.entries(asset.tags))
      this.post(`tag\u0000${name}`, value, position);
  }

  /** A fresh empty bitset sized for this inventory. */
  empty(): AssetBitset {
    return new Uint32Array(this.words);
  }

  /** The assets selected by a parsed selector. The result must not be modified. */
  evaluate(node: SelectorNode): AssetBitset {
    switch (node.type) {
      case "and":
        return this.combine(node.operands, (a, b) => a & b);
      case "or":
        return this.combine(node.operands, (a, b) => a | b);
      case "not":
        return this.complement(this.evaluate(node.operand));
      default:
        return this.predicate(node);
    }
  }

  private combine(
    operands: readonly SelectorNode[],
    op: (a: number, b: number) => number,
  ): AssetBitset {
    const [first, ...rest] = operands;
    const out = first ? this.evaluate(first).slice() : this.empty();
    for (const operand of rest) {
      const bits = this.evaluate(operand);
      for (let i = 0; i < out.length; i++) out[i] = op(out[i] ?? 0, bits[i] ?? 0);
    }
    return out;
  }

  private complement(bits: AssetBitset): AssetBitset {
    const out = this.empty();
    for (let i = 0; i < out.length; i++) out[i] = ~(bits[i] ?? 0);
    const tail = this.assets.length % 32;
    if (tail !== 0 && out.length > 0)
      out[out.length - 1] = (out[out.length - 1] ?? 0) & ((1 << tail) - 1);
    return out;
  }

  private predicate(node: SelectorNode): AssetBitset {
    const text = formatSelector(node);
    const cached = this.cache.get(text);
    if (cached) return cached;

    const bits = this.computePredicate(node);
    if (this.cache.size < PREDICATE_CACHE_LIMIT) this.cache.set(text, bits);
    return bits;
  }

  private computePredicate(node: SelectorNode): AssetBitset {
    if (node.type !== "has" && node.type !== "compare" && node.type !== "in") return this.empty();
    const key = keyOf(node.key);
    const present = this.present(key);
    if (node.type === "has") return present;

    const values = this.postings.get(key) ?? new Map<string, number[]>();
    const hit = this.empty();
    if (node.type === "in" || node.op === "==" || node.op === "!=") {
      // Equality needs only the postings of the named values, not a pass over every value.
      const wanted = node.type === "in" ? node.values : [node.value];
      for (const value of wanted)
        for (const position of values.get(value) ?? []) setBit(hit, position);
    } else {
      for (const [value, positions] of values) {
        if (!matchesValue(node, value)) continue;
        for (const position of positions) setBit(hit, position);
      }
    }

    const negated = node.type === "in" ? node.negated : node.op === "!=";
    if (!negated) return hit;
    const out = present.slice();
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) & ~(hit[i] ?? 0);
    return out;
  }

  /** The assets that carry a key at all, computed once per key. */
  private present(key: string): AssetBitset {
    const cached = this.presence.get(key);
    if (cached) return cached;
    const bits = this.empty();
    for (const positions of this.postings.get(key)?.values() ?? []) {
      for (const position of positions) setBit(bits, position);
    }
    for (const position of this.presentOnly.get(key) ?? []) setBit(bits, position);
    this.presence.set(key, bits);
    return bits;
  }

  /** Calls `visit` with the position of every asset in the bitset, ascending. */
  forEach(bits: AssetBitset, visit: (position: number) => void): void {
    for (let word = 0; word < bits.length; word++) {
      let rest = bits[word] ?? 0;
      while (rest !== 0) {
        const low = rest & -rest;
        visit(word * 32 + (31 - Math.clz32(low)));
        rest ^= low;
      }
    }
  }
}

function setBit(bits: AssetBitset, position: number): void {
  const word = position >>> 5;
  bits[word] = (bits[word] ?? 0) | (1 << (position & 31));
}

function matchesValue(node: SelectorNode, value: string): boolean {
  if (node.type === "in") return node.values.includes(value);
  if (node.type === "compare") return compareValue(node.op, value, node.value);
  return false;
}
