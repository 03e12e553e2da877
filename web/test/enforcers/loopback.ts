import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Serves a Web-standard handler on 127.0.0.1 with node:http, so the client is exercised over a
 * real socket.
 */
export async function serveOnLoopback(
  handler: (request: Request) => Promise<Response>,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(async (incoming, outgoing) => {
    const response = await handler(await toRequest(incoming));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    outgoing.writeHead(response.status, headers);
    outgoing.end(new Uint8Array(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}/`, server, close };
}

async function toRequest(incoming: IncomingMessage): Promise<Request> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of incoming) {
    chunks.push(chunk as Uint8Array);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") {
      headers.set(name, value);
    }
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(`http://127.0.0.1${incoming.url ?? "/"}`, {
    method: incoming.method,
    headers,
    body: hasBody ? new Blob(chunks.map((chunk) => new Uint8Array(chunk))) : undefined,
  });
}
