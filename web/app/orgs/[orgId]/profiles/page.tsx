"use client";

import {
  type CollectionSpec,
  DocumentList,
  type DraftItem,
} from "@/src/ui/components/document-list.tsx";
import { PageHeader } from "@/src/ui/components/layout.tsx";
import { ProfileControls } from "@/src/ui/components/profile-controls.tsx";

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

function summary(item: DraftItem): string {
  switch (item.kind) {
    case "waf":
      return `paranoia ${String(item.paranoia ?? 1)}, ${String(item.mode ?? "block")}, ${count(item.exclusions)} exclusions`;
    case "dlp":
      return `${count(item.detectors)} detectors on ${String(item.directions ?? "response")}`;
    case "ips":
      return `${item.builtin === false ? "no" : "built-in"} signatures + ${count(item.signatures)} own`;
    default:
      return `${count(item.sha256Blocklist)} blocked hashes`;
  }
}

const PROFILES: CollectionSpec = {
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
  controls: (item, change) => <ProfileControls item={item} change={change} />,
};

export default function ProfilesPage() {
  return (
    <>
      <PageHeader
        title="Inspection profiles"
        description="WAF paranoia and exclusions, DLP detectors, IPS signatures and malware hashes that rules attach. Each is checked by the inspection engine's schema when saved; publish from Policy."
      />
      <DocumentList spec={PROFILES} />
    </>
  );
}
