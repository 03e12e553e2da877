import { readFile } from "node:fs/promises";
import { BundleVerifier } from "@ringfence/engine/bundle";
import { EnforcerClient, type FetchLike, type RegisterResponse } from "@ringfence/engine/control";
import { Agent, fetch as undiciFetch } from "undici";
import type { GatewayConfig } from "../config.ts";
import { loadVerifier } from "../sync/bundle-sync.ts";
import type { StateStore } from "../sync/store.ts";

const ENFORCER_FILE = "enforcer.json";

type Enrolment = Pick<
  RegisterResponse,
  "enforcerId" | "organizationId" | "credential" | "trustedKeys"
>;

/**
 * The fetch the gateway uses for its own calls: an explicit undici Agent, so proxy environment
 * variables are never consulted, and `redirect: "manual"`, so a redirect is an error to report
 * rather than a hop to some other host.
 */
export function ownFetch(ca: string | undefined): FetchLike {
  const dispatcher = new Agent({ connect: ca ? { ca } : {} });
  return async (request) => {
    const response = await undiciFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      body: request.body === null ? undefined : Buffer.from(await request.arrayBuffer()),
      redirect: "manual",
      signal: request.signal,
      dispatcher,
    });
    return response as unknown as Response;
  };
}

/** A registered control-plane client with its verifier; registers on first start. */
export async function connectControlPlane(
  config: NonNullable<GatewayConfig["controlPlane"]>,
  store: StateStore,
): Promise<{ client: EnforcerClient; verifier: BundleVerifier; enforcerId: string }> {
  const ca = config.caFile ? await readFile(config.caFile, "utf8") : undefined;
  const stored = (await store.read(ENFORCER_FILE)) as Enrolment | undefined;
  const client = new EnforcerClient({
    baseUrl: config.url,
    credential: stored?.credential,
    fetch: ownFetch(ca),
    allowInsecureLoopback: config.allowInsecureLoopback,
    userAgent: "ringfence-gateway/0.1.0",
    // Failed batches go to the disk spool, so a short retry budget keeps the flush loop moving.
    retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
  });
  let enrolment = stored;
  if (!enrolment) {
    if (!config.tokenFile)
      throw new Error("controlPlane.tokenFile: needed to register this gateway");
    const token = (await readFile(config.tokenFile, "utf8")).trim();
    const answer = await client.register(token, { kind: "gateway", softwareVersion: "0.1.0" });
    enrolment = {
      enforcerId: answer.enforcerId,
      organizationId: answer.organizationId,
      credential: answer.credential,
      trustedKeys: answer.trustedKeys,
    };
    await store.write(ENFORCER_FILE, enrolment);
  }
  const { organizationId, trustedKeys } = enrolment;
  const verifier = await loadVerifier(store, () =>
    BundleVerifier.create(organizationId, trustedKeys),
  );
  return { client, verifier, enforcerId: enrolment.enforcerId };
}
