#!/usr/bin/env node
// The entry point of the README's two commands (`npm start`, `npm test`). It needs only Node.js
// and npm: it finds pnpm at the pinned version (or runs it through npx), installs the workspace
// from the lockfile, and hands over to the workspace script of the same purpose.
import { spawnSync } from "node:child_process";

const PNPM_VERSION = "10.34.9";
const targets = { start: "run:all", test: "test:all" };

const target = targets[process.argv[2] ?? ""];
if (!target) {
  console.error(`usage: node scripts/up.mjs ${Object.keys(targets).join("|")}`);
  process.exit(2);
}

const [major] = process.versions.node.split(".").map(Number);
if ((major ?? 0) < 20) {
  console.error(`Ringfence needs Node.js 20 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ["pnpm"];
  return ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
}

function run(argv) {
  const [cmd, ...args] = argv;
  const result = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const pnpm = pnpmCommand();
const installed = run([...pnpm, "install", "--frozen-lockfile", "--prefer-offline"]);
if (installed !== 0) process.exit(installed);
process.exit(run([...pnpm, "run", target, ...process.argv.slice(3)]));
