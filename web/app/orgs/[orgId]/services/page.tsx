"use client";

import {
  type CollectionSpec,
  DocumentList,
  type DraftItem,
} from "@/src/ui/components/document-list.tsx";
import { PageHeader } from "@/src/ui/components/layout.tsx";

const list = (value: unknown) => (Array.isArray(value) ? value.join(", ") : "");

function summary(item: DraftItem): string {
  const ports = Array.isArray(item.ports) ? ` · ports ${list(item.ports)}` : "";
  if (item.kind === "fqdn") return `${list(item.hosts)}${ports}`;
  if (item.kind === "azure_storage") return `account ${String(item.account)}${ports}`;
  return `bucket ${String(item.bucket)}${item.region ? ` (${String(item.region)})` : ""}${ports}`;
}

const SERVICES: CollectionSpec = {
  segment: "services",
  noun: "service object",
  templates: {
    s3: { id: "new-bucket", kind: "s3", bucket: "example-bucket", region: "us-east-1" },
    fqdn: { id: "new-api", kind: "fqdn", hosts: ["api.example.com"], ports: [443] },
    azure_storage: { id: "new-storage", kind: "azure_storage", account: "examplestorage" },
    gcs: { id: "new-gcs", kind: "gcs", bucket: "example-bucket" },
  },
  summary,
};

export default function ServicesPage() {
  return (
    <>
      <PageHeader
        title="Service objects"
        description="Destinations named by what they are (S3, Azure Storage and GCS buckets, host names) rather than by address, for rules to allow or deny. Changes go to the draft; publish them from Policy."
      />
      <DocumentList spec={SERVICES} />
    </>
  );
}
