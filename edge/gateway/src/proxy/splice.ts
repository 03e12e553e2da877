import type net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import type { SocketReader } from "../http/reader.ts";

/**
 * Relays bytes both ways between the client and the upstream until either side closes, and
 * resolves with the byte counts. Each direction's end is forwarded as a half-close.
 */
export function splice(client: Duplex, upstream: net.Socket): Promise<{ in: number; out: number }> {
  const counts = { in: 0, out: 0 };
  client.on("data", (chunk: Buffer) => {
    counts.in += chunk.length;
  });
  upstream.on("data", (chunk: Buffer) => {
    counts.out += chunk.length;
  });
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
  return new Promise((resolve) => {
    let open = 2;
    const closed = () => {
      open -= 1;
      if (open > 0) return;
      resolve(counts);
    };
    const fail = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once("close", () => {
      upstream.end();
      closed();
    });
    upstream.once("close", () => {
      client.end();
      closed();
    });
    client.on("error", fail);
    upstream.on("error", fail);
  });
}

/**
 * Terminates TLS on a client socket whose first bytes (the ClientHello, or more) a SocketReader
 * has already read. Those bytes go back into the socket, which TLSSocket feeds to the TLS engine
 * first; wrapping the socket itself rather than a JS duplex around it keeps every read and write
 * on the native handle, which is most of the cost of a small request.
 */
export function terminateTls(
  socket: net.Socket,
  reader: SocketReader,
  secureContext: tls.SecureContext,
): tls.TLSSocket {
  const unread = reader.detach();
  if (unread.length > 0) socket.unshift(unread);
  const secure = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext,
    ALPNProtocols: ["http/1.1"],
  });
  secure.on("error", () => secure.destroy());
  return secure;
}
