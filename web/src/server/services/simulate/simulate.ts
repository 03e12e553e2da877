import { compileProfiles, type InspectionResult, inspectRequest } from "@ringfence/engine/inspect";
import {
  buildIndex,
  type Decision,
  decide,
  type Flow,
  FlowError,
  type ResolvedPolicy,
} from "@ringfence/engine/policy";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { latestBundle, policyOf } from "../bundles/store.ts";
import { loadDraft } from "../policy/draft.ts";
import { loadInventory } from "../policy/inventory.ts";
import { compileWithInventory } from "../publish/publish.ts";

/** The flow to simulate: a source address or asset, a destination, optionally a request. */
export interface SimulationInput {
  source: { ip?: string | undefined; assetId?: string | undefined };
  destination: { host: string; port: number; ip?: string | undefined; sni?: string | undefined };
  request?:
    | { method: string; path: string; headers?: [string, string][] | undefined; body?: string }
    | undefined;
}

/** One policy's answer: the decision with its reasons, and the inspection verdict if any. */
export interface SimulatedSide {
  version: number | null;
  decision: Decision;
  inspection: InspectionResult | null;
}

async function sourceIp(ctx: OrgContext, source: SimulationInput["source"]): Promise<string> {
  if (source.ip !== undefined) return source.ip;
  const { assets } = await loadInventory(ctx.db, ctx.organizationId);
  const asset = assets.find((candidate) => candidate.id === source.assetId);
  const ip = asset?.addresses.private[0] ?? asset?.addresses.public[0];
  if (ip === undefined) {
    const message = asset ? "the asset has no address" : "no such asset in the inventory";
    const fields = [{ location: "body", path: "source.assetId", message }];
    throw new AppError("invalid_request", `Cannot simulate from it: ${message}.`, { fields });
  }
  return ip;
}

function inspect(resolved: ResolvedPolicy, decision: Decision, input: SimulationInput) {
  if (!input.request || decision.action !== "allow" || decision.profiles.length === 0) return null;
  const profiles = resolved.profiles.filter((p) => decision.profiles.includes(p.id));
  const request = input.request;
  return inspectRequest(compileProfiles(profiles as Parameters<typeof compileProfiles>[0]), {
    method: request.method,
    target: request.path,
    headers: [["host", input.destination.host], ...(request.headers ?? [])],
    body: new TextEncoder().encode(request.body ?? ""),
  });
}

function side(
  resolved: ResolvedPolicy,
  flow: Flow,
  input: SimulationInput,
  version: number | null,
) {
  let decision: Decision;
  try {
    decision = decide(buildIndex(resolved), flow);
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    const fields = [{ location: "body", path: error.field, message: error.reason }];
    throw new AppError("invalid_request", error.message, { fields, cause: error });
  }
  return { version, decision, inspection: inspect(resolved, decision, input) };
}

/**
 * Decides one flow on the draft (compiled with the current inventory) and on the published
 * bundle, side by side, with the engine's `decide`; a request given is inspected with the
 * profiles of the rule that allowed it. `published` is null before the first publish.
 */
export async function simulateFlow({ ctx, input }: ServiceCall<OrgContext, SimulationInput>) {
  const flow: Flow = {
    srcIp: await sourceIp(ctx, input.source),
    dstHost: input.destination.host,
    dstPort: input.destination.port,
    ...(input.destination.ip === undefined ? {} : { dstIp: input.destination.ip }),
    ...(input.destination.sni === undefined ? {} : { sni: input.destination.sni }),
    ...(input.request ? { path: input.request.path, method: input.request.method } : {}),
  };
  const { policy } = await loadDraft(ctx.db, ctx.organizationId);
  const draft = side(await compileWithInventory(ctx, policy), flow, input, null);
  const bundle = await latestBundle(ctx.db, ctx.organizationId);
  const published = bundle ? side(policyOf(bundle), flow, input, bundle.version) : null;
  return { flow, draft, published };
}
