"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import type { TestSendResult } from "../integrations.ts";
import { Button } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";
import { Badge } from "./layout.tsx";

/** The receiver's answer in one line: its status, or the error that stopped the send. */
function answerOf(result: TestSendResult): string {
  const status = result.statusCode === null ? "no HTTP answer" : `HTTP ${result.statusCode}`;
  const error = result.error && result.error !== status ? ` · ${result.error}` : "";
  return `${status}${error} · ${result.durationMs} ms`;
}

/**
 * Sends one test event to the integration now and shows what its receiver answered. A refusal
 * (a 401 from a receiver with another secret, a target the guard blocks) is shown as the answer;
 * only a failure of the request itself is an error.
 */
export function SendTest({ integrationId }: { integrationId: string }) {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: () =>
      api<TestSendResult>(`/orgs/${orgId}/integrations/${integrationId}/test`, {
        method: "POST",
        body: {},
      }),
    onSuccess: () =>
      queryClient.invalidateQueries({
        queryKey: ["org", orgId, "integrations", integrationId, "attempts"],
      }),
  });
  const result = send.data;

  return (
    <div className="flex flex-col gap-2">
      <div>
        <Button tone="secondary" onClick={() => send.mutate()} disabled={send.isPending}>
          Send test event
        </Button>
      </div>
      <ErrorBox error={send.error} />
      {result ? (
        <p className="flex items-center gap-2 text-sm" data-testid="test-answer">
          <Badge tone={result.ok ? "good" : "bad"}>{result.outcome}</Badge>
          <span>{answerOf(result)}</span>
          <code className="text-xs text-slate-500">{result.eventUid}</code>
        </p>
      ) : null}
    </div>
  );
}
