import { describe, expect, it } from "vitest";
import { CloudParseError, detectAndParse } from "../../src/parsers/index.ts";
import badInstances from "../fixtures/cloud/bad/instances.json?raw";
import truncated from "../fixtures/cloud/bad/truncated.txt?raw";
import unknown from "../fixtures/cloud/bad/unknown.json?raw";
import badVm from "../fixtures/cloud/bad/vm-list-bad-ip.json?raw";
import missingId from "../fixtures/cloud/bad/vpcs-missing-id.json?raw";

function failure(file: string, text: string): CloudParseError {
  try {
    detectAndParse(file, text);
  } catch (error) {
    if (error instanceof CloudParseError) return error;
    throw error;
  }
  throw new Error(`${file} parsed without error`);
}

describe("errors name the file, the field's JSON path and the record", () => {
  it("reports a bad instance address with its reservation, index and id", () => {
    expect(failure("instances.json", badInstances).message).toBe(
      'instances.json: Reservations[2].Instances[0].PrivateIpAddress: expected an IPv4 address, got "x" (record i-0badbadbadbad0001)',
    );
  });

  it("reports a missing id at the record's index", () => {
    const error = failure("vpcs.json", missingId);
    expect(error.message).toBe(
      "vpcs.json: Vpcs[1].VpcId: expected a non-empty string, got undefined",
    );
    expect(error.path).toBe("Vpcs[1].VpcId");
  });

  it("reports one bad address inside a comma-separated Azure field", () => {
    expect(failure("vms.json", badVm).message).toMatch(
      /^vms\.json: \[0\]\.privateIps: expected an IPv4 address, got "10\.0\.0\.999" \(record \/subscriptions\/s\/.*vm1\)$/,
    );
  });

  it("reports JSON syntax errors and unknown content by file", () => {
    expect(failure("t.json", truncated).message).toMatch(/^t\.json: not valid JSON: /);
    expect(failure("u.json", unknown).message).toMatch(/^u\.json: unrecognised content: expected/);
    expect(failure("n.json", "42").message).toMatch(/^n\.json: unrecognised content/);
  });

  it("reports canonical inventory problems with path and asset id", () => {
    const text = JSON.stringify({
      schemaVersion: 1,
      assets: [
        {
          id: "a-1",
          provider: "oracle",
          kind: "instance",
          account: "1",
          region: "r",
          addresses: { private: [], public: [] },
          attributes: {},
          tags: {},
        },
      ],
    });
    const error = failure("inv.json", text);
    expect(error.message).toMatch(/^inv\.json: assets\[0\]\.provider: .* \(record a-1\)$/);
  });

  it("accepts a valid canonical inventory and an empty list", () => {
    const text = JSON.stringify({ schemaVersion: 1, assets: [] });
    expect(detectAndParse("inv.json", text).format).toBe("ringfence-inventory");
    expect(detectAndParse("empty.json", "[]").inventory.assets).toEqual([]);
  });
});
