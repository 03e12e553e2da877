import type { TestProject } from "vitest/node";
import { startControlPlane, startOrigin } from "./servers.ts";

const ORIGIN_SECRET = "test-origin-secret-0123456789abcdef";

/**
 * Starts the real loopback servers the worker talks to during the tests and hands their
 * addresses to the workerd side; everything is closed when the run ends.
 */
export default async function setup(project: TestProject) {
  const origin = await startOrigin(ORIGIN_SECRET);
  const control = await startControlPlane("org-test");

  project.provide("originUrl", origin.url);
  project.provide("controlPlaneUrl", control.url);
  project.provide("originSecret", ORIGIN_SECRET);
  project.provide("workerBindings", {
    ORIGIN_URL: origin.url,
    CONTROL_PLANE_URL: control.url,
    ENFORCER_CREDENTIAL: "rfe_test_credential_0123456789",
    ENFORCER_ID: "edge-worker-test",
    ORGANIZATION_ID: "org-test",
    TRUSTED_KEYS: JSON.stringify([
      { keyId: control.state.keys.keyId, publicKey: control.state.keys.publicKey },
    ]),
    ORIGIN_SIGNING_SECRET: ORIGIN_SECRET,
    STATUS_TOKEN: "status-token-0123456789",
    BUNDLE_MAX_STALENESS_SECONDS: "2",
    EVENT_LINGER_MS: "0",
  });

  return async () => {
    origin.server.close();
    control.server.close();
  };
}
