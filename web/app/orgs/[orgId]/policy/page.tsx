"use client";

import { Bundles } from "@/src/ui/components/bundles.tsx";
import { Card, PageHeader } from "@/src/ui/components/layout.tsx";
import { PublishPanel } from "@/src/ui/components/publish.tsx";
import { RuleSets } from "@/src/ui/components/rule-sets.tsx";
import { SimulationPanel } from "@/src/ui/components/simulation.tsx";
import { useHasApi } from "@/src/ui/hooks.ts";

export default function PolicyPage() {
  const rules = useHasApi("/api/v1/orgs/{orgId}/rule-sets");
  const publishing = useHasApi("/api/v1/orgs/{orgId}/policy/publish");
  const simulation = useHasApi("/api/v1/orgs/{orgId}/policy/simulate");
  return (
    <>
      <PageHeader
        title="Policy"
        description="Ordered rules over address and service objects; first match wins, and every decision explains itself."
      />
      {rules ? <RuleSets /> : null}
      {publishing ? (
        <Card title="Draft and published">
          <PublishPanel />
        </Card>
      ) : null}
      {simulation ? (
        <Card title="Simulate a flow">
          <SimulationPanel />
        </Card>
      ) : null}
      <Card title="Signed bundles">
        <Bundles />
      </Card>
    </>
  );
}
