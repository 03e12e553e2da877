import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClientHello } from "../src/tls/client-hello.ts";

let server: net.Server;
let port = 0;
const captured: Array<(hello: Buffer) => void> = [];

// A raw TCP server records the first bytes a real Node TLS client sends, so the parser is tested
// against genuine ClientHellos rather than hand-written ones.
beforeAll(async () => {
  server = net.createServer((socket) => {
    socket.once("data", (data) => {
      captured.shift()?.(data);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
});
afterAll(() => server.close());

function captureHello(options: tls.ConnectionOptions): Promise<Buffer> {
  return new Promise((resolve) => {
    captured.push(resolve);
    const socket = tls.connect({ host: "127.0.0.1", port, ...options });
    socket.on("error", () => socket.destroy());
  });
}

/** Re-frames one handshake message into TLS records of at most `size` bytes each. */
function splitRecords(hello: Buffer, size: number): Buffer {
  const handshake = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const records: Buffer[] = [];
  for (let at = 0; at < handshake.length; at += size) {
    const part = handshake.subarray(at, at + size);
    const header = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    header.writeUInt16BE(part.length, 3);
    records.push(header, part);
  }
  return Buffer.concat(records);
}

/** Appends an extension to a captured hello, fixing up every enclosing length. */
function withExtension(hello: Buffer, type: number, data: Buffer): Buffer {
  const ext = Buffer.alloc(4 + data.length);
  ext.writeUInt16BE(type, 0);
  ext.writeUInt16BE(data.length, 2);
  data.copy(ext, 4);
  const body = Buffer.concat([hello.subarray(9, 5 + hello.readUInt16BE(3)), ext]);
  let at = 34;
  at += 1 + (body[at] ?? 0);
  at += 2 + body.readUInt16BE(at);
  at += 1 + (body[at] ?? 0);
  body.writeUInt16BE(body.readUInt16BE(at) + ext.length, at);
  const out = Buffer.concat([Buffer.from([0x16, 3, 1, 0, 0, 1, 0, 0, 0]), body]);
  out.writeUInt16BE(body.length + 4, 3);
  out.writeUIntBE(body.length, 6, 3);
  return out;
}

describe("ClientHello parsing", () => {
  it("reads the SNI and ALPN offered by a real TLS client", async () => {
    const hello = await captureHello({ servername: "api.example.test", ALPNProtocols: ["h2"] });
    expect(parseClientHello(hello)).toEqual({
      status: "ok",
      hello: { sni: "api.example.test", ech: false, alpn: ["h2"] },
    });
  });

  it("reports a missing SNI when the client connects by address", async () => {
    const hello = await captureHello({});
    const result = parseClientHello(hello);
    expect(result.status === "ok" && result.hello.sni).toBeUndefined();
  });

  it("reassembles a hello split across records and across TCP segments", async () => {
    const wire = splitRecords(await captureHello({ servername: "split.example.test" }), 7);
    for (let cut = 0; cut < wire.length; cut++) {
      expect(parseClientHello(wire.subarray(0, cut)).status).toBe("incomplete");
    }
    const result = parseClientHello(wire);
    expect(result.status === "ok" && result.hello.sni).toBe("split.example.test");
  });

  it("detects Encrypted ClientHello", async () => {
    const plain = await captureHello({ servername: "outer.example.test" });
    const result = parseClientHello(withExtension(plain, 0xfe0d, Buffer.from([0, 1, 2])));
    expect(result.status === "ok" && result.hello).toMatchObject({ ech: true });
  });

  it("rejects what is not a TLS handshake and a hello with two server_name extensions", async () => {
    expect(parseClientHello(Buffer.from("GET / HTTP/1.1\r\n\r\n"))).toMatchObject({
      status: "invalid",
    });
    const plain = await captureHello({ servername: "x.example.test" });
    const broken = withExtension(plain, 0, Buffer.from([0, 9, 0, 0, 3, 0x61]));
    expect(parseClientHello(broken).status).toBe("invalid");
  });
});
