"use client";

import type { Policy, Rule } from "@ringfence/engine/documents";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { api } from "../api.ts";
import { newIdempotencyKey, useOrgId } from "../hooks.ts";
import { Button, SelectField, TextField } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";

const ACTIONS = [
  { value: "allow", label: "Allow" },
  { value: "deny", label: "Deny" },
];
const MODES = [
  { value: "forwarding", label: "Forwarding (SNI/Host, no decryption)" },
  { value: "proxy", label: "Proxy (TLS terminated, profiles inspect)" },
];

/** The draft document the editor offers its choices from (objects, services, profiles). */
export function useDraftPolicy() {
  const orgId = useOrgId();
  return useQuery({
    queryKey: ["org", orgId, "policy-draft"],
    queryFn: () => api<{ policy: Policy; revision: number }>(`/orgs/${orgId}/policy/draft`),
    enabled: orgId !== "",
  });
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Port specs as typed ("443, 8000-8100"): numbers stay numbers, ranges stay strings. */
function ports(text: string): (number | string)[] {
  return list(text).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

interface Form {
  id: string;
  name: string;
  action: string;
  sources: string;
  destinations: string;
  ports: string;
  mode: string;
  profiles: string[];
  monitor: boolean;
  enabled: boolean;
}

function formOf(rule: Rule | undefined): Form {
  return {
    id: rule?.id ?? "",
    name: rule?.name ?? "",
    action: rule?.action ?? "allow",
    sources: rule?.sources?.join(", ") ?? "",
    destinations: rule?.destinations?.join(", ") ?? "",
    ports: rule?.ports?.join(", ") ?? "",
    mode: rule?.mode ?? "forwarding",
    profiles: rule?.profiles ?? [],
    monitor: rule?.monitor ?? false,
    enabled: rule?.enabled ?? true,
  };
}

/**
 * The rule as the API takes it. Empty source or destination lists are left out, which the
 * engine reads as "any"; everything else goes as typed so the API names what is wrong.
 */
function ruleOf(form: Form): Record<string, unknown> {
  const sources = list(form.sources);
  const destinations = list(form.destinations);
  const portList = ports(form.ports);
  return {
    id: form.id.trim(),
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(sources.length ? { sources } : {}),
    ...(destinations.length ? { destinations } : {}),
    ...(portList.length ? { ports: portList } : {}),
    action: form.action,
    mode: form.mode,
    profiles: form.profiles,
    monitor: form.monitor,
    enabled: form.enabled,
  };
}

function ProfileChoices({
  policy,
  chosen,
  onChange,
}: {
  policy: Policy | undefined;
  chosen: string[];
  onChange: (next: string[]) => void;
}) {
  const profiles = policy?.profiles ?? [];
  const toggle = (id: string) =>
    onChange(chosen.includes(id) ? chosen.filter((p) => p !== id) : [...chosen, id]);
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">
        Inspection profiles
      </legend>
      {profiles.length === 0 ? (
        <p className="text-xs text-slate-500">The draft has no inspection profiles.</p>
      ) : null}
      <div className="flex flex-wrap gap-3">
        {profiles.map((p) => (
          <label key={p.id} className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={chosen.includes(p.id)} onChange={() => toggle(p.id)} />
            <span className="font-mono text-xs">{p.id}</span>
            <span className="text-xs text-slate-500">({p.kind})</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Adds a rule to a rule set, or edits one in place (`rule` given): action, sources and
 * destinations by object id, ports, forwarding or proxy mode, inspection profiles, monitor,
 * enabled.
 * Nothing is stored until the API accepts the whole rule; a refusal names the field. The first
 * field takes the focus when it opens; Escape or Cancel calls `onClose`.
 */
export function RuleEditor({
  ruleSetId,
  rule,
  onSaved,
  onClose,
}: {
  ruleSetId: string;
  rule?: Rule;
  onSaved?: () => void;
  onClose: () => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>("input:enabled, select:enabled")?.focus();
  }, []);
  const orgId = useOrgId();
  const draft = useDraftPolicy();
  const [form, setForm] = useState(() => formOf(rule));
  const choices = useId();
  const base = `/orgs/${orgId}/rule-sets/${encodeURIComponent(ruleSetId)}/rules`;
  const save = useMutation({
    mutationFn: () => {
      const body = ruleOf(form);
      return rule
        ? api(`${base}/${encodeURIComponent(rule.id)}`, { method: "PUT", body })
        : api(base, { method: "POST", body: { rule: body }, idempotencyKey: newIdempotencyKey() });
    },
    onSuccess: () => {
      if (!rule) setForm(formOf(undefined));
      onSaved?.();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") onClose();
  };
  const text =
    (key: "id" | "name" | "sources" | "destinations" | "ports" | "action" | "mode") =>
    (e: { target: { value: string } }) =>
      setForm({ ...form, [key]: e.target.value });
  const policy = draft.data?.policy;
  const targets = [...(policy?.objects ?? []), ...(policy?.services ?? [])].map((o) => o.id);
  const verb = rule ? "Save rule" : "Add rule";

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      onKeyDown={onKeyDown}
      aria-label={rule ? `Edit rule ${rule.id}` : `Add a rule to ${ruleSetId}`}
      className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 dark:border-slate-700"
    >
      <datalist id={choices}>
        {[...targets, "builtin:cloud-metadata"].map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label="Rule id"
          required
          disabled={rule !== undefined}
          value={form.id}
          onChange={text("id")}
        />
        <TextField label="Rule name" value={form.name} onChange={text("name")} />
        <SelectField
          label="Action"
          options={ACTIONS}
          value={form.action}
          onChange={text("action")}
        />
        <SelectField label="Mode" options={MODES} value={form.mode} onChange={text("mode")} />
        <TextField
          label="Sources"
          list={choices}
          hint="Address object ids, comma-separated; empty for any source."
          value={form.sources}
          onChange={text("sources")}
        />
        <TextField
          label="Destinations"
          list={choices}
          hint="Object or service ids, comma-separated; empty for any."
          value={form.destinations}
          onChange={text("destinations")}
        />
        <TextField
          label="Ports"
          hint='E.g. "443, 8000-8100"; empty for the services’ own.'
          value={form.ports}
          onChange={text("ports")}
        />
        <div className="flex flex-col gap-1 self-center text-sm">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={form.monitor}
              onChange={(e) => setForm({ ...form, monitor: e.target.checked })}
            />
            Monitor only (log matches, do not enforce)
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
            />
            Enabled (a disabled rule is kept but never matches)
          </label>
        </div>
      </div>
      <ProfileChoices
        policy={policy}
        chosen={form.profiles}
        onChange={(profiles) => setForm({ ...form, profiles })}
      />
      <ErrorBox error={save.error} />
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          {verb}
        </Button>
        <Button tone="secondary" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
