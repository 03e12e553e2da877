/** `ringfence dlp-scan`: streams files through the DLP and malware profiles. */
import { createReadStream } from "node:fs";
import { createBodyScanner } from "@ringfence/engine/inspect";
import { type CliIo, type Command, InputError, parseFlags, UsageError } from "../command.ts";
import { expandPaths, loadProfiles } from "./inspect.ts";

const usage = `ringfence dlp-scan --profile FILE|default PATH...

Streams each file (or each file of a directory) through the response-direction DLP and malware
profiles and prints {"file","findings":[{"detector","count","evidence"}]} per file.`;

async function scanFile(path: string, io: CliIo, profile: string): Promise<string> {
  const compiled = await loadProfiles(profile, io);
  const scanner = createBodyScanner(compiled, "response");
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
      scanner.push(new Uint8Array(chunk as Buffer));
    }
  } catch (error) {
    throw new InputError(
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      { cause: error },
    );
  }
  const { detections } = await scanner.finish();
  const findings = detections.map((d) => {
    const count = Number(/^(\d+)×/.exec(d.evidence)?.[1] ?? 1);
    return {
      detector: d.id.replace(/^dlp-/, ""),
      count,
      evidence: d.evidence.replace(/^\d+× /, ""),
    };
  });
  return JSON.stringify({ file: path, findings });
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { profile: { type: "string" } });
  if (values.profile === undefined) throw new UsageError("--profile FILE|default is required");
  if (positionals.length === 0) throw new UsageError("give at least one PATH");
  for (const file of await expandPaths(positionals))
    io.stdout(await scanFile(file, io, values.profile));
  return 0;
}

export const command: Command = {
  summary: "scan files for sensitive data and malware",
  usage,
  run,
};
