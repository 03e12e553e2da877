import { describe, expect, it } from "vitest";
import { pickFigures, renderMarkdown } from "./report.ts";

describe("benchmark report figures", () => {
  it("names array rows by their shape and reads repeated timings as their median", () => {
    const figures = pickFigures({
      goalMedianMs: 2,
      cpu: [
        { shape: "GET", status: 200, medianMs: 0.5, perRound: [0.4, 0.5, 0.9] },
        { shape: "JSON 100 KB", status: 200, medianMs: 1.45, perRound: [1.4, 1.5] },
      ],
      queriesMs: { topSources: { wallMs: [180, 260, 175], cpuMs: 177 } },
      note: "text is not a figure",
      samples: [1, 2, 3],
    });
    expect(figures).toEqual({
      goalMedianMs: 2,
      "cpu.GET.medianMs": 0.5,
      "cpu.JSON 100 KB.medianMs": 1.45,
      "queriesMs.topSources.wallMs.median": 180,
      "queriesMs.topSources.cpuMs": 177,
    });
  });

  it("renders a summary line per benchmark with its goal and a table of its figures", () => {
    const text = renderMarkdown(
      [
        {
          name: "worker",
          status: "ok",
          seconds: 12.34,
          figures: { "cpu.GET.medianMs": 0.5 },
          goal: { text: "median ≤ 2 ms", met: true },
        },
        { name: "events", status: "failed", seconds: 3, reason: "exit 1", figures: {} },
      ],
      "2026-12-05T00:00:00.000Z",
    );
    expect(text).toContain("| worker | ok | 12.3 | median ≤ 2 ms | true |");
    expect(text).toContain("| events | failed: exit 1 | 3 | — | — |");
    expect(text).toContain("| cpu.GET.medianMs | 0.5 |");
  });
});
