// Runs the demo's vulnerable application on loopback for the README's run command, with the
// local gateway as its only egress: `tsx test/vulnerable-app/main.ts --port 8788 --proxy-port 3128`.
import { parseArgs } from "node:util";
import { startVulnerableApp } from "./app.ts";

const { values } = parseArgs({
  options: { port: { type: "string" }, "proxy-port": { type: "string" } },
  strict: true,
});
const port = Number(values.port ?? 8788);
const proxyPort = Number(values["proxy-port"] ?? 3128);
if (!Number.isInteger(port) || !Number.isInteger(proxyPort)) {
  console.error("--port and --proxy-port must be port numbers");
  process.exit(2);
}

const app = await startVulnerableApp({
  host: "127.0.0.1",
  port,
  egressProxy: { host: "127.0.0.1", port: proxyPort },
});
console.log(JSON.stringify({ ready: "vulnerable-app", url: app.url }));
const stop = () => void app.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
