import { describe, expect, it } from "vitest";
import { checkHostLexical, checkUrlLexical } from "../../src/ssrf/index.ts";

/**
 * Spellings of the instance metadata address 169.254.169.254 that real parsers accept. The
 * security property: lexical mode blocks every one of them as metadata, whether the WHATWG URL
 * parser accepts the spelling or only a laxer backend parser would.
 */
const METADATA_URLS = [
  "http://169.254.169.254/latest/meta-data/",
  "http://2852039166/",
  "http://0251.0376.0251.0376/",
  "http://0xa9fea9fe/",
  "http://0XA9FEA9FE/",
  "http://0xa9.0xfe.0xa9.0xfe/",
  "http://169.254.43518/",
  "http://169.16689662/",
  "http://0251.254.0xa9.254/",
  "http://0x00a9.0x0fe.000000251.0376/",
  "http://0000000000251.0376.0251.0376/",
  "http://0xa9.254.0251.0xfe/",
  "http://169.254.169.254./",
  "http://169.254.169.254../",
  "http://a@169.254.169.254/",
  "http://user:pass@169.254.169.254:80/",
  "http:\\\\169.254.169.254\\latest",
  "http://169.254.169.254\\latest",
  "http://example.com\\@169.254.169.254/",
  "http://169.254\t.169.254/",
  "http://169.254.\n169.254/",
  "  http://169.254.169.254/  ",
  "http://%31%36%39.%32%35%34.%31%36%39.%32%35%34/",
  "http://%316%39.254.169.254/",
  "http://１６９.２５４.１６９.２５４/",
  "http://１６９。２５４。１６９。２５４/",
  "HTTP://169.254.169.254/",
  "https://169.254.169.254:443/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
  "http://[::169.254.169.254]/",
  "http://[::a9fe:a9fe]/",
  "http://[::ffff:0:a9fe:a9fe]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://[64:ff9b::169.254.169.254]/",
  "http://[64:ff9b:1::a9fe:a9fe]/",
  "http://[2002:a9fe:a9fe::1]/",
  "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",
  "http://[fe80::a9fe:a9fe%25eth0]/",
  "http://[fd00:ec2::254]/",
  "http://7147006462/",
  "http://4294967296+2852039166/",
  "http://0x1a9fea9fe/",
  "http://1.169.254.169.254/",
  "http://169.254.169.254.0/",
  "http://0251.0376.0251.0376.0/",
];

describe("lexical mode blocks every spelling of the metadata address", () => {
  it.each(METADATA_URLS)("blocks %j", (url) => {
    const result = checkUrlLexical(url);
    expect(result.verdict, JSON.stringify(result)).toBe("block");
  });

  it.each(METADATA_URLS.filter((url) => !url.includes("+")))(
    "names metadata as the reason for %j",
    (url) => {
      const result = checkUrlLexical(url);
      expect(result, JSON.stringify(result)).toMatchObject({
        reason: "metadata-address",
        category: "metadata",
      });
    },
  );

  it("reports the canonical address for WHATWG spellings", () => {
    expect(checkUrlLexical("http://0xa9.0xfe.0xa9.0xfe/").address).toBe("169.254.169.254");
    expect(checkUrlLexical("http://[::ffff:169.254.169.254]/").address).toBe("::ffff:a9fe:a9fe");
  });

  it("blocks the sum spelling that no DNS name can have", () => {
    expect(checkUrlLexical("http://4294967296+2852039166/")).toMatchObject({
      verdict: "block",
      reason: "invalid-host",
    });
  });
});

describe("the other cloud metadata endpoints", () => {
  it.each([
    ["169.254.170.2", "aws-ecs-credentials"],
    ["169.254.170.23", "aws-eks-pod-identity"],
    ["[fd00:ec2::23]", "aws-eks-pod-identity"],
    ["[fd00:ec2::254]", "aws-imds"],
    ["168.63.129.16", "azure-wireserver"],
    ["192.0.0.192", "oracle-metadata"],
    ["100.100.100.200", "alibaba-metadata"],
    ["[fd20:ce::254]", "gcp-metadata"],
  ])("blocks %s as %s", (host, endpoint) => {
    const result = checkUrlLexical(`http://${host}/`);
    expect(result).toMatchObject({ verdict: "block", reason: "metadata-address", endpoint });
  });

  it.each([
    "metadata.google.internal",
    "METADATA.Google.Internal.",
    "computeMetadata.metadata.google.internal",
    "metadata",
    "metadata.goog",
    "instance-data",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    "kubernetes.default",
    "kubernetes",
  ])("blocks the name %s", (name) => {
    const result = checkUrlLexical(`http://${name}/computeMetadata/v1/`);
    expect(result).toMatchObject({ verdict: "block", reason: "metadata-hostname" });
  });

  it("treats names that merely contain the address as names", () => {
    expect(checkUrlLexical("http://169.254.169.254.nip.io/")).toEqual({
      verdict: "allow",
      reason: "hostname",
    });
  });
});

describe("host and port as found in CONNECT or a Host header", () => {
  it.each([
    ["169.254.169.254", 80],
    ["0xa9fea9fe", "80"],
    ["[::ffff:a9fe:a9fe]", 443],
    ["::ffff:169.254.169.254", 443],
    ["fe80::a9fe:a9fe%eth0", 80],
    ["１６９.２５４.１６９.２５４", 80],
    ["7147006462", 80],
  ])("blocks %s port %s as metadata", (host, port) => {
    expect(checkHostLexical(host, port)).toMatchObject({ reason: "metadata-address" });
  });

  it("rejects a port outside 0-65535", () => {
    expect(checkHostLexical("example.com", 70000)).toEqual({
      verdict: "block",
      reason: "invalid-port",
    });
  });
});
