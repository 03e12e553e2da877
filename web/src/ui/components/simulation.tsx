"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import { Button, SelectField, TextField } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";
import { Badge, Table, Td } from "./layout.tsx";

interface Detection {
  id: string;
  category: string;
  severity: string;
  action: string;
  location: string;
  evidence: string;
}

interface Side {
  version: number | null;
  decision: {
    action: "allow" | "deny";
    monitor: boolean;
    mode: string;
    ruleId?: string;
    ruleSetId?: string;
    profiles: string[];
    reasons: {
      sourceObjects: string[];
      destination?: { type: string; id: string; form: string; matched: string };
      default: boolean;
      refused?: string;
    };
    monitored: { ruleId: string; ruleSetId: string; action: string; mode: string }[];
  };
  inspection: { action: string; score: number; detections: Detection[] } | null;
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1">
      <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** Which rule decided, in words: a named rule, the default of a set, or a refusal. */
function decidedBy(d: Side["decision"]): ReactNode {
  if (d.reasons.refused) return `refused before any rule: ${d.reasons.refused}`;
  if (d.reasons.default || !d.ruleId) {
    return `no rule matched; the default of ${d.ruleSetId ?? "the policy"} decided`;
  }
  return (
    <>
      <code>{d.ruleId}</code> in rule set <code>{d.ruleSetId}</code>, the first rule that matched
    </>
  );
}

function Inspection({ result }: { result: NonNullable<Side["inspection"]> }) {
  return (
    <>
      <p className="mt-2">
        Inspection: <Badge tone={result.action === "block" ? "bad" : "good"}>{result.action}</Badge>
      </p>
      {result.detections.length ? (
        <Table head={["Detection", "Category", "Severity", "Action", "Where"]}>
          {result.detections.map((d) => (
            <tr key={`${d.id}${d.location}`}>
              <Td mono>{d.id}</Td>
              <Td>{d.category}</Td>
              <Td>{d.severity}</Td>
              <Td>{d.action}</Td>
              <Td mono>{d.location}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </>
  );
}

function Explain({ title, side }: { title: string; side: Side | null }) {
  const testId = `decision-${title.toLowerCase()}`;
  if (!side) {
    return (
      <p className="text-sm" data-testid={testId}>
        {title}: nothing published yet.
      </p>
    );
  }
  const d = side.decision;
  const destination = d.reasons.destination;
  return (
    <section
      aria-label={`${title} decision`}
      className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700"
      data-testid={testId}
    >
      <p className="font-medium">
        {title}
        {side.version ? ` (v${side.version})` : ""}:{" "}
        <Badge tone={d.action === "allow" ? "good" : "bad"}>{d.action}</Badge>{" "}
        {side.inspection?.action === "block" ? (
          <Badge tone="bad">the request is blocked by inspection</Badge>
        ) : null}
      </p>
      <dl className="mt-2 divide-y divide-slate-100 dark:divide-slate-800">
        <Row term="Decided by">{decidedBy(d)}</Row>
        <Row term="Source objects">
          {d.reasons.sourceObjects.length ? d.reasons.sourceObjects.join(", ") : "none"}
        </Row>
        <Row term="Destination">
          {destination
            ? `${destination.type} ${destination.id} (${destination.form}: ${destination.matched})`
            : "—"}
        </Row>
        <Row term="Mode">
          {d.mode}; profiles {d.profiles.length ? d.profiles.join(", ") : "none"}
        </Row>
        <Row term="Monitor hits">
          {d.monitored.length
            ? d.monitored.map((m) => `${m.ruleId} (would ${m.action})`).join(", ")
            : "none"}
        </Row>
      </dl>
      {side.inspection ? <Inspection result={side.inspection} /> : null}
    </section>
  );
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/**
 * The simulated source: an IPv4 or IPv6 address as typed, anything else as an inventory asset
 * ID (instance IDs, ARNs and Azure resource IDs never read as an address).
 */
export function sourceOf(text: string): { ip: string } | { assetId: string } {
  const value = text.trim();
  const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(value);
  const ipv6 = /^[0-9a-f:.]+$/i.test(value) && (value.match(/:/g)?.length ?? 0) >= 2;
  return ipv4 || ipv6 ? { ip: value } : { assetId: value };
}

/**
 * Decides one flow on the draft and the published policy side by side, with the reasons; a
 * request path given is inspected with the profiles of the rule that allowed it.
 */
export function SimulationPanel() {
  const orgId = useOrgId();
  const [form, setForm] = useState({
    source: "10.0.1.10",
    host: "",
    port: "443",
    method: "GET",
    path: "",
  });
  const simulate = useMutation({
    mutationFn: () =>
      api<{ draft: Side; published: Side | null }>(`/orgs/${orgId}/policy/simulate`, {
        method: "POST",
        body: {
          source: sourceOf(form.source),
          destination: { host: form.host, port: Number(form.port) },
          ...(form.path ? { request: { method: form.method, path: form.path } } : {}),
        },
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    simulate.mutate();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label="Simulate a flow">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_2fr_6rem_2fr_7rem_auto] lg:items-end">
        <TextField
          label="Source IP or asset ID"
          hint="An asset ID decides with its addresses, tags and attributes from the inventory"
          required
          value={form.source}
          onChange={set("source")}
        />
        <TextField label="Destination host" required value={form.host} onChange={set("host")} />
        <TextField label="Port" inputMode="numeric" value={form.port} onChange={set("port")} />
        <TextField
          label="Request path (optional)"
          placeholder="/search?q=…"
          value={form.path}
          onChange={set("path")}
        />
        <SelectField
          label="Method"
          value={form.method}
          onChange={set("method")}
          options={METHODS.map((method) => ({ value: method, label: method }))}
        />
        <Button type="submit" disabled={simulate.isPending}>
          Simulate
        </Button>
      </div>
      <ErrorBox error={simulate.error} />
      {simulate.data ? (
        <div className="grid gap-3 md:grid-cols-2">
          <Explain title="Draft" side={simulate.data.draft} />
          <Explain title="Published" side={simulate.data.published} />
        </div>
      ) : null}
    </form>
  );
}
