import { describe, expect, it } from "vitest";
import { differences, engineOutcome } from "./corpus.ts";
import { loadCorpus } from "./load.node.ts";

// Runner (a): the engine in Node decides every corpus request as an edge enforcer would. Cases
// about an enforcer without a bundle test the enforcers' state, which the engine alone lacks.
for (const { file, resolved } of loadCorpus()) {
  describe(`conformance corpus "${file.name}" — engine in Node`, () => {
    for (const testCase of file.cases) {
      if (testCase.bundle === "none") continue;
      it(testCase.name, async () => {
        const outcome = await engineOutcome(resolved, testCase);
        expect(differences(testCase.expect, outcome), JSON.stringify(outcome)).toEqual([]);
      });
    }
  });
}
