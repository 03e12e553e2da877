import { parseIp } from "@ringfence/engine/net";

const SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];

/**
 * A PROXY protocol v2 header (PROXY command, TCP) announcing `srcIp` as the client, as a load
 * balancer in front of the gateway would send it. The destination is the loopback address of
 * the same family; the gateway decides on the source only.
 */
export function proxyV2Header(srcIp: string, srcPort: number): Buffer {
  const source = parseIp(srcIp);
  const v4 = source.family === 4;
  const destination = parseIp(v4 ? "127.0.0.1" : "::1");
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(srcPort, 0);
  ports.writeUInt16BE(443, 2);
  const addresses = Buffer.concat([source.bytes, destination.bytes, ports]);
  const head = Buffer.from([...SIGNATURE, 0x21, v4 ? 0x11 : 0x21, 0, 0]);
  head.writeUInt16BE(addresses.length, 14);
  return Buffer.concat([head, addresses]);
}
