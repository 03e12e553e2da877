"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api.ts";
import { Button } from "./controls.tsx";
import { ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Table, Td, when } from "./layout.tsx";

interface SessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ipAddress: string | null;
  userAgent: string | null;
  method: "password" | "sso";
  current: boolean;
}

/** The signed-in user's sessions, with sign-out per session and everywhere else. */
export function SessionList() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ["me", "sessions"],
    queryFn: () => api<{ items: SessionRow[] }>("/me/sessions"),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["me", "sessions"] });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/me/sessions/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
  const revokeOthers = useMutation({
    mutationFn: () =>
      api("/me/sessions/revoke-all", { method: "POST", body: { exceptCurrent: true } }),
    onSuccess: refresh,
  });

  if (sessions.isPending) return <Loading what="sessions" />;
  return (
    <div className="flex flex-col gap-3">
      <ErrorBox error={sessions.error ?? revoke.error ?? revokeOthers.error} />
      <Table head={["Browser", "Address", "Method", "Signed in", "Last seen", "Ends", ""]}>
        {(sessions.data?.items ?? []).map((session) => (
          <tr key={session.id}>
            <Td>
              {session.userAgent ?? "unknown"}{" "}
              {session.current ? <Badge tone="good">this browser</Badge> : null}
            </Td>
            <Td mono>{session.ipAddress ?? "unknown"}</Td>
            <Td>{session.method === "sso" ? "SSO" : "password"}</Td>
            <Td>{when(session.createdAt)}</Td>
            <Td>{when(session.lastSeenAt)}</Td>
            <Td>{when(session.expiresAt)}</Td>
            <Td>
              {session.current ? null : (
                <Button tone="secondary" onClick={() => revoke.mutate(session.id)}>
                  Sign out
                </Button>
              )}
            </Td>
          </tr>
        ))}
      </Table>
      <div>
        <Button tone="secondary" onClick={() => revokeOthers.mutate()}>
          Sign out everywhere else
        </Button>
      </div>
    </div>
  );
}
