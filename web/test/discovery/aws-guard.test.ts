import { createServer, type Server } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsReplay } from "../../../test/replay/aws/index.ts";
import {
  type AwsConnection,
  discoverAws,
  verifyAwsRole,
} from "../../src/server/discovery/aws/index.ts";
import { DiscoveryError } from "../../src/server/discovery/types.ts";
import {
  CALLER,
  connection,
  demoAccount,
  startAwsReplay,
  tableResolver,
  target,
  world,
} from "./aws-fixtures.ts";

// Security property: every request the AWS SDK makes for discovery is judged by the SSRF guard
// before a socket is opened, whether its host came from configuration or from the SDK's own
// endpoint resolution, and an allowed request connects only to the address that was judged.

/** A TCP listener on loopback that only counts the connections it receives. */
let witness: { server: Server; port: number; connections: number };
let replay: AwsReplay | undefined;

beforeEach(async () => {
  const server = createServer((socket) => {
    witness.connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  witness = {
    server,
    port: typeof address === "object" && address ? address.port : 0,
    connections: 0,
  };
});
afterEach(async () => {
  await new Promise<void>((resolve) => witness.server.close(() => resolve()));
  await replay?.close();
  replay = undefined;
});

const account = demoAccount();

function aimedAt(
  endpoint: string | undefined,
  table: Record<string, string[]>,
  allow: string[] = ["127.0.0.1"],
): AwsConnection {
  return {
    credentials: { accessKeyId: CALLER.accessKeyId, secretAccessKey: CALLER.secretAccessKey },
    outbound: { resolver: tableResolver(table), allow },
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 1,
  };
}

describe("the SSRF guard in front of the AWS SDK", () => {
  it.each([
    "http://169.254.169.254/",
    "http://0xa9fea9fe/",
    "http://2852039166/",
    "http://[::ffff:169.254.169.254]/",
    "http://[fd00:ec2::254]/",
  ])("refuses an endpoint of %s as a metadata address, even with it allowlisted", async (url) => {
    const aws = aimedAt(url, {}, ["127.0.0.1", "169.254.0.0/16", "fd00::/8"]);
    const verification = await verifyAwsRole(aws, target(account));
    expect(verification.ok).toBe(false);
    expect(verification.problems[0]).toMatchObject({
      code: "OutboundBlockedError",
      message: expect.stringContaining("refused by the SSRF guard (metadata-address)"),
    });
    await expect(discoverAws(aws, target(account))).rejects.toBeInstanceOf(DiscoveryError);
  });

  it("refuses a name that also answers the metadata address, before any connection", async () => {
    const name = "sts.rebind.test";
    const aws = aimedAt(`http://${name}:${witness.port}`, {
      [name]: ["127.0.0.1", "169.254.169.254"],
    });
    const verification = await verifyAwsRole(aws, target(account));
    expect(verification.problems[0]?.message).toContain("(metadata-address)");
    expect(witness.connections).toBe(0);
  });

  it("refuses a loopback endpoint that is not allowlisted, before any connection", async () => {
    const aws = aimedAt(`http://127.0.0.1:${witness.port}`, {}, []);
    const verification = await verifyAwsRole(aws, target(account));
    expect(verification.problems[0]?.message).toContain("(non-global-address)");
    expect(witness.connections).toBe(0);
  });

  it("judges the SDK's own regional endpoints too", async () => {
    // No endpoint configured: the SDK resolves sts.us-east-1.amazonaws.com itself, and the
    // guard's resolver (a table here) answers the metadata address for it.
    const aws = aimedAt(undefined, { "sts.us-east-1.amazonaws.com": ["169.254.169.254"] });
    const verification = await verifyAwsRole(aws, target(account));
    expect(verification.problems[0]?.message).toMatch(
      /outbound call to https:\/\/sts\.us-east-1\.amazonaws\.com refused by the SSRF guard \(metadata-address\)/,
    );
  });

  it("connects an allowed name to exactly the judged address", async () => {
    replay = await startAwsReplay(world([account]));
    const name = "aws.replay.test";
    const aws = aimedAt(`http://${name}:${replay.port}`, { [name]: ["127.0.0.1"] });
    const result = await discoverAws(aws, target(account));
    expect(result.problems).toEqual([]);
    expect(result.assets.some((asset) => asset.kind === "instance")).toBe(true);
    expect(connection(replay).outbound.allow).toEqual(["127.0.0.1"]);
  });
});
