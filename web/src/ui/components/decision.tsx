import Link from "next/link";
import type { Action, Detection, EventReasons } from "../report.ts";
import { Badge, Table, Td } from "./layout.tsx";

const ACTION_TONE = { allow: "good", deny: "bad", monitor: "warn" } as const;

/** A decision's verdict as a coloured badge. */
export function ActionBadge({ action }: { action: Action }) {
  return <Badge tone={ACTION_TONE[action]}>{action}</Badge>;
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-2 py-1.5">
      <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/**
 * Why the enforcer decided as it did: the rule (or the default rule), its rule set, the address
 * objects the source was a member of, the destination it matched and the enforcement mode.
 */
export function ReasonList({ orgId, reasons }: { orgId: string; reasons: EventReasons }) {
  const objects = reasons.sourceObjects;
  return (
    <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="reasons">
      <Row term="Rule">
        {reasons.default || !reasons.ruleId ? (
          <Badge>default rule</Badge>
        ) : (
          <code>{reasons.ruleId}</code>
        )}
      </Row>
      <Row term="Rule set">
        <code>{reasons.ruleSetId ?? "—"}</code>
      </Row>
      <Row term="Source objects">
        {objects.length === 0 ? (
          "none"
        ) : (
          <ul className="flex flex-wrap gap-2">
            {objects.map((id) => (
              <li key={id}>
                <Link
                  className="font-mono text-sky-700 underline dark:text-sky-400"
                  href={`/orgs/${orgId}/objects/${id}`}
                >
                  {id}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Row>
      <Row term="Destination matched">
        <code>{reasons.destination ?? "—"}</code>
      </Row>
      <Row term="Mode">
        {reasons.mode}
        {reasons.monitor ? " · monitor only (logged, not enforced)" : " · enforced"}
      </Row>
    </dl>
  );
}

/** Each WAF, IPS, DLP or malware detection of an event, with its evidence. */
export function DetectionTable({ detections }: { detections: Detection[] }) {
  return (
    <Table head={["Detection", "Category", "Severity", "Action", "Where", "Evidence"]}>
      {detections.map((d) => (
        <tr key={d.id}>
          <Td mono>{d.id}</Td>
          <Td>{d.category}</Td>
          <Td>{d.severity}</Td>
          <Td>
            <ActionBadge action={d.action} />
          </Td>
          <Td mono>{d.location}</Td>
          <Td mono>{d.evidence}</Td>
        </tr>
      ))}
    </Table>
  );
}
