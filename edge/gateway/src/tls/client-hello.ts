/** What the gateway learns from a ClientHello without decrypting anything. */
export type ClientHelloInfo = {
  /** The server name the client asked for, lower-cased; undefined when it sent none. */
  sni: string | undefined;
  /** True when the client offered Encrypted ClientHello (extension 0xfe0d). */
  ech: boolean;
  /** ALPN protocols offered, in the client's order. */
  alpn: string[];
};

export type HelloResult =
  | { status: "incomplete" }
  | { status: "ok"; hello: ClientHelloInfo }
  | { status: "invalid"; reason: string };

const RECORD_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
const EXT_ECH = 0xfe0d;
const MAX_RECORD = 16384 + 256;
const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/;

/** Default bound on how large a ClientHello may be before the gateway gives up on it. */
export const MAX_CLIENT_HELLO = 64 * 1024;

/**
 * Parses the ClientHello at the start of `buf`, which may hold several TLS records (a large
 * hello, for example with post-quantum key shares, spans records and TCP segments). Returns
 * "incomplete" until enough bytes have arrived.
 */
export function parseClientHello(buf: Buffer, maxBytes = MAX_CLIENT_HELLO): HelloResult {
  const assembled = reassembleHandshake(buf, maxBytes);
  if (assembled.status !== "ok") return assembled;
  try {
    return { status: "ok", hello: readHello(assembled.body) };
  } catch (error) {
    return { status: "invalid", reason: error instanceof Error ? error.message : "malformed" };
  }
}

type NotOk = Exclude<HelloResult, { status: "ok" }>;
type Assembled = { status: "ok"; body: Buffer } | NotOk;

function reassembleHandshake(buf: Buffer, maxBytes: number): Assembled {
  const fragments: Buffer[] = [];
  let have = 0;
  let offset = 0;
  let needed = -1;
  while (needed === -1 || have < needed) {
    if (offset + 5 > buf.length) return incompleteOrTooLarge(buf, maxBytes);
    if (buf[offset] !== RECORD_HANDSHAKE)
      return { status: "invalid", reason: "not a TLS handshake" };
    const length = buf.readUInt16BE(offset + 3);
    if (length === 0 || length > MAX_RECORD)
      return { status: "invalid", reason: "bad record length" };
    if (offset + 5 + length > buf.length) return incompleteOrTooLarge(buf, maxBytes);
    fragments.push(buf.subarray(offset + 5, offset + 5 + length));
    have += length;
    offset += 5 + length;
    if (needed === -1 && have >= 4) {
      const head = Buffer.concat(fragments);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO)
        return { status: "invalid", reason: "not a ClientHello" };
      needed = 4 + head.readUIntBE(1, 3);
      if (needed > maxBytes) return { status: "invalid", reason: "ClientHello too large" };
    }
  }
  return { status: "ok", body: Buffer.concat(fragments).subarray(4, needed) };
}

function incompleteOrTooLarge(buf: Buffer, maxBytes: number): NotOk {
  return buf.length > maxBytes + 1024
    ? { status: "invalid", reason: "ClientHello too large" }
    : { status: "incomplete" };
}

/** A bounds-checked cursor: every read past the end throws, so truncation cannot go unseen. */
class Cursor {
  constructor(
    private readonly buf: Buffer,
    private pos = 0,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  remaining(): number {
    return this.buf.length - this.pos;
  }

  bytes(length: number): Buffer {
    if (this.pos + length > this.buf.length) throw new Error("truncated ClientHello");
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  u8(): number {
    return this.bytes(1).readUInt8(0);
  }

  u16(): number {
    return this.bytes(2).readUInt16BE(0);
  }

  vector8(): Cursor {
    return new Cursor(this.bytes(this.u8()));
  }

  vector16(): Cursor {
    return new Cursor(this.bytes(this.u16()));
  }
}

function readHello(body: Buffer): ClientHelloInfo {
  const hello = new Cursor(body);
  hello.bytes(2 + 32);
  hello.vector8();
  hello.vector16();
  hello.vector8();
  const info: ClientHelloInfo = { sni: undefined, ech: false, alpn: [] };
  if (hello.done) return info;
  const extensions = hello.vector16();
  const seen = new Set<number>();
  while (!extensions.done) {
    const type = extensions.u16();
    const data = extensions.vector16();
    if (seen.has(type)) throw new Error("duplicate extension");
    seen.add(type);
    if (type === EXT_SERVER_NAME) info.sni = readServerName(data);
    if (type === EXT_ALPN) info.alpn = readAlpn(data);
    if (type === EXT_ECH) info.ech = true;
  }
  return info;
}

function readServerName(data: Cursor): string {
  const list = data.vector16();
  const names: string[] = [];
  while (!list.done) {
    const kind = list.u8();
    const name = list.vector16();
    if (kind === 0) names.push(name.bytes(name.remaining()).toString("latin1"));
  }
  const [name, ...others] = names;
  if (name === undefined || others.length > 0) throw new Error("server_name must hold one name");
  const lower = name.toLowerCase();
  if (lower.length > 253 || !HOST_NAME.test(lower)) throw new Error("server_name is not a host");
  return lower.replace(/\.$/, "");
}

function readAlpn(data: Cursor): string[] {
  const list = data.vector16();
  const protocols: string[] = [];
  while (!list.done) {
    const proto = list.vector8();
    protocols.push(proto.bytes(proto.remaining()).toString("latin1"));
  }
  return protocols;
}
