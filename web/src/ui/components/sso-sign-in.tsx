"use client";

import { type FormEvent, useEffect, useState } from "react";
import { Button, TextField } from "./controls.tsx";

/**
 * Single sign-on from the sign-in page: the work address picks the organisation by its verified
 * domain, and the browser leaves for the identity provider. A failed callback comes back with
 * `?ssoError=`. The label and button avoid the words "Email" and "Sign in", so the password
 * form's field and button keep unique accessible names.
 */
export function SsoSignIn() {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(new URLSearchParams(window.location.search).get("ssoError"));
  }, []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const query = new URLSearchParams({ email, returnTo: "/" });
    window.location.assign(`/api/v1/auth/sso/start?${query}`);
  };

  return (
    <section className="mx-auto mt-8 max-w-sm border-t border-slate-200 px-4 pt-6 dark:border-slate-700">
      <h2 className="mb-3 text-sm font-medium">Single sign-on</h2>
      {error ? (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        <TextField
          label="Work address"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          autoComplete="email"
          hint="Your organisation's identity provider will ask you to sign in."
        />
        <Button type="submit">Continue with SSO</Button>
      </form>
    </section>
  );
}
