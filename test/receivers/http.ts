import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A started HTTP receiver on 127.0.0.1. */
export interface HttpReceiver {
  url: string;
  /** Answers 503 to everything while true, to exercise retries. */
  failing: boolean;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Serves `handle` on an ephemeral loopback port; a thrown error answers 500. */
export async function startHttpReceiver(
  path: string,
  handle: (request: IncomingMessage, body: string) => { status: number; body?: string },
  delayMs = 0,
): Promise<HttpReceiver> {
  const state = { failing: false };
  const server: Server = createServer((request, response: ServerResponse) => {
    readBody(request).then(
      (body) => {
        if (state.failing) return reply(response, 503, "failing on purpose");
        if (request.method !== "POST" || request.url !== path) return reply(response, 404, "");
        // The delay keeps requests in flight long enough for a test to kill the sender mid-send.
        setTimeout(() => {
          const answer = handle(request, body);
          reply(response, answer.status, answer.body ?? "");
        }, delayMs);
      },
      () => reply(response, 400, "unreadable body"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return Object.defineProperties(
    {
      url: `http://127.0.0.1:${port}${path}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    } as HttpReceiver,
    {
      failing: {
        get: () => state.failing,
        set: (value: boolean) => {
          state.failing = value;
        },
        enumerable: true,
      },
    },
  );
}

function reply(response: ServerResponse, status: number, body: string) {
  response.writeHead(status, { "content-type": "text/plain" }).end(body);
}
