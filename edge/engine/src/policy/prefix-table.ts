import { type IpAddress, type IpPrefix, unmapIpv4 } from "../net/index.ts";
import { prefixRange } from "./prefix-set.ts";

const EMPTY = new Uint32Array(0);
const V6_WORDS = 4;

interface Event {
  readonly at: bigint;
  readonly object: number;
  readonly delta: 1 | -1;
}

/** Sorted interval starts of one family and the membership set that holds from each start on. */
interface FamilyTable {
  readonly starts: Uint32Array;
  readonly sets: Int32Array;
}

/**
 * Answers "which address objects contain this address" in O(log n).
 *
 * All prefixes of all objects are cut into disjoint elementary intervals; each interval
 * carries an interned, sorted list of object indices. A lookup is one binary search over the
 * interval starts (one 32-bit word per IPv4 start, four per IPv6 start), so the structure costs
 * at most two starts and two set ids per prefix plus the shared membership lists.
 */
export class PrefixTable {
  private readonly v4: FamilyTable;
  private readonly v6: FamilyTable;
  private readonly setOffsets: Uint32Array;
  private readonly setData: Uint32Array;
  /** How many prefixes went in, for memory-per-prefix accounting. */
  readonly prefixCount: number;

  /** `objects[i]` lists object i's prefixes; each is read once, so a lazy iterable will do. */
  constructor(objects: readonly Iterable<IpPrefix>[]) {
    const interner = new SetInterner();
    const keys4: number[] = [];
    const events6: Event[] = [];
    let count = 0;
    objects.forEach((prefixes, object) => {
      for (const prefix of prefixes) {
        count++;
        if (prefix.address.family === 4) {
          const first = ipv4Number(prefix.address.bytes);
          const end = first + 2 ** (32 - prefix.length);
          keys4.push(first * OBJECT_SPAN + object * 2 + 1, end * OBJECT_SPAN + object * 2);
          continue;
        }
        const range = prefixRange(prefix);
        events6.push(
          { at: range.first, object, delta: 1 },
          { at: range.last + 1n, object, delta: -1 },
        );
      }
    });
    this.prefixCount = count;
    this.v4 = sweep4(Float64Array.from(keys4), objects.length, interner);
    this.v6 = sweep(events6, V6_WORDS, interner);
    [this.setOffsets, this.setData] = interner.pack();
  }

  /** Sorted indices of the objects containing the address (IPv4-mapped IPv6 is unmapped). */
  lookup(address: IpAddress): Uint32Array {
    const candidate = unmapIpv4(address);
    const set = candidate.family === 4 ? this.find4(candidate.bytes) : this.find6(candidate.bytes);
    if (set < 0) return EMPTY;
    return this.setData.subarray(this.setOffsets[set] ?? 0, this.setOffsets[set + 1] ?? 0);
  }

  /** The same membership as a bitset over object indices, for callers that want one. */
  lookupBitset(address: IpAddress, objectCount: number): Uint32Array {
    const bits = new Uint32Array(Math.ceil(objectCount / 32));
    for (const object of this.lookup(address))
      bits[object >>> 5] = (bits[object >>> 5] ?? 0) | (1 << (object & 31));
    return bits;
  }

  /** Bytes held by the typed arrays of the structure. */
  byteLength(): number {
    const arrays = [
      this.v4.starts,
      this.v4.sets,
      this.v6.starts,
      this.v6.sets,
      this.setOffsets,
      this.setData,
    ];
    return arrays.reduce((sum, array) => sum + array.byteLength, 0);
  }

  private find4(bytes: Uint8Array): number {
    const value = ipv4Number(bytes);
    const starts = this.v4.starts;
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if ((starts[mid] ?? 0) <= value) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found < 0 ? -1 : (this.v4.sets[found] ?? -1);
  }

  private find6(bytes: Uint8Array): number {
    const words = new Uint32Array(V6_WORDS);
    for (let i = 0; i < V6_WORDS; i++) {
      const b = i * 4;
      words[i] =
        ((bytes[b] ?? 0) << 24) |
        ((bytes[b + 1] ?? 0) << 16) |
        ((bytes[b + 2] ?? 0) << 8) |
        (bytes[b + 3] ?? 0);
    }
    const starts = this.v6.starts;
    let low = 0;
    let high = starts.length / V6_WORDS - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (compareWords(starts, mid * V6_WORDS, words) <= 0) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found < 0 ? -1 : (this.v6.sets[found] ?? -1);
  }
}

