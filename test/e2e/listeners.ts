import http from "node:http";
import net from "node:net";

/** Something listening that records who came, for "was it contacted?" assertions. */
export interface Witness<T> {
  seen: T[];
  url: string;
  close(): Promise<void>;
}

async function listen(server: net.Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(port, host, () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/**
 * A stand-in for the cloud metadata service, bound to the metadata address on the namespace's
 * loopback only. It answers nothing and records every TCP connection, so "no connection was
 * attempted" is an observed count of zero rather than an assumption.
 */
export async function startMetadataWitness(host: string): Promise<Witness<string>> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    seen.push(`${socket.remoteAddress}:${socket.remotePort}`);
    sockets.add(socket);
    socket.destroy();
  });
  const port = await listen(server, host, 80);
  return { seen, url: `http://${host}:${port}`, close: closer(server, sockets) };
}

/** One webhook delivery as the receiver got it. */
export interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The local webhook receiver Report's integration delivers to; it accepts every POST. */
export async function startWebhookReceiver(host: string): Promise<Witness<Delivery>> {
  const seen: Delivery[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  server.on("connection", (socket) => sockets.add(socket));
  const port = await listen(server, host, 0);
  return { seen, url: `http://${host}:${port}/ringfence`, close: closer(server, sockets) };
}
