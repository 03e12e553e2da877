"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { api } from "../api.ts";
import type { User } from "../types.ts";
import { Button, TextField } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";

/** Sign-in and sign-up share one form; sign-up also asks for a name. */
export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const submit = useMutation({
    meta: { session: true },
    mutationFn: () => {
      const body = mode === "sign-up" ? form : { email: form.email, password: form.password };
      return api<{ user: User; mfaRequired?: boolean }>(`/auth/${mode}`, { method: "POST", body });
    },
    onSuccess: (data) => {
      // Whatever was cached belongs to the previous session, if any.
      queryClient.clear();
      if (data.mfaRequired) router.push("/sign-in/mfa");
      else router.push(mode === "sign-up" ? "/orgs/new" : "/");
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });

  return (
    <main className="mx-auto mt-16 max-w-sm px-4">
      <p className="mb-6 text-2xl font-semibold tracking-tight">Ringfence</p>
      <h1 className="mb-4 text-lg font-medium">
        {mode === "sign-in" ? "Sign in" : "Create your account"}
      </h1>
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        {mode === "sign-up" ? (
          <TextField
            label="Name"
            required
            value={form.name}
            onChange={set("name")}
            autoComplete="name"
          />
        ) : null}
        <TextField
          label="Email"
          type="email"
          required
          value={form.email}
          onChange={set("email")}
          autoComplete="email"
        />
        <TextField
          label="Password"
          type="password"
          required
          minLength={mode === "sign-up" ? 10 : 1}
          value={form.password}
          onChange={set("password")}
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          hint={mode === "sign-up" ? "At least 10 characters." : undefined}
        />
        <ErrorBox error={submit.error} />
        <Button type="submit" disabled={submit.isPending}>
          {mode === "sign-in" ? "Sign in" : "Sign up"}
        </Button>
      </form>
      <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">
        {mode === "sign-in" ? (
          <>
            No account?{" "}
            <Link className="text-sky-700 underline dark:text-sky-400" href="/sign-up">
              Sign up
            </Link>
          </>
        ) : (
          <>
            Already registered?{" "}
            <Link className="text-sky-700 underline dark:text-sky-400" href="/sign-in">
              Sign in
            </Link>
          </>
        )}
      </p>
    </main>
  );
}
