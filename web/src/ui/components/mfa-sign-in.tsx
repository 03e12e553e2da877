"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { api } from "../api.ts";
import type { User } from "../types.ts";
import { SecondFactorForm } from "./mfa.tsx";

/**
 * Where to go after the second step: the `returnTo` an SSO sign-in carried, when it is a path
 * of this site (never `//host` or a URL, so the page cannot be made to redirect elsewhere).
 */
function returnTo(search: string): string {
  const target = new URLSearchParams(search).get("returnTo") ?? "/";
  return target.startsWith("/") && !target.startsWith("//") && !target.includes("\\")
    ? target
    : "/";
}

/** The second step of a sign-in: the password was right, a code is still owed. */
export function MfaSignIn() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const verify = useMutation({
    meta: { session: true },
    mutationFn: (body: { code: string } | { recoveryCode: string }) =>
      api<{ user: User }>("/auth/mfa/verify", { method: "POST", body }),
    onSuccess: () => {
      queryClient.clear();
      router.push(returnTo(window.location.search));
    },
  });

  return (
    <main className="mx-auto mt-16 max-w-sm px-4">
      <p className="mb-6 text-2xl font-semibold tracking-tight">Ringfence</p>
      <h1 className="mb-4 text-lg font-medium">Two-factor authentication</h1>
      <SecondFactorForm
        submitLabel="Verify"
        pending={verify.isPending}
        error={verify.error}
        onProof={(proof) => verify.mutate(proof)}
      />
      <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">
        <Link className="text-sky-700 underline dark:text-sky-400" href="/sign-in">
          Start over
        </Link>
      </p>
    </main>
  );
}
