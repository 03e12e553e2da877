"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../api.ts";
import type { ImportResult } from "../types.ts";
import { Button } from "./controls.tsx";
import { ErrorBox } from "./feedback.tsx";
import { Table, Td } from "./layout.tsx";

/**
 * Uploads cloud CLI exports (`aws ec2 describe-instances`, `az vm list`, …) to an account in one
 * request: all files import or none does, and a bad file is named in the error.
 */
export function ImportFiles({ orgId, accountId }: { orgId: string; accountId: string }) {
  const id = useId();
  const [files, setFiles] = useState<File[]>([]);
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: async () => {
      const body = {
        files: await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() }))),
      };
      return api<ImportResult>(`/orgs/${orgId}/accounts/${accountId}/import`, {
        method: "POST",
        body,
      });
    },
    // The import is a run of the account's history and may change its status.
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: ["org", orgId, "account", accountId] }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    upload.mutate();
  };

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <label htmlFor={id} className="text-sm font-medium">
        Cloud CLI exports (JSON), or a Ringfence inventory document
      </label>
      <input
        id={id}
        type="file"
        multiple
        accept=".json,application/json"
        onChange={(event) => setFiles([...(event.target.files ?? [])])}
        className="text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-200 file:px-3 file:py-1.5 dark:file:bg-slate-700"
      />
      <div>
        <Button type="submit" disabled={files.length === 0 || upload.isPending}>
          Import {files.length ? `${files.length} file(s)` : ""}
        </Button>
      </div>
      <ErrorBox error={upload.error} />
      {upload.data ? (
        <div className="flex flex-col gap-2" data-testid="import-result">
          <p className="text-sm">
            Imported: <strong>{upload.data.added}</strong> added,{" "}
            <strong>{upload.data.changed}</strong> changed, <strong>{upload.data.removed}</strong>{" "}
            removed, {upload.data.unchanged} unchanged.
          </p>
          <Table head={["File", "Format", "Assets"]}>
            {upload.data.files.map((f) => (
              <tr key={f.name}>
                <Td>{f.name}</Td>
                <Td mono>{f.format}</Td>
                <Td>{f.assets}</Td>
              </tr>
            ))}
          </Table>
        </div>
      ) : null}
    </form>
  );
}
