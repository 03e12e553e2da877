import type { DocumentIssue } from "../documents/errors.ts";
import type { PortRange } from "./resolved.ts";

/** Turns `[443, "8000-8080"]` into sorted, merged inclusive ranges; records bad entries. */
export function parsePortSpecs(
  specs: readonly (number | string)[],
  path: string,
  issues: DocumentIssue[],
): PortRange[] {
  const ranges: PortRange[] = [];
  specs.forEach((spec, i) => {
    if (typeof spec === "number") {
      ranges.push([spec, spec]);
      return;
    }
    const [low, high] = spec.split("-").map(Number);
    if (low === undefined || high === undefined || low > high || high > 65535) {
      issues.push({
        path: `${path}[${i}]`,
        message: `"${spec}" is not a port range low-high within 0-65535`,
      });
      return;
    }
    ranges.push([low, high]);
  });
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const merged: PortRange[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** True when the port lies in one of the ranges; null ranges mean any port. */
export function portAllowed(ranges: readonly PortRange[] | null, port: number): boolean {
  if (ranges === null) return true;
  for (const [low, high] of ranges) if (port >= low && port <= high) return true;
  return false;
}
