import type { Delivery, Witness } from "./listeners.ts";
import type { ControlPlane } from "./stack.ts";

/**
 * The replay's view of the control plane: publishing, waiting for the gateway's reported
 * version, and reading events and webhook deliveries. Where a route another part is still
 * building answers 404, the helper says `pending` with the route, so the step is marked as
 * such instead of passing on a guess.
 */

export type Pending = { pending: string };
export const isPending = (value: unknown): value is Pending =>
  typeof value === "object" && value !== null && "pending" in value;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Publishes the organisation's draft with Deploy's route; the version it became. */
export async function publishDraft(cp: ControlPlane): Promise<number | Pending> {
  const path = `/api/v1/orgs/${cp.organizationId}/policy/publish`;
  const answer = await cp.api.call("POST", path, {});
  if (answer.status === 404) return { pending: `POST ${path} (Deploy's publish route)` };
  if (answer.status !== 201)
    throw new Error(`publish: ${answer.status} ${JSON.stringify(answer.body)}`);
  return versionOf(answer.body);
}

/** The current inventory through the API, every page. */
export async function inventory(
  cp: ControlPlane,
): Promise<{ schemaVersion: 1; assets: unknown[] }> {
  const assets: unknown[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = await cp.api.expect<{ items: { asset: unknown }[]; nextCursor: string | null }>(
      200,
      "GET",
      `/api/v1/orgs/${cp.organizationId}/inventory?limit=200${query}`,
    );
    assets.push(...page.items.map((item) => item.asset));
    cursor = page.nextCursor;
  } while (cursor);
  return { schemaVersion: 1, assets };
}

/**
 * Publishes a policy compiled against the control plane's stored inventory through the
 * enforcement API (`POST /bundles`), the route publication itself is built on.
 */
export async function publishBundle(cp: ControlPlane, policy: unknown): Promise<number> {
  const body = { policy, inventory: await inventory(cp) };
  const bundle = await cp.api.expect<unknown>(
    201,
    "POST",
    `/api/v1/orgs/${cp.organizationId}/bundles`,
    body,
  );
  return versionOf(bundle);
}

function versionOf(body: unknown): number {
  const record = body as { version?: unknown; bundle?: { version?: unknown } } | null;
  const version = record?.bundle?.version ?? record?.version;
  if (typeof version !== "number") throw new Error(`no version in ${JSON.stringify(body)}`);
  return version;
}

/** Waits until the named enforcer reports `version` (generous: shared, loaded cores). */
export async function waitForEnforcedVersion(
  cp: ControlPlane,
  name: string,
  version: number,
  deadlineMs = 120_000,
): Promise<number> {
  const started = Date.now();
  let seen: unknown;
  while (Date.now() - started < deadlineMs) {
    const page = await cp.api.expect<{ items: { name: string; bundleVersion: number | null }[] }>(
      200,
      "GET",
      `/api/v1/orgs/${cp.organizationId}/enforcers`,
    );
    seen = page.items.find((item) => item.name === name)?.bundleVersion;
    if (typeof seen === "number" && seen >= version) return Date.now() - started;
    await sleep(250);
  }
  throw new Error(`${name} still reports version ${String(seen)}, expected ${version}`);
}

/** A stored event as the replay reads it, loosely: only the fields it asserts on. */
export interface StoredEvent {
  action?: string;
  kind?: string;
  src?: { ip?: string };
  dst?: { host?: string };
  reasons?: { ruleId?: string; sourceObjects?: string[]; destination?: string };
  detections?: { id: string; category: string }[];
  [key: string]: unknown;
}

/** Polls the events API until `match` finds an event, or says the route is pending. */
export async function findEvent(
  cp: ControlPlane,
  match: (event: StoredEvent) => boolean,
  deadlineMs = 60_000,
): Promise<StoredEvent | Pending> {
  const path = `/api/v1/orgs/${cp.organizationId}/events?limit=200`;
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    const answer = await cp.api.call("GET", path);
    if (answer.status === 404) return { pending: `GET ${path} (Report's event query route)` };
    if (answer.status !== 200)
      throw new Error(`events: ${answer.status} ${JSON.stringify(answer.body)}`);
    const items = (answer.body as { items?: StoredEvent[] }).items ?? [];
    const found = items.map((item) => (item.event ?? item) as StoredEvent).find(match);
    if (found) return found;
    await sleep(500);
  }
  throw new Error(`no event matched within ${deadlineMs} ms`);
}

/** Registers the local receiver as a webhook integration, or says the route is pending. */
export async function registerWebhook(
  cp: ControlPlane,
  receiver: Witness<Delivery>,
): Promise<true | Pending> {
  const path = `/api/v1/orgs/${cp.organizationId}/integrations`;
  const body = { kind: "webhook", name: "replay receiver", target: receiver.url };
  const answer = await cp.api.call("POST", path, body);
  if (answer.status === 404) return { pending: `POST ${path} (Report's integrations route)` };
  if (answer.status !== 201)
    throw new Error(`webhook: ${answer.status} ${JSON.stringify(answer.body)}`);
  return true;
}

/** Waits for a delivery whose body mentions every needle (an event id, a rule id, an address). */
export async function findDelivery(
  receiver: Witness<Delivery>,
  needles: string[],
  deadlineMs = 60_000,
): Promise<Delivery> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    const found = receiver.seen.find((d) => needles.every((n) => d.body.includes(n)));
    if (found) return found;
    await sleep(500);
  }
  throw new Error(`no webhook delivery mentioned ${needles.join(", ")} in ${deadlineMs} ms`);
}
