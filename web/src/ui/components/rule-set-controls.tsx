"use client";

import type { RuleSet } from "@ringfence/engine/documents";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api.ts";
import { newIdempotencyKey, useOrgId } from "../hooks.ts";
import { Button, SelectField, TextField } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";

const DEFAULTS = [
  { value: "deny", label: "Deny" },
  { value: "allow", label: "Allow" },
  { value: "next", label: "Next rule set" },
];

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

/**
 * A rule set's own settings: its default action (what decides when none of its rules match;
 * `next` falls through to the following set), its place among the sets, and removal.
 */
export function RuleSetSettings({ set, order }: { set: RuleSet; order: readonly string[] }) {
  const orgId = useOrgId();
  const at = `/orgs/${orgId}/rule-sets/${encodeURIComponent(set.id)}`;
  const index = order.indexOf(set.id);
  const save = useMutation({
    mutationFn: (defaultAction: string) =>
      api(at, { method: "PUT", body: { ...(set.name ? { name: set.name } : {}), defaultAction } }),
  });
  const reorder = useMutation({
    mutationFn: (ids: string[]) =>
      api(`/orgs/${orgId}/rule-sets/order`, { method: "PUT", body: { ids } }),
  });
  const remove = useMutation({ mutationFn: () => api(at, { method: "DELETE" }) });
  const busy = save.isPending || reorder.isPending || remove.isPending;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="w-48">
          <SelectField
            label={`Default action of ${set.id}`}
            options={DEFAULTS}
            value={set.defaultAction}
            disabled={busy}
            onChange={(e) => save.mutate(e.target.value)}
          />
        </div>
        <Button
          tone="secondary"
          aria-label={`Move rule set ${set.id} up`}
          disabled={busy || index <= 0}
          onClick={() => reorder.mutate(moved(order, index, -1))}
        >
          ↑
        </Button>
        <Button
          tone="secondary"
          aria-label={`Move rule set ${set.id} down`}
          disabled={busy || index === order.length - 1}
          onClick={() => reorder.mutate(moved(order, index, 1))}
        >
          ↓
        </Button>
        <Button
          tone="danger"
          aria-label={`Delete rule set ${set.id}`}
          disabled={busy}
          onClick={() => remove.mutate()}
        >
          Delete rule set
        </Button>
      </div>
      <ErrorBox error={save.error ?? reorder.error ?? remove.error} />
    </div>
  );
}

const PLACES = [
  { value: "last", label: "Last" },
  { value: "first", label: "First" },
];
const EMPTY_SET = { id: "", name: "", defaultAction: "deny", place: "last" };

/** Adds an empty rule set first or last in the evaluation order. */
export function NewRuleSet() {
  const orgId = useOrgId();
  const [form, setForm] = useState(EMPTY_SET);
  const create = useMutation({
    mutationFn: () =>
      api(`/orgs/${orgId}/rule-sets`, {
        method: "POST",
        idempotencyKey: newIdempotencyKey(),
        body: {
          ruleSet: {
            id: form.id.trim(),
            ...(form.name.trim() ? { name: form.name.trim() } : {}),
            defaultAction: form.defaultAction,
            rules: [],
          },
          ...(form.place === "first" ? { position: 0 } : {}),
        },
      }),
    onSuccess: () => setForm(EMPTY_SET),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <form onSubmit={onSubmit} aria-label="Add a rule set" className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_2fr_12rem_8rem_auto] lg:items-end">
        <TextField label="Rule set id" required value={form.id} onChange={set("id")} />
        <TextField label="Rule set name" value={form.name} onChange={set("name")} />
        <SelectField
          label="Default action"
          options={DEFAULTS}
          value={form.defaultAction}
          onChange={set("defaultAction")}
        />
        <SelectField label="Place" options={PLACES} value={form.place} onChange={set("place")} />
        <Button type="submit" disabled={create.isPending}>
          Add rule set
        </Button>
      </div>
      <ErrorBox error={create.error} />
    </form>
  );
}
