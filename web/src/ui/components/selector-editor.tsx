"use client";

import { useId } from "react";
import type { SelectorCheck } from "../selector.ts";

/** The source line an error is on, with a caret under its column. */
function caretLines(source: string, line: number, column: number): [string, string] {
  const text = source.split("\n")[line - 1] ?? "";
  return [text, `${" ".repeat(Math.max(0, column - 1))}^`];
}

/**
 * A selector input that shows a syntax error where it is: the message, then the offending line
 * with a caret under the column the parser stopped at.
 */
export function SelectorEditor({
  value,
  onChange,
  check,
}: {
  value: string;
  onChange: (next: string) => void;
  check: SelectorCheck;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        Selector
      </label>
      <textarea
        id={id}
        rows={3}
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={!check.ok}
        aria-describedby={check.ok ? undefined : errorId}
        placeholder={'tag.Role == "web" and region == "us-east-1"'}
        className={`w-full rounded-md border bg-white px-2.5 py-1.5 font-mono text-sm dark:bg-slate-900 ${check.ok ? "border-slate-300 dark:border-slate-600" : "border-rose-500"}`}
      />
      {check.ok ? null : (
        <div
          id={errorId}
          data-testid="selector-error"
          className="text-sm text-rose-700 dark:text-rose-300"
        >
          <p>
            Line {check.line}, column {check.column}: {check.message}
          </p>
          <pre className="mt-1 overflow-x-auto rounded bg-rose-50 p-2 text-xs dark:bg-rose-950">
            {caretLines(value, check.line, check.column).join("\n")}
          </pre>
        </div>
      )}
    </div>
  );
}
