"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import { Button } from "./controls.tsx";
import { ErrorBox, Loading } from "./feedback.tsx";
import { Table, Td, when } from "./layout.tsx";

interface Version {
  version: number;
  reason: string;
  rollbackOf: number | null;
  diff: unknown;
  createdAt: string;
}

async function exported(orgId: string, source: "draft" | "published"): Promise<string> {
  const response = await fetch(`/api/v1/orgs/${orgId}/policy/export?source=${source}`);
  return response.ok ? response.text() : "";
}

/** A line diff good enough for policy YAML: lines only in one side, in order. */
export function lineDiff(before: string, after: string): { sign: "+" | "-"; text: string }[] {
  const left = new Set(before.split("\n"));
  const right = new Set(after.split("\n"));
  return [
    ...before
      .split("\n")
      .filter((l) => !right.has(l))
      .map((text) => ({ sign: "-" as const, text })),
    ...after
      .split("\n")
      .filter((l) => !left.has(l))
      .map((text) => ({ sign: "+" as const, text })),
  ];
}

/** Draft against published, publish, and the version history with rollback. */
export function PublishPanel() {
  const orgId = useOrgId();
  const texts = useQuery({
    queryKey: ["org", orgId, "policy-texts"],
    queryFn: async () => ({
      draft: await exported(orgId, "draft"),
      published: await exported(orgId, "published"),
    }),
  });
  const versions = useQuery({
    queryKey: ["org", orgId, "versions"],
    queryFn: () => api<{ items: Version[] }>(`/orgs/${orgId}/policy/versions`),
  });
  const publish = useMutation({
    mutationFn: () => api(`/orgs/${orgId}/policy/publish`, { method: "POST", body: {} }),
  });
  const rollback = useMutation({
    mutationFn: (v: number) =>
      api(`/orgs/${orgId}/policy/versions/${v}/rollback`, { method: "POST", body: {} }),
  });
  const diff = texts.data ? lineDiff(texts.data.published, texts.data.draft) : [];

  return (
    <div className="flex flex-col gap-3">
      {texts.isPending ? <Loading what="the draft" /> : null}
      <pre
        className="max-h-72 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800"
        data-testid="draft-diff"
      >
        {diff.length === 0
          ? "The draft equals the published policy."
          : diff.map((d) => `${d.sign} ${d.text}`).join("\n")}
      </pre>
      <div>
        <Button onClick={() => publish.mutate()} disabled={publish.isPending || diff.length === 0}>
          Publish the draft
        </Button>
      </div>
      <ErrorBox error={publish.error ?? rollback.error ?? versions.error} />
      {versions.data?.items.length ? (
        <Table head={["Version", "Reason", "Changes", "Published", ""]}>
          {versions.data.items.map((v, i) => (
            <tr key={v.version}>
              <Td>v{v.version}</Td>
              <Td>
                {v.reason}
                {v.rollbackOf ? ` (rollback of v${v.rollbackOf})` : ""}
              </Td>
              <Td mono>{JSON.stringify(v.diff).slice(0, 160)}</Td>
              <Td>{when(v.createdAt)}</Td>
              <Td>
                {i === 0 ? null : (
                  <Button tone="secondary" onClick={() => rollback.mutate(v.version)}>
                    Roll back
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
