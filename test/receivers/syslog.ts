import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { Collector } from "./collector.ts";

/** A syslog listener on 127.0.0.1 reading RFC 6587 octet-counted frames of CEF messages. */
export interface SyslogReceiver {
  port: number;
  /** Every complete message received, in order. */
  messages: string[];
  /** CEF `externalId` values (the OCSF uid), to count distinct events. */
  collector: Collector;
  close(): Promise<void>;
}

/** Splits a stream into octet-counted frames; returns the frames and the unread rest. */
export function readFrames(buffer: Buffer): { frames: string[]; rest: Buffer } {
  const frames: string[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const space = buffer.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number(buffer.subarray(offset, space).toString("ascii"));
    if (!Number.isInteger(length) || length <= 0) throw new Error("bad octet count");
    if (space + 1 + length > buffer.length) break;
    frames.push(buffer.subarray(space + 1, space + 1 + length).toString("utf8"));
    offset = space + 1 + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

function cefExternalId(message: string): string | undefined {
  return /(?:^|\s)externalId=((?:\\.|[^\s\\])+)/.exec(message)?.[1]?.replace(/\\(.)/g, "$1");
}

/** Starts the listener; with `tls` it speaks syslog over TLS with that certificate. */
export async function startSyslogReceiver(
  options: { tls?: { cert: string; key: string } } = {},
): Promise<SyslogReceiver> {
  const messages: string[] = [];
  const collector = new Collector();
  const onSocket = (socket: Socket) => {
    let pending: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      try {
        const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
        pending = rest;
        for (const frame of frames) {
          messages.push(frame);
          const uid = cefExternalId(frame);
          if (uid) collector.add({ metadata: { uid } });
          else collector.reject("frame without externalId");
        }
      } catch (error) {
        collector.reject(error instanceof Error ? error.message : String(error));
        socket.destroy();
      }
    });
    socket.on("end", () => socket.end());
    socket.on("error", () => socket.destroy());
  };
  const server: Server = options.tls
    ? createTlsServer(options.tls, onSocket)
    : createTcpServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    messages,
    collector,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
