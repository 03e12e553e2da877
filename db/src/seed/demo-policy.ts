import type { Database, Transaction } from "../client.ts";
import { policyDrafts } from "../schema/policy.ts";
import { DEMO_DATA_BUCKET, DEMO_PATCHES_BUCKET, DEMO_REGION } from "./demo-inventory.ts";

/** The public name of the demo web application that the edge worker protects. */
export const DEMO_WEB_APP_HOST = "preview.acme-demo.example";

/**
 * The demo organisation's policy, as the engine's canonical policy document
 * (docs/engine/policy.md): written against tags and attributes, never addresses.
 *
 * - CentOS 7 instances (`OS=CentOS 7.x`) and anything in the Azure VNet `VNetb` may reach the
 *   internal patches bucket; nothing else may.
 * - Only the analytics tier reads the customer-data bucket, in proxy mode under DLP, so a bulk
 *   download of records is stopped even from an allowed source.
 * - Cloud metadata endpoints are denied to everyone before any other rule.
 * - The web application (behind the edge) is inspected by the WAF profile `web-waf`.
 */
export function demoPolicy(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    objects: [
      { id: "centos7", kind: "dynamic", selector: 'tag.OS == "CentOS 7.x"' },
      { id: "vnetb", kind: "dynamic", selector: 'vnet ~* "*/virtualnetworks/vnetb"' },
      { id: "patch-clients", kind: "group", include: ["centos7", "vnetb"] },
      { id: "analytics", kind: "dynamic", selector: 'tag.Role == "analytics"' },
      { id: "web-app", kind: "dynamic", selector: 'tag.Role == "web-app"' },
    ],
    services: [
      { id: "patches-bucket", kind: "s3", bucket: DEMO_PATCHES_BUCKET, region: DEMO_REGION },
      { id: "customer-data", kind: "s3", bucket: DEMO_DATA_BUCKET, region: DEMO_REGION },
      { id: "link-preview-app", kind: "fqdn", hosts: [DEMO_WEB_APP_HOST] },
    ],
    ruleSets: [
      {
        id: "guard",
        defaultAction: "next",
        rules: [
          {
            id: "no-metadata",
            name: "nobody reaches a cloud metadata service through the gateway",
            destinations: ["builtin:cloud-metadata"],
            action: "deny",
          },
        ],
      },
      {
        id: "workloads",
        defaultAction: "deny",
        rules: [
          {
            id: "web-app-inbound",
            name: "the public web application, inspected by the WAF",
            destinations: ["link-preview-app"],
            action: "allow",
            mode: "proxy",
            profiles: ["web-waf"],
          },
          {
            id: "patches-for-centos7-and-vnetb",
            name: "CentOS 7 and VNetb download patches",
            sources: ["patch-clients"],
            destinations: ["patches-bucket"],
            action: "allow",
          },
          {
            id: "analytics-reads-customer-data",
            name: "analytics reads customer data, inspected",
            sources: ["analytics"],
            destinations: ["customer-data"],
            action: "allow",
            mode: "proxy",
            profiles: ["customer-records-dlp"],
          },
        ],
      },
    ],
    profiles: [
      { id: "web-waf", kind: "waf", paranoia: 1, mode: "block" },
      {
        id: "customer-records-dlp",
        kind: "dlp",
        directions: ["response"],
        detectors: [
          { detector: "credit-card", action: "block", threshold: 5 },
          { detector: "us-ssn", action: "block", threshold: 5 },
        ],
      },
    ],
  };
}

/**
 * Makes the demo policy the organisation's draft. Publishing it is Deploy's verb (the policy
 * API); the seed only writes the document, so a fresh start shows it ready to publish.
 */
export async function seedDemoPolicy(
  db: Database | Transaction,
  organizationId: string,
): Promise<void> {
  const document = demoPolicy();
  await db
    .insert(policyDrafts)
    .values({ organizationId, document })
    .onConflictDoNothing({ target: policyDrafts.organizationId });
}
