"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { api, problemOf } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import { Button } from "./controls.tsx";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Table, Td, when } from "./layout.tsx";

interface Changes {
  added: string[];
  removed: string[];
  changed: string[];
  moved?: string[];
}

interface Version {
  version: number;
  reason: string;
  rollbackOf: number | null;
  diff: Partial<Record<"objects" | "services" | "profiles" | "ruleSets" | "rules", Changes>>;
  createdAt: string;
}

async function exported(orgId: string, source: "draft" | "published"): Promise<string> {
  const response = await fetch(`/api/v1/orgs/${orgId}/policy/export?source=${source}`, {
    credentials: "same-origin",
  });
  if (!response.ok) throw await problemOf(response);
  return response.text();
}

type Line = { sign: "+" | "-"; text: string };

/** Lines of `middle` diffs beyond which the table of common subsequences would be too big. */
const MAX_TABLE = 4_000_000;

/**
 * A line diff for policy YAML, in document order: the common head and tail are trimmed, and the
 * rest is aligned on its longest common subsequence, so a line that occurs twice (two rules
 * both `action: allow`) still shows where it was added. A change too large to align shows the
 * whole differing middle as removed and added.
 */
export function lineDiff(before: string, after: string): Line[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail += 1;
  }
  const left = a.slice(head, a.length - tail);
  const right = b.slice(head, b.length - tail);
  const removed = (text: string): Line => ({ sign: "-", text });
  const added = (text: string): Line => ({ sign: "+", text });
  if (left.length * right.length > MAX_TABLE) {
    return [...left.map(removed), ...right.map(added)];
  }
  return aligned(left, right);
}

/** The edit script of two short line lists from their LCS table, removals before additions. */
function aligned(left: string[], right: string[]): Line[] {
  const width = right.length + 1;
  const lcs = new Uint32Array((left.length + 1) * width);
  for (let i = left.length - 1; i >= 0; i -= 1) {
    for (let j = right.length - 1; j >= 0; j -= 1) {
      lcs[i * width + j] =
        left[i] === right[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const out: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i < left.length && j < right.length && left[i] === right[j]) {
      i += 1;
      j += 1;
    } else if (
      j >= right.length ||
      (i < left.length && (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))
    ) {
      out.push({ sign: "-", text: left[i] ?? "" });
      i += 1;
    } else {
      out.push({ sign: "+", text: right[j] ?? "" });
      j += 1;
    }
  }
  return out;
}

/** A version's diff in words: "rules +a ~b ↕c; objects −d". */
export function diffSummary(diff: Version["diff"]): string {
  const parts = Object.entries(diff).flatMap(([kind, changes]) => {
    if (!changes || typeof changes !== "object") return [];
    const marks = [
      ...changes.added.map((id) => `+${id}`),
      ...changes.removed.map((id) => `−${id}`),
      ...changes.changed.map((id) => `~${id}`),
      ...(changes.moved ?? []).map((id) => `↕${id}`),
    ];
    return marks.length ? [`${kind} ${marks.join(" ")}`] : [];
  });
  return parts.length ? parts.join("; ") : "no change";
}

/** Keys for diff lines, which repeat: the line with how many times it came before. */
function keyed(lines: Line[]): { key: string; line: Line }[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const text = `${line.sign}${line.text}`;
    const n = seen.get(text) ?? 0;
    seen.set(text, n + 1);
    return { key: `${text}#${n}`, line };
  });
}

function DraftDiff({ lines }: { lines: Line[] }) {
  if (lines.length === 0) {
    return (
      <p className="text-sm" data-testid="draft-diff">
        The draft equals the published policy.
      </p>
    );
  }
  return (
    <>
      <p className="text-sm">
        What publishing would change: lines with + are only in the draft, - only in the published
        policy.
      </p>
      <pre
        className="max-h-72 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800"
        data-testid="draft-diff"
      >
        {keyed(lines).map(({ key, line }) => (
          <span
            key={key}
            className={
              line.sign === "+"
                ? "block text-emerald-800 dark:text-emerald-300"
                : "block text-rose-800 dark:text-rose-300"
            }
          >
            {line.sign} {line.text}
          </span>
        ))}
      </pre>
    </>
  );
}

function Versions({
  items,
  onRollback,
  busy,
}: {
  items: Version[];
  onRollback: (version: number) => void;
  busy: boolean;
}) {
  if (items.length === 0) return <Empty title="Nothing has been published yet." />;
  return (
    <section aria-label="Published versions">
      <Table head={["Version", "Reason", "Changes", "Published", ""]}>
        {items.map((v, i) => (
          <tr key={v.version}>
            <Td>v{v.version}</Td>
            <Td>
              {v.reason}
              {v.rollbackOf ? ` (rollback of v${v.rollbackOf})` : ""}
            </Td>
            <Td mono>{diffSummary(v.diff)}</Td>
            <Td>{when(v.createdAt)}</Td>
            <Td>
              {i === 0 ? (
                <Badge tone="good">published</Badge>
              ) : (
                <Button
                  tone="secondary"
                  className="whitespace-nowrap"
                  disabled={busy}
                  onClick={() => onRollback(v.version)}
                >
                  Roll back to v{v.version}
                </Button>
              )}
            </Td>
          </tr>
        ))}
      </Table>
    </section>
  );
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
  // Discarding applies the published text to the draft, all or nothing, like `policy apply`.
  const discard = useMutation({
    mutationFn: (text: string) =>
      api(`/orgs/${orgId}/policy/apply`, { method: "POST", body: { text } }),
  });
  const diff = texts.data ? lineDiff(texts.data.published, texts.data.draft) : [];
  const published = (versions.data?.items.length ?? 0) > 0;

  return (
    <div className="flex flex-col gap-3">
      {texts.isPending ? <Loading what="the draft" /> : <DraftDiff lines={diff} />}
      <div className="flex flex-wrap gap-2">
        <Button
          onClick={() => publish.mutate()}
          disabled={publish.isPending || texts.isPending || diff.length === 0}
        >
          Publish the draft
        </Button>
        {published ? (
          <Button
            tone="secondary"
            disabled={discard.isPending || diff.length === 0}
            onClick={() => texts.data && discard.mutate(texts.data.published)}
          >
            Discard the draft's changes
          </Button>
        ) : null}
      </div>
      <ErrorBox
        error={texts.error ?? publish.error ?? discard.error ?? rollback.error ?? versions.error}
      />
      {versions.isPending ? (
        <Loading what="published versions" />
      ) : (
        <Versions
          items={versions.data?.items ?? []}
          busy={rollback.isPending}
          onRollback={(v) => rollback.mutate(v)}
        />
      )}
    </div>
  );
}
