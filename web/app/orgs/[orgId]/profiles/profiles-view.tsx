"use client";

import {
  type CollectionSpec,
  DocumentList,
  type DraftItem,
} from "@/src/ui/components/document-list.tsx";
import { PageHeader } from "@/src/ui/components/layout.tsx";
import { ProfileControls } from "@/src/ui/components/profile-controls.tsx";
import type { IpsFamily } from "@/src/ui/ips-families.ts";

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

function summary(item: DraftItem): string {
  switch (item.kind) {
    case "waf":
      return `paranoia ${String(item.paranoia ?? 1)}, ${String(item.mode ?? "block")}, ${count(item.exclusions)} exclusions`;
    case "dlp":
      return `${count(item.detectors)} detectors on ${String(item.directions ?? "response")}`;
    case "ips":
      return `${item.builtin === false ? "no" : "built-in"} signatures + ${count(item.signatures)} own, ${count(item.suppressions)} suppressed`;
    default:
      return `${count(item.sha256Blocklist)} blocked hashes`;
  }
}

const SPEC: Omit<CollectionSpec, "controls"> = {
  segment: "profiles",
  noun: "inspection profile",
  templates: {
    waf: { id: "new-waf", kind: "waf", paranoia: 1, mode: "block", exclusions: [] },
    dlp: {
      id: "new-dlp",
      kind: "dlp",
      directions: ["response"],
      detectors: [{ detector: "credit-card", action: "block", threshold: 5 }],
    },
    ips: { id: "new-ips", kind: "ips", builtin: true, signatures: [], suppressions: [] },
    malware: { id: "new-malware", kind: "malware", sha256Blocklist: [] },
  },
  summary,
};

/** The profiles page; `families` are the built-in IPS signatures, which the server holds. */
export function ProfilesView({ families }: { families: IpsFamily[] }) {
  const spec: CollectionSpec = {
    ...SPEC,
    controls: (item, change) => (
      <ProfileControls item={item} change={change} ipsFamilies={families} />
    ),
  };
  return (
    <>
      <PageHeader
        title="Inspection profiles"
        description="WAF paranoia and exclusions, DLP detectors, IPS signatures and malware hashes that rules attach. Each is checked by the inspection engine's schema when saved; publish from Policy."
      />
      <DocumentList spec={spec} />
    </>
  );
}
