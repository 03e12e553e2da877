"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { ApiError } from "../api.ts";
import { StepUpPrompt } from "./mfa.tsx";

/**
 * Shows a failed request: the API's detail, each invalid field, and the request id to quote to
 * support. Errors that never reached the API (network down) say so.
 */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error : null;
  return (
    <div
      role="alert"
      className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-100"
    >
      <p className="font-medium">
        {problem ? problem.detail : "The request did not reach Ringfence. Check your connection."}
      </p>
      {problem?.fields.length ? (
        <ul className="mt-1 list-disc pl-5">
          {problem.fields.map((field) => (
            <li key={`${field.location}.${field.path}`}>
              <code>{field.path || field.location}</code>: {field.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem?.code === "step_up_required" ? <StepUpPrompt /> : null}
      {problem?.code === "mfa_enrollment_required" ? (
        <Link className="underline" href="/account/security">
          Set up two-factor authentication
        </Link>
      ) : null}
      {problem ? (
        <p className="mt-1 text-xs opacity-80">
          {problem.code} · request id <code data-testid="request-id">{problem.requestId}</code>
        </p>
      ) : null}
    </div>
  );
}

/** A placeholder while data loads; announced to screen readers. */
export function Loading({ what }: { what: string }) {
  return (
    <p
      role="status"
      aria-busy="true"
      className="animate-pulse text-sm text-slate-500 dark:text-slate-400"
    >
      Loading {what}…
    </p>
  );
}

/** What an empty list shows: what is missing and, when given, how to add the first one. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-600 dark:text-slate-300">
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-2">{children}</div> : null}
    </div>
  );
}

/** A value shown once (a secret or token) with a copy button and a warning. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <p className="font-medium">{label} — copy it now; it will not be shown again.</p>
      <div className="mt-2 flex items-center gap-2">
        <code
          data-testid="shown-once"
          className="break-all rounded bg-white/70 px-2 py-1 dark:bg-black/30"
        >
          {value}
        </code>
        <button
          type="button"
          className="rounded border border-amber-400 px-2 py-0.5 text-xs"
          onClick={() => void navigator.clipboard?.writeText(value).catch(() => undefined)}
        >
          Copy
        </button>
      </div>
    </div>
  );
}
