import type { SocketReader } from "../http/reader.ts";
import { type ClientHelloInfo, parseClientHello } from "../tls/client-hello.ts";

/** The ClientHello, or why the bytes after CONNECT could not be read as one. */
export type HelloOutcome = { ok: true; hello: ClientHelloInfo } | { ok: false; reason: string };

/**
 * Waits for a complete ClientHello in the bytes the client sends after CONNECT, without
 * consuming them: the same bytes are later relayed upstream or fed to the TLS terminator.
 */
export async function awaitClientHello(
  reader: SocketReader,
  timeoutMs: number,
): Promise<HelloOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HelloOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "hello-timeout" }), timeoutMs);
  });
  const read = (async (): Promise<HelloOutcome> => {
    for (;;) {
      const result = parseClientHello(reader.buffered);
      if (result.status === "ok") return { ok: true, hello: result.hello };
      if (result.status === "invalid") return { ok: false, reason: "not-tls" };
      if (!(await reader.more())) return { ok: false, reason: "closed-before-hello" };
    }
  })();
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
