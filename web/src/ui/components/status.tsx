import { Badge } from "./layout.tsx";

const TONE: Record<string, "neutral" | "good" | "warn" | "bad"> = {
  active: "good",
  succeeded: "good",
  pending: "warn",
  queued: "warn",
  running: "warn",
  partial: "warn",
  error: "bad",
  failed: "bad",
  disabled: "neutral",
};

/** An account's or sync run's status as a coloured badge. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONE[status] ?? "neutral"}>{status}</Badge>;
}
