import { serve } from "@hono/node-server";
import type { TestApp } from "./app.ts";

/** Serves the app on 127.0.0.1 on a free port, for tests that need a real HTTP exchange. */
export async function listen(app: TestApp): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
