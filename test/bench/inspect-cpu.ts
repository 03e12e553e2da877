/**
 * CPU time of one in-process `inspectRequest` for the worker benchmark's request shapes, with
 * the worker's profiles (WAF paranoia 1, built-in IPS, request DLP). No network, no workerd:
 * this isolates the engine's share of the worker's per-request CPU.
 *
 *   pnpm exec tsx test/bench/inspect-cpu.ts [rounds]
 */
import { compileProfiles, inspectRequest } from "@ringfence/engine/inspect";
import { json, PROFILES } from "./worker-fixtures.ts";

const compiled = compileProfiles(PROFILES);

const headers: [string, string][] = [
  ["host", "app.example.test"],
  ["user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"],
  ["accept", "*/*"],
];
const encoder = new TextEncoder();
const shapes = [
  { name: "GET", method: "GET", target: "/orders?id=7", body: "" },
  { name: "JSON 1 KB", method: "POST", target: "/orders", body: json(1024) },
  { name: "JSON 100 KB", method: "POST", target: "/orders", body: json(100 * 1024) },
  {
    name: "attack (SSRF)",
    method: "GET",
    target: "/fetch?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    body: "",
  },
];

const rounds = Number(process.argv[2] ?? 200);
for (const shape of shapes) {
  const body = encoder.encode(shape.body);
  const request = {
    method: shape.method,
    target: shape.target,
    headers: shape.body
      ? [...headers, ["content-type", "application/json"] as [string, string]]
      : headers,
    body,
  };
  const n = shape.name === "JSON 100 KB" ? Math.max(10, rounds / 10) : rounds;
  for (let i = 0; i < n / 4; i++) inspectRequest(compiled, request);
  const times: number[] = [];
  let action = "";
  for (let i = 0; i < n; i++) {
    const start = process.cpuUsage();
    action = inspectRequest(compiled, request).action;
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(`${shape.name.padEnd(14)} median ${median.toFixed(3)} ms CPU (${n} runs, ${action})`);
}
