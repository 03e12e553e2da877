const VERSION = /^[0-9]{1,9}(?:\.[0-9]{1,9}){0,15}$/;

/** True when the text is a dotted numeric version such as `7`, `7.4` or `10.0.19041`. */
export function isVersion(text: string): boolean {
  return VERSION.test(text);
}

/**
 * Compares two dotted numeric versions component by component; missing components count as
 * zero, so `7.4` equals `7.4.0`. Both inputs must satisfy {@link isVersion}.
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split(".");
  const right = b.split(".");
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const diff = Number(left[i] ?? "0") - Number(right[i] ?? "0");
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}
