"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api.ts";
import { Button, TextField } from "./controls.tsx";
import { ErrorBox, Loading, ShownOnce } from "./feedback.tsx";

/** `GET /me/mfa`: the user's second factor and this session's step-up state. */
export interface MfaStatus {
  totp: "none" | "pending" | "active";
  confirmedAt: string | null;
  recoveryCodesLeft: number;
  stepUpValidUntil: string | null;
  /** False for a person whom single sign-on created: they have no password to re-enter. */
  hasPassword: boolean;
  /** The organisation whose identity provider can confirm this session, if any. */
  ssoStepUpOrganization: string | null;
}

/** What a person offers as a second factor: a code, or one of their recovery codes. */
type Proof = { code: string } | { recoveryCode: string };

/**
 * A code from the authenticator, or a recovery code when the device is lost. `onProof` sends it;
 * errors (wrong code, too many attempts) show in place with the request id.
 */
export function SecondFactorForm({
  submitLabel,
  pending,
  error,
  onProof,
}: {
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onProof: (proof: Proof) => void;
}) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState("");
  const submit = () => {
    onProof(useRecovery ? { recoveryCode: value.trim() } : { code: value.trim() });
  };

  // No form of its own, like the password step-up: this also shows as the step-up prompt inside
  // the form whose action asked for it, where a nested form's submit would reach that one.
  return (
    <fieldset
      aria-label="Second factor"
      className="m-0 flex min-w-0 flex-col gap-3 border-0 p-0"
      onKeyDown={(event) => {
        if (event.key !== "Enter" || !(event.target instanceof HTMLInputElement)) return;
        event.preventDefault();
        submit();
      }}
    >
      {useRecovery ? (
        <TextField
          label="Recovery code"
          required
          value={value}
          onChange={(event) => setValue(event.target.value)}
          autoComplete="off"
          hint="One of the ten codes you saved; each works once."
        />
      ) : (
        <CodeField
          label="Authentication code"
          value={value}
          onChange={setValue}
          hint="The six digits your authenticator app shows now."
        />
      )}
      <ErrorBox error={error} />
      <Button type="button" disabled={pending} onClick={submit}>
        {submitLabel}
      </Button>
      <button
        type="button"
        className="self-start text-sm text-sky-700 underline dark:text-sky-400"
        onClick={() => {
          setUseRecovery(!useRecovery);
          setValue("");
        }}
      >
        {useRecovery ? "Use the authenticator app" : "Use a recovery code"}
      </button>
    </fieldset>
  );
}

/** A six-digit code field that phones fill from the authenticator (`one-time-code`). */
function CodeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
}) {
  return (
    <TextField
      label={props.label}
      required
      inputMode="numeric"
      pattern="[0-9]{6}"
      maxLength={6}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value)}
      autoComplete="one-time-code"
      hint={props.hint}
    />
  );
}

/**
 * Shown where a sensitive action answered `step_up_required`: the user confirms it is them and
 * then repeats it. Only what works for them is offered: a code when they have a second factor,
 * else a fresh login at the identity provider for a session from single sign-on (which brings
 * them back here) and the password when they have one.
 */
export function StepUpPrompt() {
  const status = useQuery({ queryKey: ["me", "mfa"], queryFn: () => api<MfaStatus>("/me/mfa") });
  const stepUp = useMutation({
    meta: { session: true },
    mutationFn: (body: Proof | { password: string }) =>
      api<{ validUntil: string }>("/auth/step-up", { method: "POST", body }),
  });

  if (stepUp.isSuccess) {
    return (
      <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">
        Confirmed until {new Date(stepUp.data.validUntil).toLocaleTimeString()}. Try again now.
      </p>
    );
  }
  return (
    <div className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sm dark:border-sky-700 dark:bg-sky-950">
      <p className="mb-2 font-medium">Confirm it is you before this action.</p>
      {status.isPending ? <Loading what="your second factor" /> : null}
      {status.data?.totp === "active" ? (
        <SecondFactorForm
          submitLabel="Confirm"
          pending={stepUp.isPending}
          error={stepUp.error}
          onProof={(proof) => stepUp.mutate(proof)}
        />
      ) : status.data ? (
        <>
          {status.data.ssoStepUpOrganization ? (
            <SsoStepUpButton org={status.data.ssoStepUpOrganization} />
          ) : null}
          {status.data.hasPassword ? (
            <PasswordStepUp
              pending={stepUp.isPending}
              error={stepUp.error}
              onPassword={(password) => stepUp.mutate({ password })}
            />
          ) : null}
          {!status.data.hasPassword && !status.data.ssoStepUpOrganization ? (
            <p>
              Your account has no password and this session did not come from single sign-on: sign
              out and sign in again through your identity provider.
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** Leaves for the identity provider, which logs the person in again and sends them back. */
function SsoStepUpButton({ org }: { org: string }) {
  const confirm = () => {
    const returnTo = `${window.location.pathname}${window.location.search}`;
    const query = new URLSearchParams({ org, stepUp: "true", returnTo });
    window.location.assign(`/api/v1/auth/sso/start?${query}`);
  };
  return (
    <div className="mb-3">
      <Button type="button" onClick={confirm}>
        Confirm with your identity provider
      </Button>
    </div>
  );
}

function PasswordStepUp({
  pending,
  error,
  onPassword,
}: {
  pending: boolean;
  error: unknown;
  onPassword: (password: string) => void;
}) {
  const [password, setPassword] = useState("");
  // No form of its own: the prompt shows inside the form whose action asked for step-up, and a
  // nested form's submit would reach that one instead.
  return (
    <div className="flex flex-col gap-3">
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== "Enter") return;
          event.preventDefault();
          onPassword(password);
        }}
        autoComplete="current-password"
      />
      <ErrorBox error={error} />
      <Button
        type="button"
        disabled={pending || password === ""}
        onClick={() => onPassword(password)}
      >
        Confirm
      </Button>
    </div>
  );
}

/** The account's second factor: enrol, confirm, regenerate recovery codes, disable. */
export function SecuritySettings() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ["me", "mfa"], queryFn: () => api<MfaStatus>("/me/mfa") });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["me", "mfa"] });
  const [codes, setCodes] = useState<string[] | null>(null);

  if (status.isPending) return <Loading what="your second factor" />;
  if (status.error) return <ErrorBox error={status.error} />;
  return (
    <section className="flex flex-col gap-4">
      <p className="text-sm">
        Two-factor authentication:{" "}
        <strong data-testid="mfa-state">
          {status.data.totp === "active"
            ? "on"
            : status.data.totp === "pending"
              ? "set-up started"
              : "off"}
        </strong>
        {status.data.totp === "active"
          ? ` · ${status.data.recoveryCodesLeft} recovery codes left`
          : null}
      </p>
      {codes ? <RecoveryCodeList codes={codes} /> : null}
      {status.data.totp === "active" ? (
        <ActiveFactor hasPassword={status.data.hasPassword} onCodes={setCodes} onChange={refresh} />
      ) : (
        <Enrolment
          onConfirmed={(recoveryCodes) => {
            setCodes(recoveryCodes);
            void refresh();
          }}
        />
      )}
    </section>
  );
}

