import http from "node:http";
import type net from "node:net";
import { PassThrough } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Client, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRequestHead } from "../src/http/head.ts";
import { relayUpstream } from "../src/proxy/relay.ts";

// A full collection on demand, without starting the whole test run with --expose-gc.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

let server: http.Server;
let client: Client;

beforeAll(async () => {
  server = http.createServer((_request, response) => response.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new Client(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
});

afterAll(async () => {
  await client.close();
  await new Promise((resolve) => server.close(resolve));
});

/**
 * undici keeps a request's handler for as long as it keeps the request itself, and an old
 * dead request's references survive young-generation collections until the next full one. A
 * relay that still pointed at its request head and client stream after it settled had every
 * request's objects promoted, which cost the pass-through path most of its throughput.
 */
describe("response relay", () => {
  it("lets go of the request, the client stream and the upstream once it has settled", async () => {
    const handlers: Dispatcher.DispatchHandler[] = [];
    const holding = {
      dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
        handlers.push(handler);
        return client.dispatch(options, handler);
      },
    } as unknown as Dispatcher;

    const refs = await (async () => {
      const head = parseRequestHead(Buffer.from("GET /item HTTP/1.1\r\nHost: api.test\r\n\r\n"));
      const stream = new PassThrough();
      const written: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => written.push(chunk));
      const relayed = await relayUpstream(holding, {
        stream,
        head,
        keepAlive: true,
        requestId: "req-1",
        filter: undefined,
        upstream: { method: "GET", path: "/item", headers: [], body: null, servername: "x" },
      });
      expect(relayed).toEqual({ status: 200, bytes: 11, blocked: false });
      const text = Buffer.concat(written).toString("latin1");
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text.endsWith('\r\n\r\n{"ok":true}')).toBe(true);
      return { head: new WeakRef(head), stream: new WeakRef(stream) };
    })();

    // The handler is still held (as undici holds it), yet what it served can be collected.
    expect(handlers).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(refs.head.deref()).toBeUndefined();
    expect(refs.stream.deref()).toBeUndefined();
  });
});
