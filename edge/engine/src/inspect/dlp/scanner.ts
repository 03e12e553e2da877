import { AhoCorasick } from "../aho-corasick.ts";
import { type CustomPattern, DEFAULT_PATTERN_LIMITS, findAll } from "../patterns.ts";
import { latin1 } from "../raw-http.ts";
import type { DetectionAction } from "../types.ts";
import { scanBuiltins } from "./anchors.ts";
import type { DlpHit } from "./builtin.ts";

/** A detector as compiled from a DLP profile. */
export interface DlpRule {
  detector: string;
  action: DetectionAction;
  /** Matches needed in one body before the action applies. */
  threshold: number;
  custom?: CustomPattern;
}

/** The DLP tally for one detector over one body. */
export interface DlpFinding {
  detector: string;
  count: number;
  action: DetectionAction;
  /** Up to three redacted samples. */
  evidence: string[];
}

/** Longest token we promise to find across a chunk boundary; also the bound on held-back bytes. */
export const DLP_WINDOW = 8192;

/** A streaming DLP scanner: feed chunks, get redacted output and findings. */
export class DlpStream {
  private tail = "";
  private base = 0;
  private reportedUpTo = 0;
  private readonly builtins: Set<string>;
  private readonly prefilter: AhoCorasick | undefined;
  private readonly counts = new Map<string, DlpFinding>();
  /** True when a customer pattern hit its budget; callers fail closed on it. */
  budgetExhausted = false;

  constructor(private readonly rules: readonly DlpRule[]) {
    this.builtins = new Set(rules.filter((r) => !r.custom).map((r) => r.detector));
    const literals = rules.map((r) => r.custom?.literal ?? "");
    this.prefilter = literals.some((l) => l !== "") ? new AhoCorasick(literals) : undefined;
  }

  private customHits(text: string): DlpHit[] {
    const present = this.prefilter?.matchSet(text);
    const hits: DlpHit[] = [];
    this.rules.forEach((rule, index) => {
      if (!rule.custom) return;
      if (rule.custom.literal && !present?.has(index)) return;
      const { matches, exhausted } = findAll(rule.custom, text, DEFAULT_PATTERN_LIMITS);
      if (exhausted) this.budgetExhausted = true;
      for (const m of matches)
        hits.push({
          detector: rule.detector,
          start: m.start,
          end: m.end,
          evidence: redactText(m.text),
        });
    });
    return hits;
  }

  private record(hit: DlpHit): void {
    const rule = this.rules.find((r) => r.detector === hit.detector);
    if (!rule) return;
    const finding = this.counts.get(hit.detector) ?? {
      detector: hit.detector,
      count: 0,
      action: rule.action,
      evidence: [],
    };
    finding.count++;
    if (finding.evidence.length < 3) finding.evidence.push(hit.evidence);
    this.counts.set(hit.detector, finding);
  }

  /**
   * Scans the held-back tail plus `chunk`. Returns the bytes that are now safe to emit (with
   * redactions applied); bytes that a match might still extend into stay held back.
   */
  push(chunk: Uint8Array, final = false): Uint8Array {
    const text = this.tail + latin1(chunk);
    const { emitUpTo, redactions } = this.scan(text, final);
    const out = redact(text.slice(0, emitUpTo), redactions);
    this.tail = text.slice(emitUpTo);
    this.base += emitUpTo;
    const bytes = new Uint8Array(out.length);
    for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
    return bytes;
  }

  /**
   * Scans a whole body already read as Latin-1 (see {@link latin1}) when only the findings are
   * wanted: the same tallies as one final {@link push}, without building the redacted output.
   */
  scanWhole(text: string): void {
    this.scan(this.tail + text, true);
    this.tail = "";
  }

  private scan(text: string, final: boolean): { emitUpTo: number; redactions: DlpHit[] } {
    const hits = [...scanBuiltins(text, this.builtins), ...this.customHits(text)].sort(
      (a, b) => a.start - b.start,
    );
    const holdFrom = final ? text.length : Math.max(0, text.length - DLP_WINDOW);
    let emitUpTo = holdFrom;
    const redactions: DlpHit[] = [];
    for (const hit of hits) {
      if (this.base + hit.start < this.reportedUpTo) continue;
      if (!final && hit.end > holdFrom) {
        emitUpTo = Math.min(emitUpTo, hit.start);
        break;
      }
      this.record(hit);
      this.reportedUpTo = this.base + hit.end;
      if (this.rules.find((r) => r.detector === hit.detector)?.action === "redact")
        redactions.push(hit);
    }
    return { emitUpTo, redactions };
  }

  /** The per-detector tallies so far, with thresholds applied. */
  findings(): DlpFinding[] {
    return [...this.counts.values()].filter(
      (f) => f.count >= (this.rules.find((r) => r.detector === f.detector)?.threshold ?? 1),
    );
  }
}

function redact(text: string, hits: DlpHit[]): string {
  let out = text;
  for (const hit of [...hits].reverse()) {
    if (hit.end > out.length) continue;
    out = out.slice(0, hit.start) + "*".repeat(hit.end - hit.start) + out.slice(hit.end);
  }
  return out;
}

/** Keeps the first and last two characters of a custom match, masking the rest. */
export function redactText(text: string): string {
  if (text.length <= 6) return "*".repeat(text.length);
  return `${text.slice(0, 2)}${"*".repeat(Math.min(12, text.length - 4))}${text.slice(-2)}`;
}
