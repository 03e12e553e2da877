"use client";

import { useState } from "react";
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
}: {
  label: string;
  value: unknown;
  parse: (text: string) => T[];
  format: (value: unknown) => string;
  onChange: (next: T[]) => void;
}) {
  const [text, setText] = useState(() => format(value));
  const shown = format(parse(text)) === format(value) ? text : format(value);
  return (
    <TextArea
      label={label}
      rows={3}
      value={shown}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parse(e.target.value));
      }}
    />
  );
}

/**
 * Structured controls for the profile kinds people tune most: a WAF's paranoia level, mode and
 * exclusions, and a DLP profile's detectors. They rewrite the JSON document below them.
 */
export function ProfileControls({
  item,
  change,
}: {
  item: DraftItem;
  change: (next: DraftItem) => void;
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
  return null;
}
