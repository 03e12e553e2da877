"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import { Button, TextField } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";
import { Badge } from "./layout.tsx";

interface Side {
  version: number | null;
  decision: {
    action: "allow" | "deny";
    monitor: boolean;
    mode: string;
    ruleId?: string;
    ruleSetId?: string;
    profiles: string[];
    reasons: { sourceObjects: string[]; destination?: unknown; default: boolean };
  };
  inspection: unknown;
}

function Explain({ title, side }: { title: string; side: Side | null }) {
  if (!side) return <p className="text-sm">{title}: nothing published yet.</p>;
  const d = side.decision;
  return (
    <div
      className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700"
      data-testid={`decision-${title.toLowerCase()}`}
    >
      <p className="font-medium">
        {title} {side.version ? `(v${side.version})` : ""}:{" "}
        <Badge tone={d.action === "allow" ? "good" : "bad"}>{d.action}</Badge>{" "}
        {d.monitor ? <Badge tone="warn">monitor hit</Badge> : null}
      </p>
      <ul className="mt-2 list-disc pl-5">
        <li>
          {d.reasons.default
            ? "No rule matched: the default action decided."
            : `Rule ${d.ruleId} in rule set ${d.ruleSetId} matched first.`}
        </li>
        <li>
          Source objects:{" "}
          {d.reasons.sourceObjects.length ? d.reasons.sourceObjects.join(", ") : "none"}
        </li>
        <li>
          Destination: <code>{JSON.stringify(d.reasons.destination ?? null)}</code>
        </li>
        <li>
          Mode {d.mode}; profiles {d.profiles.length ? d.profiles.join(", ") : "none"}
        </li>
      </ul>
    </div>
  );
}

/** Decides one flow on the draft and the published policy side by side, with the reasons. */
export function SimulationPanel() {
  const orgId = useOrgId();
  const [form, setForm] = useState({ source: "10.0.1.10", host: "", port: "443" });
  const simulate = useMutation({
    mutationFn: () =>
      api<{ draft: Side; published: Side | null }>(`/orgs/${orgId}/policy/simulate`, {
        method: "POST",
        body: {
          source: { ip: form.source },
          destination: { host: form.host, port: Number(form.port) },
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
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-[1fr_2fr_6rem_auto] sm:items-end">
        <TextField label="Source IP" required value={form.source} onChange={set("source")} />
        <TextField label="Destination host" required value={form.host} onChange={set("host")} />
        <TextField label="Port" inputMode="numeric" value={form.port} onChange={set("port")} />
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
