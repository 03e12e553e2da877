"use client";

import type { IntegrationSettings } from "../integrations.ts";
import { SEVERITIES } from "../integrations.ts";
import { SelectField, TextField } from "./controls.tsx";

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (value: boolean) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** The fields an integration keeps after creation, shared by the create and edit forms. */
export function IntegrationFields({
  value,
  onChange,
  targetHint,
}: {
  value: IntegrationSettings;
  onChange: (next: IntegrationSettings) => void;
  targetHint: string;
}) {
  const set = <K extends keyof IntegrationSettings>(key: K, v: IntegrationSettings[K]) =>
    onChange({ ...value, [key]: v });
  return (
    <>
      <TextField
        label="Name"
        required
        value={value.name}
        onChange={(e) => set("name", e.target.value)}
      />
      <TextField
        label="Target"
        required
        value={value.target}
        placeholder={targetHint}
        hint="Checked against the egress guard when saved and before every delivery."
        onChange={(e) => set("target", e.target.value)}
      />
      <SelectField
        label="Minimum severity"
        options={SEVERITIES}
        value={value.minSeverity}
        onChange={(e) => set("minSeverity", e.target.value)}
      />
      <TextField
        label="Dead-letter after (minutes)"
        inputMode="decimal"
        value={value.deadLetterMinutes}
        hint="Failed deliveries are retried with backoff until then, then kept for replay."
        onChange={(e) => set("deadLetterMinutes", e.target.value)}
      />
      <div className="flex flex-wrap gap-4 sm:col-span-2">
        <Check
          label="Send the audit log too"
          checked={value.includeAudit}
          onChange={(v) => set("includeAudit", v)}
        />
        <Check label="Enabled" checked={value.enabled} onChange={(v) => set("enabled", v)} />
      </div>
    </>
  );
}
