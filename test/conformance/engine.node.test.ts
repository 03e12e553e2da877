import { describe, expect, it } from "vitest";
import { differences, engineOutcome } from "./corpus.ts";
import { loadCorpus } from "./load.node.ts";

// Runner (a): the engine in Node decides every corpus request as an edge enforcer would.
for (const { file, resolved } of loadCorpus()) {
  describe(`conformance corpus "${file.name}" — engine in Node`, () => {
    for (const testCase of file.cases) {
      it(testCase.name, () => {
        const outcome = engineOutcome(resolved, testCase.request);
        expect(differences(testCase.expect, outcome), JSON.stringify(outcome)).toEqual([]);
      });
    }
  });
}
