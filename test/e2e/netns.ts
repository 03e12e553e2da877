import { spawnSync } from "node:child_process";
import { networkInterfaces } from "node:os";

/**
 * The end-to-end suite runs in a network namespace of its own with only loopback up, so the
 * kernel refuses any connection that would leave the machine. The demo's addresses live on that
 * namespace's `lo` and nowhere else.
 */

/** Set in the environment of the re-executed command; never set it by hand. */
export const NAMESPACE_FLAG = "RINGFENCE_E2E_NETNS";

/** The addresses the replay's parts use, each added as a /32 to the namespace's loopback. */
export const NAMESPACE_ADDRESSES = {
  /** The Ringfence gateway in the ops VPC. */
  gateway: "10.20.0.5",
  /** The interface VPC endpoint for S3 in the gateway's VPC (vpce-0a7e5ringfence01). */
  s3VpcEndpoint: "10.20.0.50",
  /** Stands for S3's public endpoint: what a caller outside the VPCs reaches. */
  s3Public: "10.99.0.10",
  /** The attacker on the internet (TEST-NET-2, a documentation range). */
  attacker: "198.51.100.23",
  /** The cloud metadata address, bound only so that a connection attempt would be seen. */
  metadata: "169.254.169.254",
} as const;

/** True when this process runs in a namespace whose only interface is loopback. */
export function insideLoopbackNamespace(): boolean {
  const names = Object.keys(networkInterfaces());
  return process.env[NAMESPACE_FLAG] === "1" && names.every((name) => name === "lo");
}

/**
 * Re-executes the current command (the Vitest CLI that loaded the config) under `unshare -n`,
 * after bringing `lo` up and adding every address, then exits with its status. Returns at once
 * when already inside. Needs root (or CAP_SYS_ADMIN) for the new namespace.
 */
export function reexecInNamespace(addresses: readonly string[]): void {
  if (process.env[NAMESPACE_FLAG] === "1") return;
  const setup = [
    "set -e",
    "ip link set lo up",
    ...addresses.map((address) => `ip addr add ${address}/32 dev lo`),
    'exec "$@"',
  ].join("\n");
  const result = spawnSync(
    "unshare",
    [
      "--net",
      "--",
      "sh",
      "-c",
      setup,
      "sh",
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: "inherit", env: { ...process.env, [NAMESPACE_FLAG]: "1" } },
  );
  if (result.error) {
    process.stderr.write(`e2e: cannot enter a network namespace: ${result.error.message}\n`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}
