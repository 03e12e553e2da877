"use client";

import { useState } from "react";
import type { IpsFamily } from "../ips-families.ts";
import { SelectField, TextArea } from "./controls.tsx";
import type { DraftItem } from "./document-list.tsx";

const PARANOIA = [1, 2, 3, 4].map((n) => ({
  value: String(n),
  label: `${n}${n === 1 ? " (fewest false positives)" : n === 4 ? " (strictest)" : ""}`,
}));

const MODES = [
  { value: "block", label: "Block" },
  { value: "monitor", label: "Monitor only" },
];

interface Exclusion {
  location?: string;
  rule?: string;
  path?: string;
}

/** Exclusions one per line as `location rule path` (`-` for any), e.g. `query.q 942100 /search`. */
export function exclusionLines(value: unknown): string {
  const items = Array.isArray(value) ? (value as Exclusion[]) : [];
  return items.map((e) => `${e.location ?? "-"} ${e.rule ?? "-"} ${e.path ?? "-"}`).join("\n");
}

export function exclusionsOf(text: string): Exclusion[] {
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts[0])
    .map(([location, rule, path]) => ({
      ...(location && location !== "-" ? { location } : {}),
      ...(rule && rule !== "-" ? { rule } : {}),
      ...(path && path !== "-" ? { path } : {}),
    }));
}

interface Detector {
  detector: string;
  action?: string;
  threshold?: number;
  pattern?: string;
}

/** DLP detectors one per line as `detector action threshold`, e.g. `credit-card block 5`. */
export function detectorLines(value: unknown): string {
  const items = Array.isArray(value) ? (value as Detector[]) : [];
  return items.map((d) => `${d.detector} ${d.action ?? "log"} ${d.threshold ?? 1}`).join("\n");
}

export function detectorsOf(text: string, previous: unknown): Detector[] {
  const before = Array.isArray(previous) ? (previous as Detector[]) : [];
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts[0])
    .map(([detector = "", action = "log", threshold = "1"]) => {
      // A custom detector keeps its pattern, which a line cannot show.
      const pattern = before.find((d) => d.detector === detector)?.pattern;
      return { detector, action, threshold: Number(threshold), ...(pattern ? { pattern } : {}) };
    });
}

interface Suppression {
  signature: string;
  source?: string;
}

/** IPS suppressions one per line as `signature [source CIDR]`, e.g. `ips-shellshock 10.0.0.0/8`. */
export function suppressionLines(value: unknown): string {
  const items = Array.isArray(value) ? (value as Suppression[]) : [];
  return items.map((s) => (s.source ? `${s.signature} ${s.source}` : s.signature)).join("\n");
}

export function suppressionsOf(text: string): Suppression[] {
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts[0])
    .map(([signature = "", source]) => ({ signature, ...(source ? { source } : {}) }));
}

/** The first suppression naming no known signature, in words, or undefined when all are known. */
export function unknownSuppression(value: unknown, known: ReadonlySet<string>): string | undefined {
  const items = Array.isArray(value) ? (value as Suppression[]) : [];
  const line = items.findIndex((s) => !known.has(s.signature));
  const bad = items[line];
  return bad ? `Line ${line + 1}: no signature has the id "${bad.signature}".` : undefined;
}

/**
 * A list edited as lines. The text typed is kept as typed (a line being written may not parse
 * yet); it is replaced only when the document was changed elsewhere, in the JSON below.
 */
