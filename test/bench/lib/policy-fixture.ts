/** The propagation benchmark's inventory and policy, kept apart so the runner reads as steps. */

export const BACKEND_HOST = "backend.bench.test";
export const BENCH_AWS_ACCOUNT = "111122223333";
const INSTANCE_ID = "i-0bench00000000001";

/**
 * `aws ec2 describe-instances` output for one instance on 127.0.0.1 (the benchmark's client
 * address) whose `Bench` tag decides whether the policy's dynamic object selects it.
 */
export function instancesFile(tag: "allowed" | "denied"): string {
  return JSON.stringify({
    Reservations: [
      {
        OwnerId: BENCH_AWS_ACCOUNT,
        Instances: [
          {
            InstanceId: INSTANCE_ID,
            InstanceType: "t3.micro",
            Placement: { AvailabilityZone: "us-east-1a" },
            State: { Name: "running" },
            PrivateIpAddress: "127.0.0.1",
            VpcId: "vpc-0bench",
            SubnetId: "subnet-0bench",
            Tags: [
              { Key: "Name", Value: "bench-client" },
              { Key: "Bench", Value: tag },
            ],
          },
        ],
      },
    ],
  });
}

/** Policy as code: tagged clients may reach the backend, everything else is denied. */
export function policyYaml(action: "allow" | "deny"): string {
  return [
    "schemaVersion: 1",
    "objects:",
    "  - id: bench-clients",
    "    kind: dynamic",
    '    selector: tag.Bench == "allowed"',
    "services:",
    "  - id: bench-backend",
    "    kind: fqdn",
    `    hosts: [${BACKEND_HOST}]`,
    "profiles: []",
    "ruleSets:",
    "  - id: bench",
    "    defaultAction: deny",
    "    rules:",
    "      - id: bench-clients-reach-backend",
    "        name: tagged clients reach the backend",
    `        action: ${action}`,
    "        sources: [bench-clients]",
    "        destinations: [bench-backend]",
    "        mode: forwarding",
    "        enabled: true",
    "        monitor: false",
    "        profiles: []",
    "",
  ].join("\n");
}
