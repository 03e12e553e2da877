"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ApiError } from "@/src/ui/api.ts";
import { ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { useMe } from "@/src/ui/hooks.ts";

/** Sends visitors where they belong: sign-in, organisation creation, or their first org. */
export default function Home() {
  const me = useMe();
  const router = useRouter();

  useEffect(() => {
    if (me.error instanceof ApiError && me.error.status === 401) router.replace("/sign-in");
    if (!me.data) return;
    const first = me.data.organizations[0];
    router.replace(first ? `/orgs/${first.id}` : "/orgs/new");
  }, [me.data, me.error, router]);

  return (
    <main className="p-6">
      {me.error && !(me.error instanceof ApiError && me.error.status === 401) ? (
        <ErrorBox error={me.error} />
      ) : (
        <Loading what="your organisations" />
      )}
    </main>
  );
}
