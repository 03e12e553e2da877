import { createSocket, type Socket } from "node:dgram";

/**
 * An authoritative-only DNS server on 127.0.0.1 (UDP) that answers TXT questions from `txt`
 * and NXDOMAIN for every other name, so a control plane in another process can verify domains
 * through `RINGFENCE_DNS_SERVERS` without any lookup leaving the machine.
 */
export interface DnsZone {
  /** `address:port`, as RINGFENCE_DNS_SERVERS takes it. */
  server: string;
  /** TXT records by lower-case name; each record is its character strings. */
  txt: Map<string, string[][]>;
  close(): Promise<void>;
}

const TYPE_TXT = 16;
const CLASS_IN = 1;

/** The question's name, type and where the question section ends. */
function questionOf(query: Buffer): { name: string; type: number; end: number } | undefined {
  const labels: string[] = [];
  let at = 12;
  while (at < query.length) {
    const length = query[at] ?? 0;
    if (length === 0) break;
    if (length > 63) return undefined;
    labels.push(query.subarray(at + 1, at + 1 + length).toString("latin1"));
    at += 1 + length;
  }
  if (at + 5 > query.length) return undefined;
  return { name: labels.join(".").toLowerCase(), type: query.readUInt16BE(at + 1), end: at + 5 };
}

/** One TXT answer pointing back at the question's name (offset 12). */
function txtAnswer(strings: string[]): Buffer {
  const rdata = Buffer.concat(
    strings.map((text) => {
      const bytes = Buffer.from(text, "utf8");
      return Buffer.concat([Buffer.from([bytes.length]), bytes]);
    }),
  );
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(TYPE_TXT, 2);
  head.writeUInt16BE(CLASS_IN, 4);
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function answer(query: Buffer, txt: Map<string, string[][]>): Buffer | undefined {
  if (query.length < 12) return undefined;
  const question = questionOf(query);
  if (!question) return undefined;
  const records = question.type === TYPE_TXT ? txt.get(question.name) : undefined;
  const head = Buffer.alloc(12);
  head.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, AA, RD copied; NXDOMAIN (3) when the zone has no such record.
  const recursion = query.readUInt16BE(2) & 0x0100;
  head.writeUInt16BE(0x8400 | recursion | (records ? 0 : 3), 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(records?.length ?? 0, 6);
  const answers = (records ?? []).map(txtAnswer);
  return Buffer.concat([head, query.subarray(12, question.end), ...answers]);
}

export async function startDnsZone(): Promise<DnsZone> {
  const txt = new Map<string, string[][]>();
  const socket: Socket = createSocket("udp4");
  socket.on("message", (query, peer) => {
    const reply = answer(query, txt);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  return {
    server: `127.0.0.1:${port}`,
    txt,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
