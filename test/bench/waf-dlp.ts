import {
  BUILTIN_DETECTORS,
  compileCustomPattern,
  findAll,
  scanBuiltins,
} from "@ringfence/engine/inspect";

/** A realistic body: JSON records with occasional PII, about `size` characters. */
export function dlpInput(size: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < size; i++) {
    const pii =
      i % 50 === 0 ? ` card 4111 1111 1111 1111 mail user${i}@example.com ssn 123-45-6789` : "";
    const rec = `{"id":${i},"name":"Customer ${i}","note":"ordered 3 items, shipped to warehouse ${i % 17}${pii}","total":${(i * 7.31).toFixed(2)}},\n`;
    parts.push(rec);
    n += rec.length;
  }
  return parts.join("");
}

/** One JavaScript RegExp with the same patterns the built-in detectors look for. */
export const COMBINED_REGEXP = new RegExp(
  [
    "\\b(?:\\d[ -]?){12,18}\\d\\b",
    "\\b\\d{3}-\\d{2}-\\d{4}\\b",
    // Case-insensitive like the built-in IBAN detector, which reads "de89 3704 …" too.
    "\\b[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\\b",
    "\\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\\b",
    "(?:aws_?secret_?access_?key|secret_?access_?key)[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+]{40}",
    "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----",
    "\\beyJ[A-Za-z0-9_-]{7,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*",
    "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}",
  ].join("|"),
  "g",
);

function bestOf(runs: number, fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Milliseconds of this process's CPU time that `fn` takes. */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

/**
 * MB/s of the built-in scanner and of the combined RegExp on the same input, timed in
 * interleaved rounds (the order alternates). Each side is timed in process CPU time, not wall
 * time: on a shared machine a few-millisecond scan that loses the core for one time slice
 * would otherwise count the other processes' work as its own, and the RegExp, ten times
 * longer, averages those slices out. `ratio` is the median of the per-round ratios,
 * `ratioRange` their lowest and highest, `bestRatio` each side's fastest round against the
 * other's.
 */
export function dlpThroughput(
  size = 4 << 20,
  rounds = 31,
): {
  clock: "process CPU time";
  builtinMBps: number;
  regexpMBps: number;
  ratio: number;
  ratioRange: [number, number];
  bestRatio: number;
  builtinHits: number;
  regexpHits: number;
} {
  const text = dlpInput(size);
  const enabled = new Set<string>(BUILTIN_DETECTORS);
  let builtinHits = 0;
  let regexpHits = 0;
  const scan = () => {
    builtinHits = scanBuiltins(text, enabled).length;
  };
  const regexp = () => {
    regexpHits = [...text.matchAll(COMBINED_REGEXP)].length;
  };
  const tb: number[] = [];
  const tr: number[] = [];
  for (let round = 0; round < rounds + 2; round++) {
    const scanFirst = round % 2 === 0;
    const t1 = cpuMs(scanFirst ? scan : regexp);
    const t2 = cpuMs(scanFirst ? regexp : scan);
    if (round < 2) continue;
    tb.push(scanFirst ? t1 : t2);
    tr.push(scanFirst ? t2 : t1);
  }
  const mb = text.length / 1e6;
  const ratios = tr.map((r, i) => r / (tb[i] ?? Number.NaN));
  return {
    clock: "process CPU time",
    builtinMBps: mb / (median(tb) / 1000),
    regexpMBps: mb / (median(tr) / 1000),
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    bestRatio: Math.min(...tr) / Math.min(...tb),
    builtinHits,
    regexpHits,
  };
}

/**
 * Times customer patterns built to make backtracking engines explode on inputs from 1 KB to
 * 1 MB, and fits t = a + b·n + c·n² (slope b) and t ∝ n^k (exponent k). A linear engine
 * shows k ≈ 1 and a quadratic share c·n²/t near 0 at 1 MB, up to timing noise.
 */
export function customPatternLinearity(): {
  pattern: string;
  sizes: number[];
  ms: number[];
  slopeNsPerByte: number;
  quadraticShare: number;
  exponent: number;
}[] {
  const cases = [
    { pattern: "(a+)+b", input: (n: number) => `b${"a".repeat(n)}` },
    // No literal to prefilter on, and the "!" makes every start position fail late.
    { pattern: "^(\\w+\\s?)*$", input: (n: number) => `${"a".repeat(n)}!` },
    {
      pattern: "([a-z0-9]+\\.)*[a-z0-9]+@corp\\.example",
      input: (n: number) => `@corp.example ${"a.".repeat(n / 2)}`,
    },
  ];
  const sizes = [1, 4, 16, 64, 256, 1024].map((k) => k * 1024);
  return cases.map(({ pattern, input }) => {
    const compiled = compileCustomPattern(pattern);
    const texts = sizes.map(input);
    // Rounds over all sizes, best per size: the engine is warm and a busy moment hits one round.
    const ms = sizes.map(() => Number.POSITIVE_INFINITY);
    for (let round = 0; round < 6; round++)
      texts.forEach((text, i) => {
        ms[i] = Math.min(
          ms[i] ?? Number.POSITIVE_INFINITY,
          bestOf(1, () => findAll(compiled, text)),
        );
      });
    const [a, b, c] = fitQuadratic(sizes, ms);
    const largest = sizes[sizes.length - 1] ?? 1;
    const total = a + b * largest + c * largest * largest;
    // t ∝ n^k: a linear engine has k ≈ 1, a quadratic one k ≈ 2. Fitted from 64 KB up: below
    // about 32 KB the engine's working set stays in the CPU cache and each byte costs less.
    const exponent = fitExponent(sizes.slice(3), ms.slice(3));
    return {
      pattern,
      sizes,
      ms,
      slopeNsPerByte: b * 1e6,
      quadraticShare: Math.abs(c * largest * largest) / Math.max(total, 1e-9),
      exponent,
    };
  });
}

/** Least-squares slope of log t over log n: the power the time grows with. */
function fitExponent(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map((y) => Math.log(Math.max(y, 1e-6)));
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  const cov = lx.reduce((a, x, i) => a + (x - mx) * ((ly[i] ?? 0) - my), 0);
  const variance = lx.reduce((a, x) => a + (x - mx) ** 2, 0);
  return cov / variance;
}

/** Least-squares fit of y = a + b·x + c·x², solved by Cramer's rule on the normal equations. */
function fitQuadratic(xs: number[], ys: number[]): [number, number, number] {
  const s = (p: number, q = 0) => xs.reduce((acc, x, i) => acc + x ** p * (ys[i] ?? 0) ** q, 0);
  const m = [
    [xs.length, s(1), s(2)],
    [s(1), s(2), s(3)],
    [s(2), s(3), s(4)],
  ];
  const v = [s(0, 1), s(1, 1), s(2, 1)];
  const det = (k: number[][]) =>
    (k[0]?.[0] ?? 0) * ((k[1]?.[1] ?? 0) * (k[2]?.[2] ?? 0) - (k[1]?.[2] ?? 0) * (k[2]?.[1] ?? 0)) -
    (k[0]?.[1] ?? 0) * ((k[1]?.[0] ?? 0) * (k[2]?.[2] ?? 0) - (k[1]?.[2] ?? 0) * (k[2]?.[0] ?? 0)) +
    (k[0]?.[2] ?? 0) * ((k[1]?.[0] ?? 0) * (k[2]?.[1] ?? 0) - (k[1]?.[1] ?? 0) * (k[2]?.[0] ?? 0));
  const d = det(m);
  const col = (j: number) => m.map((row, i) => row.map((x, k) => (k === j ? (v[i] ?? 0) : x)));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}
