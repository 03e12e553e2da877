import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, sigv4Header } from "../e2e/http.ts";
import { NAMESPACE_ADDRESSES as NET } from "../e2e/netns.ts";
import { type RunningS3, startS3Server } from "./server.ts";

const OWNER = "210987654321";
const KEY = "AKIAREPLAYSTOLENROLE";
const HOST = "acme-customer-data.s3.us-east-1.amazonaws.com";

const onlyThroughVpce = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "RingfenceOnlyThroughGateway",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::acme-customer-data", "arn:aws:s3:::acme-customer-data/*"],
      Condition: { StringNotEquals: { "aws:SourceVpce": ["vpce-0gw"] } },
    },
  ],
});

let s3: RunningS3;
const endpoint = (vpce: boolean) => {
  const url = new URL(s3.endpoints[vpce ? 0 : 1]?.url ?? "http://invalid");
  return { host: url.hostname, port: Number(url.port) };
};
const get = (vpce: boolean, key = KEY, target = "/records.csv") =>
  rawRequest({
    connect: endpoint(vpce),
    from: NET.attacker,
    target,
    headers: { host: HOST, authorization: sigv4Header(key) },
  });

beforeAll(async () => {
  s3 = await startS3Server({
    endpoints: [
      { host: NET.s3VpcEndpoint, port: 0, vpce: "vpce-0gw" },
      { host: NET.s3Public, port: 0 },
    ],
    accessKeys: { [KEY]: OWNER },
    buckets: {
      "acme-customer-data": { owner: OWNER, objects: { "records.csv": Buffer.from("a,b\n") } },
    },
  });
});
afterAll(() => s3.close());

describe("S3 server with bucket policies", () => {
  it("serves the owner's object on any path while the bucket has no policy", async () => {
    const answer = await get(false);
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe("a,b\n");
  });

  it("refuses unknown access keys", async () => {
    expect((await get(false, "AKIAUNKNOWNKEY000000")).status).toBe(403);
  });

  it("denies the public path and allows the VPC endpoint once a gateway-only policy is put", async () => {
    const put = await rawRequest({
      connect: endpoint(true),
      method: "PUT",
      target: "/?policy",
      headers: { host: HOST, authorization: sigv4Header(KEY) },
      body: onlyThroughVpce,
    });
    expect(put.status).toBe(204);

    const outside = await get(false);
    expect(outside.status).toBe(403);
    expect(outside.body.toString()).toContain("AccessDenied");
    expect(s3.log.at(-1)).toMatchObject({
      sourceIp: NET.attacker,
      vpce: undefined,
      statement: "RingfenceOnlyThroughGateway",
    });
    expect((await get(true)).status).toBe(200);
  });

  it("answers a policy it cannot judge with MalformedPolicy naming the field", async () => {
    const put = await rawRequest({
      connect: endpoint(true),
      method: "PUT",
      target: "/?policy",
      headers: { host: HOST, authorization: sigv4Header(KEY) },
      body: JSON.stringify({
        Statement: [
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
            Condition: { DateGreaterThan: { "aws:CurrentTime": "2020" } },
          },
        ],
      }),
    });
    expect(put.status).toBe(400);
    expect(put.body.toString()).toContain("Statement[0].Condition.DateGreaterThan");
  });

  it("reads path-style requests too", async () => {
    const answer = await rawRequest({
      connect: endpoint(true),
      target: "/acme-customer-data/records.csv",
      headers: { host: "s3.us-east-1.amazonaws.com", authorization: sigv4Header(KEY) },
    });
    expect(answer.status).toBe(200);
  });
});
