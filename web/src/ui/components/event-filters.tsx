"use client";

import { type FormEvent, useState } from "react";
import { Button, SelectField, TextField } from "./controls.tsx";

/** The events list's filters as the API takes them (docs/report.md); empty means "any". */
export interface EventFilters {
  from: string;
  to: string;
  action: string;
  kind: string;
  srcIp: string;
  dstHost: string;
  category: string;
  ruleId: string;
  enforcerId: string;
}

export const NO_FILTERS: EventFilters = {
  from: "",
  to: "",
  action: "",
  kind: "",
  srcIp: "",
  dstHost: "",
  category: "",
  ruleId: "",
  enforcerId: "",
};

const ACTIONS = [
  { value: "", label: "Any" },
  { value: "allow", label: "Allowed" },
  { value: "deny", label: "Denied" },
  { value: "monitor", label: "Monitored" },
];

const KINDS = [
  { value: "", label: "Any" },
  { value: "connection", label: "Connection" },
  { value: "request", label: "HTTP request" },
  { value: "detection", label: "Detection" },
];

/** A `datetime-local` value (the browser's zone) as the ISO instant the API expects. */
export function instantOf(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The explorer's filter form. Filters apply on submit (Enter or the button), not per keystroke,
 * so a half-typed address is never sent and each applied set starts from the first page.
 */
export function EventFilterForm({ onApply }: { onApply: (filters: EventFilters) => void }) {
  const [draft, setDraft] = useState(NO_FILTERS);
  const set = (key: keyof EventFilters) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: e.target.value });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const reset = () => {
    setDraft(NO_FILTERS);
    onApply(NO_FILTERS);
  };

  return (
    <form
      onSubmit={onSubmit}
      aria-label="Event filters"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
    >
      <TextField label="From" type="datetime-local" value={draft.from} onChange={set("from")} />
      <TextField label="To" type="datetime-local" value={draft.to} onChange={set("to")} />
      <SelectField label="Action" options={ACTIONS} value={draft.action} onChange={set("action")} />
      <SelectField label="Kind" options={KINDS} value={draft.kind} onChange={set("kind")} />
      <TextField label="Source IP" value={draft.srcIp} onChange={set("srcIp")} />
      <TextField label="Destination host" value={draft.dstHost} onChange={set("dstHost")} />
      <TextField label="Detection category" value={draft.category} onChange={set("category")} />
      <TextField label="Rule id" value={draft.ruleId} onChange={set("ruleId")} />
      <TextField label="Enforcer id" value={draft.enforcerId} onChange={set("enforcerId")} />
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <Button tone="secondary" onClick={reset}>
          Clear
        </Button>
      </div>
    </form>
  );
}
