/**
 * The SSRF guard: decides whether a URL or host:port is a safe destination. Lexical mode
 * inspects requests without DNS; resolving mode judges every resolved address and returns the
 * one to connect to. Cloud metadata endpoints are always blocked, allowlist or not.
 * See docs/engine/ssrf.md.
 */
export { checkHostLexical, checkUrlLexical } from "./lexical.ts";
export { checkHostResolving, checkUrlResolving } from "./resolving.ts";
export {
  ADDRESS_CATEGORIES,
  type AddressCategory,
  SSRF_REASONS,
  type SsrfConnectResult,
  type SsrfOptions,
  SsrfOptionsError,
  type SsrfReason,
  type SsrfResolver,
  type SsrfResolvingOptions,
  type SsrfResult,
} from "./types.ts";