function RecoveryCodeList({ codes }: { codes: string[] }) {
  return <ShownOnce label="Recovery codes (each works once)" value={codes.join("  ")} />;
}

function Enrolment({ onConfirmed }: { onConfirmed: (codes: string[]) => void }) {
  const [code, setCode] = useState("");
  const start = useMutation({
    meta: { session: true },
    mutationFn: () =>
      api<{ uri: string; secret: string }>("/me/mfa/totp", { method: "POST", body: {} }),
  });
  const confirm = useMutation({
    meta: { session: true },
    mutationFn: () =>
      api<{ recoveryCodes: string[] }>("/me/mfa/totp/confirm", {
        method: "POST",
        body: { code },
      }),
    onSuccess: (data) => onConfirmed(data.recoveryCodes),
  });

  if (!start.data) {
    return (
      <div className="flex flex-col gap-3">
        <ErrorBox error={start.error} />
        <Button onClick={() => start.mutate()} disabled={start.isPending}>
          Set up an authenticator app
        </Button>
      </div>
    );
  }
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        confirm.mutate();
      }}
    >
      <p className="text-sm">
        Add this account to your authenticator app with the link below, or type the key by hand.
      </p>
      <a
        className="break-all text-sm text-sky-700 underline dark:text-sky-400"
        href={start.data.uri}
      >
        {start.data.uri}
      </a>
      <p className="text-sm">
        Key: <code data-testid="totp-secret">{start.data.secret}</code>
      </p>
      <CodeField label="First code from the app" value={code} onChange={setCode} />
      <ErrorBox error={confirm.error} />
      <Button type="submit" disabled={confirm.isPending}>
        Turn on
      </Button>
    </form>
  );
}

function ActiveFactor({
  hasPassword,
  onCodes,
  onChange,
}: {
  hasPassword: boolean;
  onCodes: (codes: string[]) => void;
  onChange: () => void;
}) {
  const [password, setPassword] = useState("");
  const regenerate = useMutation({
    meta: { session: true },
    mutationFn: () =>
      api<{ recoveryCodes: string[] }>("/me/mfa/recovery-codes", { method: "POST", body: {} }),
    onSuccess: (data) => {
      onCodes(data.recoveryCodes);
      onChange();
    },
  });
  const disable = useMutation({
    meta: { session: true },
    mutationFn: (proof: Proof) =>
      api<void>("/me/mfa/totp/disable", {
        method: "POST",
        body: hasPassword ? { password, ...proof } : proof,
      }),
    onSuccess: onChange,
  });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <ErrorBox error={regenerate.error} />
        <Button
          tone="secondary"
          onClick={() => regenerate.mutate()}
          disabled={regenerate.isPending}
        >
          New recovery codes
        </Button>
      </div>
      <div className="flex flex-col gap-3">
        <h2 className="font-medium">Turn off</h2>
        {hasPassword ? (
          <TextField
            label="Password"
            type="password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete="current-password"
          />
        ) : (
          <p className="text-sm" data-testid="mfa-disable-sso">
            Your account signs in through your identity provider and has no password. Turning this
            off takes a code and a sign-in at your provider in the last few minutes: if it is
            refused, sign out, sign in again through your provider, and come back here.
          </p>
        )}
        <SecondFactorForm
          submitLabel="Turn off two-factor authentication"
          pending={disable.isPending}
          error={disable.error}
          onProof={(proof) => disable.mutate(proof)}
        />
      </div>
    </div>
  );
}
