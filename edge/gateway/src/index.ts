/**
 * The Node.js VM gateway: forward proxy (CONNECT in forwarding and proxy mode, absolute-form
 * HTTP) and reverse proxy for inbound applications, with strict framing, egress guard, bundle
 * sync, event shipping and metrics.
 * See docs/gateway.md.
 */
export {
  ConfigError,
  type GatewayConfig,
  gatewayConfigSchema,
  parseGatewayConfig,
} from "./config.ts";
export { type EgressGuard, type Resolver, staticResolver } from "./egress/dial.ts";
export {
  compilePolicy,
  type Decision,
  FAIL_CLOSED,
  FAIL_OPEN,
  type Flow,
  type PolicyHandle,
  PolicyHolder,
} from "./engine/policy.ts";
export { EventShipper } from "./events/spool.ts";
export { type GatewayOptions, type RunningGateway, startGateway } from "./gateway.ts";
export { FramingError } from "./http/errors.ts";
export { parseRequestHead, type RequestHead } from "./http/head.ts";
export type { ReverseOptions } from "./reverse/listener.ts";
export { type ReverseRoute, RouteError } from "./reverse/routes.ts";
export { runClusterPrimary, runClusterWorker } from "./runtime/cluster.ts";
export { type GatewayProcess, runGateway, type SingleProcess } from "./runtime/run.ts";
export type { S3EndpointOptions } from "./s3/endpoint.ts";
export {
  type DerivedSigningKey,
  deriveSigningKeys,
  type IssuedS3Key,
  issueS3Key,
  type S3ClientKey,
} from "./s3/keys.ts";
export type { S3Rule } from "./s3/rules.ts";
export { BundleSync } from "./sync/bundle-sync.ts";
export { createCa, issueLeaf, loadCa, type PemPair } from "./tls/ca.ts";
export { type ClientHelloInfo, parseClientHello } from "./tls/client-hello.ts";
