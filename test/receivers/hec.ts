import { Collector } from "./collector.ts";
import { type HttpReceiver, startHttpReceiver } from "./http.ts";

/** A Splunk HEC-compatible endpoint (`/services/collector/event`). */
export interface HecReceiver extends HttpReceiver {
  collector: Collector;
}

/**
 * Accepts `Authorization: Splunk <token>` and a body of concatenated JSON event envelopes (one
 * per line, as Ringfence sends them), answering like HEC: `{"text":"Success","code":0}`.
 */
export async function startHecReceiver(options: { token: string }): Promise<HecReceiver> {
  const collector = new Collector();
  const receiver = await startHttpReceiver("/services/collector/event", (request, body) => {
    if (request.headers.authorization !== `Splunk ${options.token}`) {
      collector.reject("invalid token");
      return { status: 403, body: JSON.stringify({ text: "Invalid token", code: 4 }) };
    }
    const lines = body.split("\n").filter((line) => line.trim() !== "");
    const envelopes = lines.map((line) => JSON.parse(line) as { event?: Record<string, unknown> });
    if (envelopes.some((envelope) => typeof envelope.event !== "object")) {
      collector.reject("event field is required");
      return { status: 400, body: JSON.stringify({ text: "Event field is required", code: 12 }) };
    }
    for (const envelope of envelopes) if (envelope.event) collector.add(envelope.event);
    return { status: 200, body: JSON.stringify({ text: "Success", code: 0 }) };
  });
  return Object.assign(receiver, { collector });
}
