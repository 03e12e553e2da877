import type { DecisionEvent } from "@ringfence/engine/documents";
import type { EgressGuard } from "./egress/dial.ts";
import type { UpstreamPool } from "./egress/upstream.ts";
import type { PolicyHolder } from "./engine/policy.ts";
import type { HeadLimits } from "./http/head.ts";
import type { Metrics } from "./metrics.ts";
import type { TrustedHops } from "./proxy/identity.ts";
import type { LeafMinter } from "./tls/minter.ts";

/** Bounds that protect the gateway from slow or oversized clients. */
export type GatewayLimits = {
  head: HeadLimits;
  /** How long a client may take to send its ClientHello after CONNECT. */
  helloTimeoutMs: number;
  /** Request bodies up to this size are read completely before anything is sent upstream. */
  maxBufferedBody: number;
  /** Idle time after which a client connection is closed. */
  idleTimeoutMs: number;
};

/** What every connection handler needs; built once per process by `createGateway`. */
export type GatewayContext = {
  enforcerId: string;
  policy: PolicyHolder;
  egress: EgressGuard;
  upstream: UpstreamPool;
  /** Present when proxy mode (TLS interception) is configured with an organisation CA. */
  minter: LeafMinter | undefined;
  trustedHops: TrustedHops;
  limits: GatewayLimits;
  metrics: Metrics;
  emit(event: DecisionEvent): void;
};
