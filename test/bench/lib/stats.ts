/** Summary statistics for benchmark rounds: the median and how far the rounds spread. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median: the relative spread of the rounds, 0 when they all agree. */
  spread: number;
  samples: number[];
}

/** The value at quantile `q` (0..1) of `values`, nearest rank; 0 for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Median, extremes and relative spread of `samples`. */
export function summarise(samples: readonly number[]): Summary {
  const median = quantile(samples, 0.5);
  const min = samples.length ? Math.min(...samples) : 0;
  const max = samples.length ? Math.max(...samples) : 0;
  return { median, min, max, spread: median ? (max - min) / median : 0, samples: [...samples] };
}

/** Rounds a figure to `digits` significant digits so reports stay readable. */
export function round(value: number, digits = 3): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}