function LinesField<T>({
  label,
  value,
  parse,
  format,
  onChange,
  problem,
}: {
  label: string;
  value: unknown;
  parse: (text: string) => T[];
  format: (value: unknown) => string;
  onChange: (next: T[]) => void;
  /** What is wrong with the value, shown under the field; the server refuses it too. */
  problem?: string | undefined;
}) {
  const [text, setText] = useState(() => format(value));
  const shown = format(parse(text)) === format(value) ? text : format(value);
  return (
    <div className="flex flex-col gap-1">
      <TextArea
        label={label}
        rows={3}
        value={shown}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parse(e.target.value));
        }}
      />
      {problem ? (
        <p role="alert" className="text-xs text-rose-700 dark:text-rose-300">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

/**
 * An IPS profile's built-in signatures on or off, each family of them on or off (a family off
 * is a suppression of each of its signatures from every source), and the suppressions as lines.
 */
function IpsControls({
  item,
  change,
  families,
}: {
  item: DraftItem;
  change: (next: DraftItem) => void;
  families: IpsFamily[];
}) {
  const builtin = item.builtin !== false;
  const suppressions = Array.isArray(item.suppressions) ? (item.suppressions as Suppression[]) : [];
  const everywhere = new Set(suppressions.filter((s) => !s.source).map((s) => s.signature));
  const own = Array.isArray(item.signatures) ? (item.signatures as { id?: unknown }[]) : [];
  const known = new Set([
    ...families.flatMap((f) => f.ids),
    ...own.flatMap((s) => (typeof s.id === "string" ? [s.id] : [])),
  ]);

  const toggle = (family: IpsFamily, on: boolean) => {
    const next = on
      ? suppressions.filter((s) => s.source || !family.ids.includes(s.signature))
      : [
          ...suppressions,
          ...family.ids.filter((id) => !everywhere.has(id)).map((signature) => ({ signature })),
        ];
    change({ ...item, suppressions: next });
  };

  return (
    <div className="flex flex-col gap-3">
      <label className="flex items-center gap-2 text-sm font-medium">
        <input
          type="checkbox"
          checked={builtin}
          onChange={(e) => change({ ...item, builtin: e.target.checked })}
        />
        Built-in signatures
      </label>
      <fieldset disabled={!builtin} className="grid gap-1 text-sm sm:grid-cols-2">
        <legend className="mb-1 font-medium">Built-in signature families</legend>
        {families.map((family) => (
          <label key={family.key} className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={!family.ids.every((id) => everywhere.has(id))}
              onChange={(e) => toggle(family, e.target.checked)}
            />
            {family.key}
            <span className="text-xs text-slate-500 dark:text-slate-400">
              {family.cves.join(", ")}
            </span>
          </label>
        ))}
      </fieldset>
      <LinesField
        label="Suppressions (signature id, optional source CIDR)"
        value={item.suppressions}
        parse={suppressionsOf}
        format={suppressionLines}
        onChange={(next) => change({ ...item, suppressions: next })}
        problem={unknownSuppression(item.suppressions, known)}
      />
    </div>
  );
}

/**
 * Structured controls for the profile kinds people tune most: a WAF's paranoia level, mode and
 * exclusions, a DLP profile's detectors, and an IPS profile's built-in families and
 * suppressions. They rewrite the JSON document below them.
 */
export function ProfileControls({
  item,
  change,
  ipsFamilies,
}: {
  item: DraftItem;
  change: (next: DraftItem) => void;
  ipsFamilies: IpsFamily[];
}) {
  if (item.kind === "waf") {
    return (
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Paranoia level"
          options={PARANOIA}
          value={String(item.paranoia ?? 1)}
          onChange={(e) => change({ ...item, paranoia: Number(e.target.value) })}
        />
        <SelectField
          label="Mode"
          options={MODES}
          value={String(item.mode ?? "block")}
          onChange={(e) => change({ ...item, mode: e.target.value })}
        />
        <div className="sm:col-span-2">
          <LinesField
            label="Exclusions (location rule path, - for any)"
            value={item.exclusions}
            parse={exclusionsOf}
            format={exclusionLines}
            onChange={(exclusions) => change({ ...item, exclusions })}
          />
        </div>
      </div>
    );
  }
  if (item.kind === "dlp") {
    return (
      <LinesField
        label="Detectors (detector action threshold)"
        value={item.detectors}
        parse={(text) => detectorsOf(text, item.detectors)}
        format={detectorLines}
        onChange={(detectors) => change({ ...item, detectors })}
      />
    );
  }
  if (item.kind === "ips") {
    return <IpsControls item={item} change={change} families={ipsFamilies} />;
  }
  return null;
}
