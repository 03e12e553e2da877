"use client";

import type { Rule, RuleSet } from "@ringfence/engine/documents";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type RefObject, useRef, useState } from "react";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import { Button } from "./controls.tsx";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Card, Table, Td, when } from "./layout.tsx";
import { RuleEditor } from "./rule-editor.tsx";
import { moved, NewRuleSet, RuleSetSettings } from "./rule-set-controls.tsx";

export { moved };

/** One rule's decisions of one action, as `/policy/hits` counts them. */
interface HitRow {
  ruleId: string;
  hits: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** A rule's decisions over every action: how many, the first and the last. */
export interface Hits {
  hits: number;
  first: string | null;
  last: string | null;
}

const NO_HITS: Hits = { hits: 0, first: null, last: null };

/** Folds the per-action counters of each rule into one total with its first and last hit. */
export function hitsByRule(rows: readonly HitRow[]): Map<string, Hits> {
  const byRule = new Map<string, Hits>();
  const earlier = (a: string | null, b: string | null) => (!a || (b && b < a) ? b : a);
  const later = (a: string | null, b: string | null) => (!a || (b && b > a) ? b : a);
  for (const row of rows) {
    const seen = byRule.get(row.ruleId) ?? NO_HITS;
    byRule.set(row.ruleId, {
      hits: seen.hits + row.hits,
      first: earlier(seen.first, row.firstSeen),
      last: later(seen.last, row.lastSeen),
    });
  }
  return byRule;
}

/** Gives the focus back to the disclosure button an editor was opened with. */
function refocus(around: RefObject<HTMLElement | null>) {
  around.current?.querySelector<HTMLElement>("button[aria-expanded]")?.focus();
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
  hits: Hits;
}) {
  const orgId = useOrgId();
  const [editing, setEditing] = useState(false);
  const row = useRef<HTMLTableRowElement>(null);
  const close = () => {
    setEditing(false);
    refocus(row);
  };
  const base = `/orgs/${orgId}/rule-sets/${encodeURIComponent(set.id)}/rules`;
  const at = `${base}/${encodeURIComponent(rule.id)}`;
  const ids = set.rules.map((r) => r.id);
  const reorder = useMutation({
    mutationFn: (order: string[]) => api(`${base}/order`, { method: "PUT", body: { ids: order } }),
  });
  const toggle = useMutation({
    mutationFn: () => api(at, { method: "PUT", body: { ...rule, monitor: !rule.monitor } }),
  });
  const remove = useMutation({ mutationFn: () => api(at, { method: "DELETE" }) });
  const error = reorder.error ?? toggle.error ?? remove.error;
  // The visible word leads the accessible name, which adds the rule it acts on.
  const verb = rule.monitor ? "Enforce" : "Monitor";
  return (
    <>
      <tr data-rule={rule.id} ref={row}>
        <Td>{index + 1}</Td>
        <Td>
          <span className="font-mono text-xs">{rule.id}</span>
          {rule.name ? <span className="block text-xs text-slate-500">{rule.name}</span> : null}
          {rule.enabled ? null : <Badge tone="warn">disabled</Badge>}
        </Td>
        <Td>
          <Badge tone={rule.action === "allow" ? "good" : "bad"}>{rule.action}</Badge>
        </Td>
        <Td mono>
          {(rule.sources ?? ["any"]).join(", ")} → {(rule.destinations ?? ["any"]).join(", ")}
          {rule.ports ? ` : ${rule.ports.join(", ")}` : ""}
        </Td>
        <Td>
          {rule.mode}
          {rule.profiles.length ? ` · ${rule.profiles.join(", ")}` : ""}
        </Td>
        <Td>
          <div className="flex flex-wrap items-center gap-1.5">
            <Badge tone={rule.monitor ? "warn" : "good"}>
              {rule.monitor ? "monitor only" : "enforced"}
            </Badge>
            <Button
              tone="secondary"
              aria-label={`${verb} ${rule.id}`}
              disabled={toggle.isPending}
              onClick={() => toggle.mutate()}
            >
              {verb}
            </Button>
          </div>
        </Td>
        <Td>
          <span data-testid={`hits-${rule.id}`}>{hits.hits}</span>
          {hits.hits ? (
            <span className="block text-xs text-slate-500">
              first {when(hits.first)}
              <br />
              last {when(hits.last)}
            </span>
          ) : null}
        </Td>
        <Td>
          <div className="flex flex-wrap gap-1">
            <Button
              tone="secondary"
              aria-label={`Move ${rule.id} up`}
              disabled={index === 0 || reorder.isPending}
              onClick={() => reorder.mutate(moved(ids, index, -1))}
            >
              ↑
            </Button>
            <Button
              tone="secondary"
              aria-label={`Move ${rule.id} down`}
              disabled={index === ids.length - 1 || reorder.isPending}
              onClick={() => reorder.mutate(moved(ids, index, 1))}
            >
              ↓
            </Button>
            <Button
              tone="secondary"
              aria-expanded={editing}
              aria-label={`Edit ${rule.id}`}
              onClick={() => setEditing(!editing)}
            >
              Edit
            </Button>
            <Button
              tone="danger"
              aria-label={`Delete ${rule.id}`}
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
            >
              Delete
            </Button>
          </div>
          <ErrorBox error={error} />
        </Td>
      </tr>
      {editing ? (
        <tr>
          <td colSpan={8} className="bg-slate-50 p-3 dark:bg-slate-950">
            <RuleEditor ruleSetId={set.id} rule={rule} onSaved={close} onClose={close} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

const HEAD = ["#", "Rule", "Action", "Sources → destinations", "Mode", "Enforcement", "Hits", ""];

function RuleSetCard({
  set,
  order,
  hits,
}: {
  set: RuleSet;
  order: readonly string[];
  hits: Map<string, Hits>;
}) {
  const [adding, setAdding] = useState(false);
  const toggle = useRef<HTMLDivElement>(null);
  const close = () => {
    setAdding(false);
    refocus(toggle);
  };
  return (
    <Card title={`${set.name ?? set.id} · default ${set.defaultAction}`}>
      <div className="flex flex-col gap-3" data-rule-set={set.id}>
        <RuleSetSettings set={set} order={order} />
        {set.rules.length === 0 ? (
          <Empty title="No rules: the default action decides." />
        ) : (
          <Table head={HEAD}>
            {set.rules.map((rule, index) => (
              <RuleRow
                key={rule.id}
                set={set}
                rule={rule}
                index={index}
                hits={hits.get(rule.id) ?? NO_HITS}
              />
            ))}
          </Table>
        )}
        <div ref={toggle}>
          <Button tone="secondary" aria-expanded={adding} onClick={() => setAdding(!adding)}>
            {adding ? "Close the new rule" : `Add a rule to ${set.id}`}
          </Button>
        </div>
        {adding ? <RuleEditor ruleSetId={set.id} onClose={close} /> : null}
      </div>
    </Card>
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
    queryFn: () => api<{ items: HitRow[] }>(`/orgs/${orgId}/policy/hits`),
  });
  if (sets.isPending) return <Loading what="rule sets" />;
  if (sets.error) return <ErrorBox error={sets.error} />;
  const counts = hitsByRule(hits.data?.items ?? []);
  const order = sets.data.items.map((set) => set.id);
  return (
    <>
      <ErrorBox error={hits.error} />
      {order.length === 0 ? <Empty title="The draft has no rule sets yet." /> : null}
      {sets.data.items.map((set) => (
        <RuleSetCard key={set.id} set={set} order={order} hits={counts} />
      ))}
      <Card title="New rule set">
        <NewRuleSet />
      </Card>
    </>
  );
}
