import { checkUrlLexical } from "../ssrf/index.ts";

/** Why a control-plane URL from configuration was refused. */
export class ControlPlaneUrlError extends Error {
  override readonly name = "ControlPlaneUrlError";
}

export interface ControlPlaneUrlOptions {
  /**
   * Allows plain `http://` to a literal loopback address (127.0.0.0/8 or [::1]), for local
   * development and tests. Never needed in production: enforcers speak TLS to the control plane.
   */
  allowInsecureLoopback?: boolean;
}

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Parses and checks the control plane's base URL: `https://` only (plain `http://` solely to a
 * literal loopback address with the explicit flag), no credentials, query or fragment, and
 * never a link-local or cloud metadata address. Returns the URL with a trailing slash so paths
 * resolve beneath it.
 */
export function parseControlPlaneUrl(input: string, options: ControlPlaneUrlOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ControlPlaneUrlError(`the control-plane URL ${JSON.stringify(input)} is not a URL`);
  }

  checkScheme(url, options);
  if (url.username !== "" || url.password !== "") {
    throw new ControlPlaneUrlError("the control-plane URL must not carry credentials");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ControlPlaneUrlError("the control-plane URL must not carry a query or fragment");
  }
  if (isMetadataOrLinkLocal(url)) {
    throw new ControlPlaneUrlError(
      `the control-plane URL points at ${url.hostname}, a link-local or cloud metadata address`,
    );
  }

  if (!url.pathname.endsWith("/")) {
    url.pathname = `${url.pathname}/`;
  }
  return url;
}

function checkScheme(url: URL, options: ControlPlaneUrlOptions): void {
  if (url.protocol === "https:") {
    return;
  }
  if (url.protocol !== "http:") {
    throw new ControlPlaneUrlError(`the control-plane URL must use https://, not ${url.protocol}`);
  }
  if (!isLoopback(url.hostname)) {
    throw new ControlPlaneUrlError(
      "the control-plane URL must use https:// (http:// is allowed only to a loopback address)",
    );
  }
  if (options.allowInsecureLoopback !== true) {
    throw new ControlPlaneUrlError(
      "the control-plane URL uses http:// to loopback; set allowInsecureLoopback to permit it",
    );
  }
}

function isLoopback(hostname: string): boolean {
  return IPV4_LOOPBACK.test(hostname) || hostname === "[::1]";
}

/**
 * Asks the engine's SSRF guard, which decodes every spelling of an address. Private addresses
 * stay allowed (a control plane inside the customer's network is legitimate); metadata
 * endpoints and link-local addresses never are.
 */
function isMetadataOrLinkLocal(url: URL): boolean {
  const verdict = checkUrlLexical(url.href);
  return (
    verdict.reason === "metadata-address" ||
    verdict.reason === "metadata-hostname" ||
    verdict.category === "link-local"
  );
}
