/**
 * The subcommand table. Registering a command is one line: its name and a lazy import of the
 * file that exports `command`. Lazy, so `check-url` never loads the gateway.
 */
import type { Command } from "../command.ts";

type Loader = () => Promise<{ command: Command }>;

export const COMMANDS: Readonly<Record<string, Loader>> = {
  "check-url": () => import("./check-url.ts"),
  select: () => import("./select.ts"),
  simulate: () => import("./simulate.ts"),
  inspect: () => import("./inspect.ts"),
  "dlp-scan": () => import("./dlp-scan.ts"),
  policy: () => import("./policy.ts"),
  import: () => import("./import.ts"),
  gateway: () => import("./gateway.ts"),
};
