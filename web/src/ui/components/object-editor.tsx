"use client";

import { useMemo, useState } from "react";
import { useInventory } from "../hooks.ts";
import { checkSelector, matchingIds, membershipDiff } from "../selector.ts";
import type { AddressObject } from "../types.ts";
import { Button, SelectField, TextArea, TextField } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";
import { Card } from "./layout.tsx";
import { SelectorEditor } from "./selector-editor.tsx";

type Kind = "dynamic" | "static" | "fqdn";
const KINDS = [
  { value: "dynamic", label: "Dynamic (selector over tags and attributes)" },
  { value: "static", label: "Static (addresses, CIDRs, ranges)" },
  { value: "fqdn", label: "FQDN (host names and patterns)" },
];

const lines = (text: string) =>
  text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function build(id: string, kind: Kind, description: string, body: string): AddressObject {
  const base = { id, ...(description ? { description } : {}) };
  if (kind === "dynamic") return { ...base, kind, selector: body };
  if (kind === "static") return { ...base, kind, addresses: lines(body) };
  return { ...base, kind, fqdns: lines(body) };
}

function bodyOf(object: AddressObject | null): string {
  if (!object) return "";
  if (object.kind === "dynamic") return object.selector;
  if (object.kind === "static") return object.addresses.join("\n");
  if (object.kind === "fqdn") return object.fqdns.join("\n");
  return "";
}

/** Assets an edit adds or removes, by name (when they have one) and cloud id. */
function DiffList({
  title,
  ids,
  sign,
  named,
}: {
  title: string;
  ids: string[];
  sign: "+" | "−";
  named: (assetId: string) => string;
}) {
  const tone =
    sign === "+" ? "text-emerald-700 dark:text-emerald-300" : "text-rose-700 dark:text-rose-300";
  return (
    <div>
      <p className="text-sm font-medium">
        {title} ({ids.length})
      </p>
      <ul className={`mt-1 max-h-48 overflow-auto font-mono text-xs ${tone}`}>
        {ids.map((id) => (
          <li key={id}>
            {sign} {named(id) === id ? id : `${named(id)} · ${id}`}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Edits one address object. Dynamic selectors are parsed as they are typed (errors at their
 * position) and evaluated against the loaded inventory, so the matching assets and the
 * added/removed diff against the saved version show before anything is saved.
 */
export function ObjectEditor({
  initial,
  onSave,
  saving,
  error,
  canSave,
}: {
  initial: AddressObject | null;
  onSave: (object: AddressObject) => void;
  saving: boolean;
  error: unknown;
  canSave: boolean;
}) {
  const [id, setId] = useState(initial?.id ?? "");
  const [kind, setKind] = useState<Kind>(
    initial?.kind === "group" ? "dynamic" : (initial?.kind ?? "dynamic"),
  );
  const [description, setDescription] = useState(initial?.description ?? "");
  const [body, setBody] = useState(bodyOf(initial));
  const inventory = useInventory();
  const assets = useMemo(() => (inventory.data ?? []).map((i) => i.asset), [inventory.data]);
  const check = kind === "dynamic" && body ? checkSelector(body) : ({ ok: true } as const);
  const scope = initial?.kind === "dynamic" ? initial.scope : undefined;
  const before = useMemo(
    () =>
      initial?.kind === "dynamic"
        ? matchingIds(initial.selector, initial.scope, assets)
        : new Set<string>(),
    [initial, assets],
  );
  const after = useMemo(
    () =>
      kind === "dynamic" && check.ok && body ? matchingIds(body, scope, assets) : new Set<string>(),
    [kind, check.ok, body, scope, assets],
  );
  const diff = membershipDiff(before, after);
  const named = (assetId: string) => assets.find((a) => a.id === assetId)?.name ?? assetId;

  return (
    <>
      <Card title={initial ? `Edit ${initial.id}` : "New address object"}>
        <div className="flex max-w-2xl flex-col gap-3">
          <TextField
            label="Object id"
            value={id}
            disabled={initial !== null}
            onChange={(e) => setId(e.target.value)}
            hint="Letters, digits, _ . : - (rules refer to it by this id)."
          />
          <SelectField
            label="Kind"
            options={KINDS}
            value={kind}
            onChange={(e) => setKind(e.target.value as Kind)}
          />
          <TextField
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          {kind === "dynamic" ? (
            <SelectorEditor value={body} onChange={setBody} check={check} />
          ) : (
            <TextArea
              label={kind === "static" ? "Addresses (one per line)" : "Host names (one per line)"}
              rows={4}
              value={body}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
          <ErrorBox error={error} />
          <div>
            <Button
              disabled={!canSave || saving || !check.ok || !id || !body}
              onClick={() => onSave(build(id, kind, description, body))}
            >
              {initial ? "Save changes" : "Create object"}
            </Button>
          </div>
        </div>
      </Card>
      {kind === "dynamic" ? (
        <Card title="Live preview">
          <p className="mb-2 text-sm" data-testid="preview-count">
            {after.size} of {assets.length} assets match
          </p>
          <ul className="mb-3 flex flex-wrap gap-1 text-xs">
            {[...after].map((assetId) => (
              <li key={assetId} className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">
                {named(assetId)}
              </li>
            ))}
          </ul>
          <div className="grid gap-3 sm:grid-cols-2" data-testid="membership-diff">
            <DiffList title="Added by this change" ids={diff.added} sign="+" named={named} />
            <DiffList title="Removed by this change" ids={diff.removed} sign="−" named={named} />
          </div>
        </Card>
      ) : null}
    </>
  );
}
