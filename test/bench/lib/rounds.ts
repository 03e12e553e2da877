import { type Summary, summarise } from "./stats.ts";

/** Which round a measurement belongs to; warm-up rounds are measured but not reported. */
export interface RoundContext {
  round: number;
  warmup: boolean;
}

/** One contender in an interleaved comparison: a name and a measurement that returns a figure. */
export interface Contender {
  name: string;
  measure(context: RoundContext): Promise<number>;
}

export interface RoundsOptions {
  /** The reference every ratio divides by; it is also measured twice per round for A/A. */
  reference: Contender;
  others: Contender[];
  rounds: number;
  warmupRounds: number;
  /** Whether a bigger figure is better (req/s) or worse (latency); ratios read "better is > 1". */
  higherIsBetter: boolean;
}

export interface RoundsResult {
  /** Raw figures per contender, one per measured round. */
  figures: Record<string, Summary>;
  /** Ratio to the reference measured in the same round, per contender. */
  ratios: Record<string, Summary>;
  /** The reference against its own second run in the same round: the noise floor. */
  aa: Summary;
}

/**
 * Runs the contenders in interleaved rounds (the order rotates every round so no contender is
 * always first or last), discards warm-up rounds, and reports per-round ratios against the
 * reference measured in the same round, plus an A/A ratio of the reference against itself.
 */
export async function interleave(options: RoundsOptions): Promise<RoundsResult> {
  const aaTwin: Contender = { name: "__aa", measure: options.reference.measure };
  const all = [options.reference, ...options.others, aaTwin];
  const figures = new Map<string, number[]>(all.map((c) => [c.name, []]));

  for (let round = 0; round < options.warmupRounds + options.rounds; round += 1) {
    const order = all.map((_, i) => all[(i + round) % all.length]);
    const measured = new Map<string, number>();
    const context = { round, warmup: round < options.warmupRounds };
    for (const contender of order) {
      if (contender) measured.set(contender.name, await contender.measure(context));
    }
    if (context.warmup) continue;
    for (const [name, figure] of measured) figures.get(name)?.push(figure);
  }

  const reference = figures.get(options.reference.name) ?? [];
  const ratioOf = (samples: number[]) =>
    summarise(
      samples.map((value, i) => {
        const ref = reference[i] ?? Number.NaN;
        return options.higherIsBetter ? value / ref : ref / value;
      }),
    );
  const result: RoundsResult = { figures: {}, ratios: {}, aa: ratioOf(figures.get("__aa") ?? []) };
  for (const contender of [options.reference, ...options.others]) {
    const samples = figures.get(contender.name) ?? [];
    result.figures[contender.name] = summarise(samples);
    result.ratios[contender.name] = ratioOf(samples);
  }
  return result;
}