/**
 * IPv4 events packed into one float each: position × 2^21 + object × 2 + (1 for a start).
 * Positions reach 2^32 and objects stay below 2^20, so keys stay exact below 2^53 and sort
 * natively, which keeps a million-prefix build to a numeric sort and one pass.
 */
const OBJECT_SPAN = 2 ** 21;

/** The maximum number of objects a prefix table can index. */
export const MAX_TABLE_OBJECTS = 2 ** 20;

function ipv4Number(bytes: Uint8Array): number {
  return (
    (((bytes[0] ?? 0) << 24) |
      ((bytes[1] ?? 0) << 16) |
      ((bytes[2] ?? 0) << 8) |
      (bytes[3] ?? 0)) >>>
    0
  );
}

function sweep4(keys: Float64Array, objectCount: number, interner: SetInterner): FamilyTable {
  if (objectCount > MAX_TABLE_OBJECTS) throw new RangeError(`at most ${MAX_TABLE_OBJECTS} objects`);
  keys.sort();
  const counts = new Int32Array(objectCount);
  const active = new Set<number>();
  const starts: number[] = [];
  const sets: number[] = [];

  let i = 0;
  while (i < keys.length) {
    const at = Math.floor((keys[i] ?? 0) / OBJECT_SPAN);
    for (; i < keys.length && Math.floor((keys[i] ?? 0) / OBJECT_SPAN) === at; i++) {
      const low = (keys[i] ?? 0) - at * OBJECT_SPAN;
      const object = low >>> 1;
      const count = (counts[object] ?? 0) + ((low & 1) === 1 ? 1 : -1);
      counts[object] = count;
      if (count === 0) active.delete(object);
      else active.add(object);
    }
    if (at >= 2 ** 32) break;
    const set = interner.intern([...active].sort((a, b) => a - b));
    if (sets[sets.length - 1] !== set) {
      starts.push(at);
      sets.push(set);
    }
  }
  return { starts: Uint32Array.from(starts), sets: Int32Array.from(sets) };
}

function compareWords(starts: Uint32Array, offset: number, words: Uint32Array): number {
  for (let i = 0; i < V6_WORDS; i++) {
    const diff = (starts[offset + i] ?? 0) - (words[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Walks the sorted start/end events and records the membership set after each position. */
function sweep(events: Event[], wordsPerStart: number, interner: SetInterner): FamilyTable {
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const limit = 1n << BigInt(32 * wordsPerStart);
  const active = new Map<number, number>();
  const starts: bigint[] = [];
  const sets: number[] = [];

  let i = 0;
  while (i < events.length) {
    const at = events[i]?.at ?? 0n;
    for (; i < events.length && events[i]?.at === at; i++) {
      const event = events[i] as Event;
      const count = (active.get(event.object) ?? 0) + event.delta;
      if (count === 0) active.delete(event.object);
      else active.set(event.object, count);
    }
    if (at >= limit) break;
    const set = interner.intern([...active.keys()].sort((a, b) => a - b));
    if (sets[sets.length - 1] !== set) {
      starts.push(at);
      sets.push(set);
    }
  }
  return { starts: packStarts(starts, wordsPerStart), sets: Int32Array.from(sets) };
}

function packStarts(starts: readonly bigint[], wordsPerStart: number): Uint32Array {
  const packed = new Uint32Array(starts.length * wordsPerStart);
  starts.forEach((start, i) => {
    for (let w = 0; w < wordsPerStart; w++) {
      const shift = BigInt(32 * (wordsPerStart - 1 - w));
      packed[i * wordsPerStart + w] = Number((start >> shift) & 0xffffffffn);
    }
  });
  return packed;
}

/** Gives each distinct membership list one id; the empty list is -1. */
class SetInterner {
  private readonly ids = new Map<string, number>();
  private readonly lists: number[][] = [];

  intern(objects: number[]): number {
    if (objects.length === 0) return -1;
    const key = objects.join(",");
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    this.ids.set(key, this.lists.length);
    this.lists.push(objects);
    return this.lists.length - 1;
  }

  pack(): [Uint32Array, Uint32Array] {
    const offsets = new Uint32Array(this.lists.length + 1);
    let total = 0;
    this.lists.forEach((list, i) => {
      offsets[i] = total;
      total += list.length;
    });
    offsets[this.lists.length] = total;
    const data = new Uint32Array(total);
    this.lists.forEach((list, i) => {
      data.set(list, offsets[i] ?? 0);
    });
    return [offsets, data];
  }
}
