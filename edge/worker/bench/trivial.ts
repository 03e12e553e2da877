/**
 * The benchmark's reference worker: it forwards every request to the same origin and does
 * nothing else, so subtracting its CPU from the edge worker's leaves what Ringfence adds
 * (policy decision, inspection, signing, events) and not what any proxying worker pays.
 */
export default {
  async fetch(request: Request, env: { ORIGIN_URL: string }): Promise<Response> {
    const incoming = new URL(request.url);
    const target = new URL(`${incoming.pathname}${incoming.search}`, env.ORIGIN_URL);
    return fetch(new Request(target, request));
  },
};
