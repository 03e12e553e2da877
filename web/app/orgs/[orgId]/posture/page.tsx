"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, query } from "@/src/ui/api.ts";
import { TextField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Badge, Card, PageHeader } from "@/src/ui/components/layout.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";
import type { PostureFinding } from "@/src/ui/types.ts";

const SEVERITY_TONE: Record<string, "bad" | "warn" | "neutral"> = {
  critical: "bad",
  high: "bad",
  medium: "warn",
};

function Finding({ finding }: { finding: PostureFinding }) {
  const fix =
    typeof finding.fix.document === "string"
      ? finding.fix.document
      : JSON.stringify(finding.fix.document, null, 2);
  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={SEVERITY_TONE[finding.severity] ?? "neutral"}>{finding.severity}</Badge>
        <code className="text-sm">{finding.kind}</code>
      </div>
      <p className="mt-2 text-sm">{finding.message}</p>
      <p className="mt-1 break-all font-mono text-xs text-slate-500 dark:text-slate-400">
        {finding.assetId}
      </p>
      <details className="mt-2">
        <summary className="cursor-pointer text-sm font-medium">
          Generated fix ({finding.fix.format})
        </summary>
        <pre className="mt-2 max-h-80 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
          {fix}
        </pre>
      </details>
    </Card>
  );
}

/** Splits a comma- or space-separated list typed by the user. */
const listOf = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(",");

export default function PosturePage() {
  const orgId = useOrgId();
  const [vpce, setVpce] = useState("");
  const [egressIp, setEgressIp] = useState("");
  const findings = useQuery({
    queryKey: ["org", orgId, "posture", vpce, egressIp],
    queryFn: () =>
      api<{ items: PostureFinding[] }>(
        `/orgs/${orgId}/posture${query({ vpce: listOf(vpce), egressIp: listOf(egressIp) })}`,
      ),
  });

  return (
    <>
      <PageHeader
        title="Posture"
        description="Paths that bypass the gateways, and instance settings that widen an SSRF, each with the fix that closes it."
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-2">
        <TextField
          label="Gateway VPC endpoint ids"
          placeholder="vpce-0abc…"
          value={vpce}
          onChange={(e) => setVpce(e.target.value)}
          hint="The fixes allow S3 access only through these."
        />
        <TextField
          label="Gateway egress IPs"
          placeholder="203.0.113.10"
          value={egressIp}
          onChange={(e) => setEgressIp(e.target.value)}
        />
      </div>
      {findings.isPending ? <Loading what="findings" /> : null}
      <ErrorBox error={findings.error} />
      {findings.data?.items.length === 0 ? (
        <Empty title="No findings: nothing bypasses the gateways." />
      ) : null}
      {findings.data?.items.map((f) => (
        <Finding key={`${f.kind}:${f.assetId}`} finding={f} />
      ))}
    </>
  );
}
