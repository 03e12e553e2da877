"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { ApiError, api } from "../api.ts";
import { useMe, useOrgId } from "../hooks.ts";
import { ThemeToggle } from "../theme.tsx";
import { ErrorBox, Loading } from "./feedback.tsx";

/** The sections of an organisation, in the order the sidebar lists them. */
const SECTIONS = [
  { path: "", label: "Overview" },
  { path: "/accounts", label: "Cloud accounts" },
  { path: "/inventory", label: "Inventory" },
  { path: "/posture", label: "Posture" },
  { path: "/objects", label: "Address objects" },
  { path: "/services", label: "Service objects" },
  { path: "/profiles", label: "Inspection profiles" },
  { path: "/policy", label: "Policy" },
  { path: "/enforcers", label: "Enforcers" },
  { path: "/analytics", label: "Analytics" },
  { path: "/events", label: "Events" },
  { path: "/integrations", label: "Integrations" },
  { path: "/members", label: "Members" },
  { path: "/api-keys", label: "API keys" },
  { path: "/sso", label: "Single sign-on" },
  { path: "/audit", label: "Audit log" },
] as const;

function OrgSwitcher() {
  const me = useMe();
  const orgId = useOrgId();
  const router = useRouter();
  const organizations = me.data?.organizations ?? [];

  return (
    <label className="flex flex-col gap-1 text-xs text-slate-500 dark:text-slate-400">
      Organisation
      <select
        value={orgId}
        onChange={(event) => {
          const next = event.target.value;
          router.push(next === "new" ? "/orgs/new" : `/orgs/${next}`);
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
      >
        {organizations.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name} ({org.role})
          </option>
        ))}
        <option value="new">+ New organisation…</option>
      </select>
    </label>
  );
}

function SignOut() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    meta: { session: true },
    mutationFn: () => api<void>("/auth/sign-out", { method: "POST", body: {} }),
    onSuccess: () => {
      router.push("/sign-in");
      // Nothing of this session may show to whoever signs in next in this tab.
      queryClient.clear();
    },
  });
  return (
    <button
      type="button"
      onClick={() => signOut.mutate()}
      className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-700 dark:border-slate-600 dark:text-slate-200"
    >
      Sign out
    </button>
  );
}

function Nav({ onNavigate }: { onNavigate: () => void }) {
  const orgId = useOrgId();
  const pathname = usePathname();
  const base = `/orgs/${orgId}`;
  return (
    <nav aria-label="Sections" className="flex flex-col gap-0.5">
      {SECTIONS.map((section) => {
        const href = `${base}${section.path}`;
        const active = section.path === "" ? pathname === base : pathname.startsWith(href);
        return (
          <Link
            key={section.path}
            href={href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-2 py-1.5 text-sm ${active ? "bg-sky-100 font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * The frame of every organisation page: a sidebar (a drawer on narrow screens) with the
 * sections, the organisation switcher, the theme toggle and sign-out. Signed-out visitors are
 * sent to the sign-in page.
 */
export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const unauthenticated = me.error instanceof ApiError && me.error.status === 401;

  useEffect(() => {
    if (unauthenticated) router.replace("/sign-in");
  }, [unauthenticated, router]);

  if (me.isPending || unauthenticated)
    return (
      <div className="p-6">
        <Loading what="your session" />
      </div>
    );
  if (me.error)
    return (
      <div className="p-6">
        <ErrorBox error={me.error} />
      </div>
    );

  return (
    <div className="md:flex">
      <header className="flex items-center justify-between border-b border-slate-200 p-3 md:hidden dark:border-slate-800">
        <span className="font-semibold">Ringfence</span>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="sidebar"
          onClick={() => setOpen(!open)}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-600"
        >
          Menu
        </button>
      </header>
      <aside
        id="sidebar"
        className={`${open ? "block" : "hidden"} w-full shrink-0 border-r border-slate-200 bg-white p-4 md:sticky md:top-0 md:block md:h-screen md:self-start md:overflow-y-auto md:w-60 dark:border-slate-800 dark:bg-slate-900`}
      >
        <p className="mb-4 hidden text-lg font-semibold tracking-tight md:block">Ringfence</p>
        <div className="mb-4">
          <OrgSwitcher />
        </div>
        <Nav onNavigate={() => setOpen(false)} />
        <div className="mt-6 flex flex-wrap items-center gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          <span className="w-full truncate text-xs text-slate-500 dark:text-slate-400">
            {me.data.user.email}
          </span>
          <Link className="text-sm underline" href="/account/security">
            Security
          </Link>
          <Link className="text-sm underline" href="/account/sessions">
            Sessions
          </Link>
          <ThemeToggle />
          <SignOut />
        </div>
      </aside>
      <main className="min-w-0 flex-1 p-4 md:p-6">{children}</main>
    </div>
  );
}
