"use client";

import type { Rule, RuleSet } from "@ringfence/engine/documents";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import { Button } from "./controls.tsx";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Card, Table, Td } from "./layout.tsx";

interface Hit {
  ruleId: string;
  hits: number;
  lastSeen: string | null;
}

/** Moves the item at `from` one step up (-1) or down (+1), returning the new id order. */
export function moved(ids: readonly string[], from: number, step: -1 | 1): string[] {
  const next = [...ids];
  const to = from + step;
  const a = next[from];
  const b = next[to];
  if (a === undefined || b === undefined) return next;
  next[from] = b;
  next[to] = a;
  return next;
}

function RuleRow({
  set,
  rule,
  index,
  hits,
}: {
  set: RuleSet;
  rule: Rule;
  index: number;
  hits: number;
}) {
  const orgId = useOrgId();
  const base = `/orgs/${orgId}/rule-sets/${encodeURIComponent(set.id)}/rules`;
  const ids = set.rules.map((r) => r.id);
  const reorder = useMutation({
    mutationFn: (order: string[]) => api(`${base}/order`, { method: "PUT", body: { ids: order } }),
  });
  const toggle = useMutation({
    mutationFn: () =>
      api(`${base}/${encodeURIComponent(rule.id)}`, {
        method: "PUT",
        body: { ...rule, monitor: !rule.monitor },
      }),
  });
  return (
    <tr>
      <Td>{index + 1}</Td>
      <Td mono>{rule.id}</Td>
      <Td>
        <Badge tone={rule.action === "allow" ? "good" : "bad"}>{rule.action}</Badge>
      </Td>
      <Td mono>
        {(rule.sources ?? ["any"]).join(", ")} → {(rule.destinations ?? ["any"]).join(", ")}
      </Td>
      <Td>
        {rule.mode}
        {rule.profiles.length ? ` · ${rule.profiles.join(", ")}` : ""}
      </Td>
      <Td>
        <Button tone="secondary" onClick={() => toggle.mutate()} aria-pressed={rule.monitor}>
          {rule.monitor ? "Monitor" : "Enforce"}
        </Button>
      </Td>
      <Td>{hits}</Td>
      <Td>
        <div className="flex gap-1">
          <Button
            tone="secondary"
            aria-label={`Move ${rule.id} up`}
            disabled={index === 0}
            onClick={() => reorder.mutate(moved(ids, index, -1))}
          >
            ↑
          </Button>
          <Button
            tone="secondary"
            aria-label={`Move ${rule.id} down`}
            disabled={index === ids.length - 1}
            onClick={() => reorder.mutate(moved(ids, index, 1))}
          >
            ↓
          </Button>
        </div>
        <ErrorBox error={reorder.error ?? toggle.error} />
      </Td>
    </tr>
  );
}

/** The draft's rule sets in evaluation order, with their rules, modes and hit counts. */
export function RuleSets() {
  const orgId = useOrgId();
  const sets = useQuery({
    queryKey: ["org", orgId, "rule-sets"],
    queryFn: () => api<{ items: RuleSet[]; revision: number }>(`/orgs/${orgId}/rule-sets`),
  });
  const hits = useQuery({
    queryKey: ["org", orgId, "hits"],
    queryFn: () => api<{ items: Hit[] }>(`/orgs/${orgId}/policy/hits`),
  });
  if (sets.isPending) return <Loading what="rule sets" />;
  if (sets.error) return <ErrorBox error={sets.error} />;
  if (sets.data.items.length === 0) return <Empty title="The draft has no rule sets yet." />;
  const count = (ruleId: string) => hits.data?.items.find((h) => h.ruleId === ruleId)?.hits ?? 0;
  return (
    <>
      {sets.data.items.map((set) => (
        <Card key={set.id} title={`${set.name ?? set.id} · default ${set.defaultAction}`}>
          {set.rules.length === 0 ? (
            <Empty title="No rules: the default action decides." />
          ) : (
            <Table
              head={[
                "#",
                "Rule",
                "Action",
                "Sources → destinations",
                "Mode",
                "Enforcement",
                "Hits",
                "Order",
              ]}
            >
              {set.rules.map((rule, index) => (
                <RuleRow key={rule.id} set={set} rule={rule} index={index} hits={count(rule.id)} />
              ))}
            </Table>
          )}
        </Card>
      ))}
    </>
  );
}
