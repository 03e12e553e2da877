import { hostLabels } from "./hosts.ts";

interface TrieNode<T> {
  readonly children: Map<string, TrieNode<T>>;
  star: TrieNode<T> | undefined;
  /** Values of patterns that end exactly at this node. */
  readonly exact: T[];
  /** Values of `**.` patterns whose fixed suffix ends at this node. */
  readonly multi: T[];
}

function node<T>(): TrieNode<T> {
  return { children: new Map(), star: undefined, exact: [], multi: [] };
}

/**
 * Host patterns keyed by their labels from right to left, so a lookup walks the host's labels
 * once. Exact labels are map edges, an inner or leftmost `*` is a single wildcard edge, and a
 * leftmost `**` stores its value at the node of its fixed suffix, matching any host with at
 * least one more label. Values inserted in ascending order stay in ascending order per node.
 */
export class HostTrie<T> {
  private readonly root: TrieNode<T> = node();

  /** Adds a value under a normalised pattern. */
  insert(pattern: string, value: T): void {
    const labels = hostLabels(pattern);
    const multi = labels[0] === "**";
    let current = this.root;
    for (let i = labels.length - 1; i >= (multi ? 1 : 0); i--) {
      const label = labels[i] ?? "";
      if (label === "*") {
        current.star ??= node();
        current = current.star;
        continue;
      }
      let child = current.children.get(label);
      if (!child) {
        child = node();
        current.children.set(label, child);
      }
      current = child;
    }
    (multi ? current.multi : current.exact).push(value);
  }

  /** Every value list whose pattern matches the normalised host; each list is in insertion order. */
  match(host: string): T[][] {
    const labels = hostLabels(host);
    const found: T[][] = [];
    this.walk(this.root, labels, labels.length - 1, found);
    return found;
  }

  private walk(current: TrieNode<T>, labels: string[], next: number, found: T[][]): void {
    if (next < 0) {
      if (current.exact.length > 0) found.push(current.exact);
      return;
    }
    if (current.multi.length > 0) found.push(current.multi);
    const child = current.children.get(labels[next] ?? "");
    if (child) this.walk(child, labels, next - 1, found);
    if (current.star) this.walk(current.star, labels, next - 1, found);
  }
}
