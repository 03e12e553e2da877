import type net from "node:net";
import { Duplex } from "node:stream";

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
 * A duplex that first yields `head` (bytes already read while peeking at the ClientHello) and
 * then whatever the socket delivers. TLS termination is layered on it so no byte is lost.
 */
export function prepend(socket: net.Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  if (head.length > 0) duplex.push(head);
  socket.on("data", (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on("end", () => duplex.push(null));
  socket.on("close", () => duplex.destroy());
  socket.on("error", (error) => duplex.destroy(error));
  return duplex;
}
