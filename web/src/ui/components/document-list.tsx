"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { api } from "../api.ts";
import { newIdempotencyKey, useOrgId, useOrgList } from "../hooks.ts";
import { Button, SelectField, TextArea } from "./controls.tsx";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Card, Table, Td } from "./layout.tsx";

/** An item of a draft collection (service objects, inspection profiles): an id and a kind. */
export interface DraftItem {
  id: string;
  kind: string;
  [field: string]: unknown;
}

export interface CollectionSpec {
  /** The API segment under the organisation, e.g. `services`. */
  segment: string;
  noun: string;
  /** A starting document per kind, for "New". */
  templates: Record<string, DraftItem>;
  /** One line about an item for the list. */
  summary: (item: DraftItem) => string;
  /** Controls that edit the document in a structured way, for the kinds that have them. */
  controls?: (item: DraftItem, change: (next: DraftItem) => void) => ReactNode;
}

/** The JSON text of an item as the editor shows it. */
export const textOf = (item: DraftItem) => JSON.stringify(item, null, 2);

/** The document being edited, or the JSON parse error that names the problem. */
export function parseItem(text: string): { item: DraftItem } | { error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { error: "The document must be a JSON object." };
    }
    return { item: value as DraftItem };
  } catch (error) {
    return { error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function Editor({
  spec,
  editing,
  onDone,
}: {
  spec: CollectionSpec;
  editing: { id: string | null; text: string };
  onDone: () => void;
}) {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const [text, setText] = useState(editing.text);
  const [key] = useState(newIdempotencyKey);
  const parsed = parseItem(text);
  const base = `/orgs/${orgId}/${spec.segment}`;
  const save = useMutation({
    mutationFn: (item: DraftItem) =>
      editing.id === null
        ? api<DraftItem>(base, { method: "POST", body: item, idempotencyKey: key })
        : api<DraftItem>(`${base}/${editing.id}`, { method: "PUT", body: item }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["org", orgId, spec.segment] });
      onDone();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if ("item" in parsed) save.mutate(parsed.item);
  };

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label={`Edit ${spec.noun}`}>
      {"item" in parsed && spec.controls
        ? spec.controls(parsed.item, (next) => setText(textOf(next)))
        : null}
      <TextArea
        label="Document (JSON)"
        rows={12}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {"error" in parsed ? (
        <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">
          {parsed.error}
        </p>
      ) : null}
      <ErrorBox error={save.error} />
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending || "error" in parsed}>
          Save {spec.noun}
        </Button>
        <Button tone="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/**
 * A draft collection with its list, a JSON editor checked by the API (which names each invalid
 * field), kind templates for new items and removal of unused ones. Changes land in the draft
 * policy; publishing is the policy page's step.
 */
export function DocumentList({ spec }: { spec: CollectionSpec }) {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const list = useOrgList<DraftItem>(spec.segment);
  const kinds = Object.keys(spec.templates);
  const [kind, setKind] = useState(kinds[0] ?? "");
  const [editing, setEditing] = useState<{ id: string | null; text: string } | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) =>
      api(`/orgs/${orgId}/${spec.segment}/${id}`, { method: "DELETE", body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["org", orgId, spec.segment] }),
  });
  const template = spec.templates[kind];

  return (
    <>
      <Card title={editing ? `${editing.id ?? `New ${spec.noun}`}` : `New ${spec.noun}`}>
        {editing ? (
          <Editor
            key={editing.id ?? "new"}
            spec={spec}
            editing={editing}
            onDone={() => setEditing(null)}
          />
        ) : (
          <div className="flex flex-wrap items-end gap-2">
            <SelectField
              label="Kind"
              options={kinds.map((k) => ({ value: k, label: k }))}
              value={kind}
              onChange={(e) => setKind(e.target.value)}
            />
            <Button onClick={() => template && setEditing({ id: null, text: textOf(template) })}>
              New {spec.noun}
            </Button>
          </div>
        )}
      </Card>
      <Card title="In the draft">
        {list.isPending ? <Loading what={`${spec.noun}s`} /> : null}
        <ErrorBox error={list.error ?? remove.error} />
        {list.data?.items.length === 0 ? <Empty title={`No ${spec.noun} yet.`} /> : null}
        {list.data?.items.length ? (
          <Table head={["Id", "Kind", "What", ""]}>
            {list.data.items.map((item) => (
              <tr key={item.id}>
                <Td mono>{item.id}</Td>
                <Td>{item.kind}</Td>
                <Td>{spec.summary(item)}</Td>
                <Td>
                  <div className="flex gap-2">
                    <Button
                      tone="secondary"
                      aria-label={`Edit ${item.id}`}
                      onClick={() => setEditing({ id: item.id, text: textOf(item) })}
                    >
                      Edit
                    </Button>
                    <Button
                      tone="danger"
                      aria-label={`Remove ${item.id}`}
                      onClick={() => remove.mutate(item.id)}
                    >
                      Remove
                    </Button>
                  </div>
                </Td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
    </>
  );
}
