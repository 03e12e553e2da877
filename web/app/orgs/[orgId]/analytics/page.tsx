"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, query } from "@/src/ui/api.ts";
import { BarList, TrafficChart } from "@/src/ui/components/charts.tsx";
import { Button, SelectField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Badge, Card, PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";
import {
  type Decisions,
  type DetectionCount,
  type EndpointCount,
  fillBuckets,
  RANGES,
  type RangeValue,
  type RuleHit,
  windowOf,
} from "@/src/ui/report.ts";

type Span = ReturnType<typeof windowOf>;

/** One analytics route over the page's time window; the window is part of the cache key. */
function useAnalytics<T>(name: string, span: Span, action?: "deny") {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ["org", orgId, "analytics", name, span, action],
    queryFn: () =>
      api<T>(`/orgs/${orgId}/analytics/${name}${query({ ...span, limit: 10, action })}`),
    enabled: orgId !== "",
  });
}

function Traffic({ span }: { span: Span }) {
  const decisions = useAnalytics<Decisions>("decisions", span);
  if (decisions.isPending) return <Loading what="traffic" />;
  if (decisions.error) return <ErrorBox error={decisions.error} />;
  const items = decisions.data.items;
  if (items.length === 0) {
    return <Empty title="No decisions in this window.">Enforcers report them as they run.</Empty>;
  }
  const total = (key: "allow" | "deny" | "monitor") => items.reduce((n, i) => n + i[key], 0);
  return (
    <>
      <p className="mb-2 text-sm" data-testid="traffic-totals">
        {total("allow")} allowed · {total("deny")} denied · {total("monitor")} monitored
      </p>
      <TrafficChart items={fillBuckets(decisions.data)} bucket={decisions.data.bucket} />
    </>
  );
}

/** A top list; with `action="deny"` only denied decisions count (the rollups of migration 0015). */
function Endpoints({
  side,
  span,
  action,
  label,
}: {
  side: "top-sources" | "top-destinations";
  span: Span;
  action?: "deny";
  label: string;
}) {
  const top = useAnalytics<{ items: EndpointCount[] }>(side, span, action);
  if (top.isPending) return <Loading what={label.toLowerCase()} />;
  if (top.error) return <ErrorBox error={top.error} />;
  if (top.data.items.length === 0) return <Empty title="Nothing seen in this window." />;
  const rows = top.data.items.map((i) => ({ key: i.value, name: i.value, count: i.events }));
  return <BarList label={label} rows={rows} />;
}

function Detections({ span }: { span: Span }) {
  const detections = useAnalytics<{ items: DetectionCount[] }>("detections", span);
  if (detections.isPending) return <Loading what="detections" />;
  if (detections.error) return <ErrorBox error={detections.error} />;
  if (detections.data.items.length === 0) return <Empty title="No detections in this window." />;
  const rows = detections.data.items.map((i) => ({
    key: `${i.category}/${i.severity}`,
    name: `${i.category} (${i.severity})`,
    count: i.events,
  }));
  return <BarList label="Detections by category" rows={rows} />;
}

function Rules({ span }: { span: Span }) {
  const rules = useAnalytics<{ items: RuleHit[] }>("rules", span);
  if (rules.isPending) return <Loading what="rule hits" />;
  if (rules.error) return <ErrorBox error={rules.error} />;
  if (rules.data.items.length === 0) return <Empty title="No rule matched in this window." />;
  return (
    <Table head={["Rule", "Hits", "First hit", "Last hit"]}>
      {rules.data.items.map((rule) => (
        <tr key={rule.ruleId ?? "default"}>
          <Td mono>{rule.ruleId ?? <Badge>default rule</Badge>}</Td>
          <Td>{rule.hits}</Td>
          <Td>{when(rule.firstHit)}</Td>
          <Td>{when(rule.lastHit)}</Td>
        </tr>
      ))}
    </Table>
  );
}

export default function AnalyticsPage() {
  const [range, setRange] = useState<RangeValue>("24h");
  const [span, setSpan] = useState(() => windowOf("24h", new Date()));

  const choose = (value: RangeValue) => {
    setRange(value);
    setSpan(windowOf(value, new Date()));
  };
  return (
    <>
      <PageHeader
        title="Analytics"
        description="What the enforcers decided, counted from hourly rollups of the stored events."
        actions={
          <div className="flex items-end gap-2">
            <SelectField
              label="Time range"
              value={range}
              options={RANGES}
              onChange={(e) => choose(e.target.value as RangeValue)}
            />
            <Button tone="secondary" onClick={() => choose(range)}>
              Refresh
            </Button>
          </div>
        }
      />
      <Card title="Traffic over time">
        <Traffic span={span} />
      </Card>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Top denied sources">
          <Endpoints side="top-sources" action="deny" span={span} label="Top denied sources" />
        </Card>
        <Card title="Top destinations">
          <Endpoints side="top-destinations" span={span} label="Top destinations" />
        </Card>
        <Card title="Detections by category">
          <Detections span={span} />
        </Card>
      </div>
      <Card title="Rule hits">
        <Rules span={span} />
      </Card>
    </>
  );
}
