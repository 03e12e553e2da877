import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { EnforcerContext, WithEnforcement } from "../enforcers/runtime.ts";
import { type CaPemPair, liveCaCertificate, openCa } from "./ca.ts";

/** The organisation's proxy-mode CA certificate (public), for customers' trust stores. */
export async function getCaCertificate({
  ctx,
}: ServiceCall<WithEnforcement<OrgContext>, Record<string, never>>): Promise<{
  certificatePem: string;
  notAfter: string;
}> {
  const row = await ctx.db.transaction((tx) =>
    liveCaCertificate(tx, ctx.enforcement.keyring, ctx.organizationId),
  );
  return { certificatePem: row.certificatePem, notAfter: row.notAfter.toISOString() };
}

/**
 * The CA with its private key, for a gateway that mints leaf certificates in proxy mode.
 * Workers never intercept TLS, so they are refused.
 */
export async function getCaForGateway({
  ctx,
}: ServiceCall<EnforcerContext, Record<string, never>>): Promise<CaPemPair> {
  if (ctx.enforcer.kind !== "gateway") {
    throw new AppError("forbidden", "Only gateways receive the proxy-mode CA key.");
  }
  const row = await ctx.db.transaction((tx) =>
    liveCaCertificate(tx, ctx.enforcement.keyring, ctx.enforcer.organizationId),
  );
  return openCa(ctx.enforcement.keyring, row);
}
