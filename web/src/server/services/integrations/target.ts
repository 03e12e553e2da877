import {
  checkHostResolving,
  checkUrlResolving,
  type SsrfConnectResult,
} from "@ringfence/engine/ssrf";
import { AppError } from "../../errors.ts";
import type { IntegrationKind } from "../outbox/tables.ts";
import type { ReportRuntime } from "./runtime.ts";

/** A target the SSRF guard approved: where to connect, and the name to verify TLS against. */
export interface JudgedTarget {
  /** The address the guard judged; the connection goes there and nowhere else. */
  address: string;
  port: number;
  hostname: string;
  /** Whether the transport is encrypted (https or syslog over TLS). */
  secure: boolean;
}

/** Why a target was refused, with the guard's reason code. */
export class TargetRefusedError extends Error {
  override readonly name = "TargetRefusedError";

  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const SYSLOG = /^(tcp|tls):\/\/([^/?#]+)$/;

/**
 * Judges an integration's target with the SSRF guard in resolving mode, as at save time and
 * before every delivery. Cleartext (http, syslog over plain TCP) is accepted only towards a
 * destination the egress allowlist names, since events must not cross the internet unencrypted.
 */
export async function judgeTarget(
  kind: IntegrationKind,
  target: string,
  runtime: ReportRuntime,
): Promise<JudgedTarget> {
  const options = { resolver: runtime.resolver, allow: runtime.egressAllow };
  let verdict: SsrfConnectResult;
  let secure: boolean;
  if (kind === "syslog") {
    const match = SYSLOG.exec(target);
    const authority = match?.[2] ? new URL(`tcp://${match[2]}`) : undefined;
    if (!match || !authority || authority.port === "") {
      throw new TargetRefusedError(
        "invalid-url",
        "a syslog target is tcp://host:port or tls://host:port",
      );
    }
    secure = match[1] === "tls";
    verdict = await checkHostResolving(authority.hostname, authority.port, options);
  } else {
    secure = target.startsWith("https://");
    verdict = await checkUrlResolving(target, options);
  }

  const { address, port, hostname } = verdict;
  if (verdict.verdict !== "allow" || !address || port === undefined || !hostname) {
    throw new TargetRefusedError(
      verdict.reason,
      `the SSRF guard refuses this target (${verdict.reason})`,
    );
  }
  if (!secure && verdict.reason !== "allowlisted") {
    throw new TargetRefusedError("cleartext", "a target outside the egress allowlist must use TLS");
  }
  return { address, port, hostname, secure };
}

/** judgeTarget for a request body: a refusal is an `invalid_request` naming `target`. */
export async function judgeTargetForSave(
  kind: IntegrationKind,
  target: string,
  runtime: ReportRuntime,
): Promise<JudgedTarget> {
  try {
    return await judgeTarget(kind, target, runtime);
  } catch (cause) {
    if (!(cause instanceof TargetRefusedError)) throw cause;
    throw new AppError("invalid_request", `The target is refused: ${cause.message}.`, {
      fields: [{ location: "body", path: "target", message: cause.message }],
      cause,
    });
  }
}
