import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A private nginx instance: its own prefix in a temp dir, loopback listeners only. */
export interface Nginx {
  pid: number;
  stop(): void;
}

const BODY = '{"id":1,"name":"item","tags":["a","b"]}';

/**
 * Starts nginx with one worker, pinned with `worker_cpu_affinity`, serving `servers` (the
 * bodies of `server {}` blocks, each of which must listen on 127.0.0.1 only).
 */
export function startNginx(
  dir: string,
  cpu: number,
  servers: string[],
  httpExtra: string[] = [],
): Nginx {
  for (const server of servers) {
    const listens = [...server.matchAll(/listen\s+([^;]+);/g)].map((m) => m[1] ?? "");
    if (listens.some((l) => !l.startsWith("127.0.0.1:"))) {
      throw new Error(`nginx server block listens beyond loopback: ${listens.join(", ")}`);
    }
  }
  mkdirSync(join(dir, "logs"), { recursive: true });
  const mask = (1 << cpu).toString(2);
  const conf = [
    "daemon on;",
    `pid ${join(dir, "nginx.pid")};`,
    "worker_processes 1;",
    `worker_cpu_affinity ${mask};`,
    `error_log ${join(dir, "logs/error.log")} error;`,
    "events { worker_connections 4096; }",
    "http {",
    "  access_log off;",
    "  keepalive_requests 1000000;",
    `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
    ...httpExtra.map((line) => `  ${line}`),
    ...servers.map((s) => `  server { ${s} }`),
    "}",
  ].join("\n");
  const file = join(dir, "nginx.conf");
  writeFileSync(file, conf);
  const run = spawnSync("nginx", ["-p", dir, "-c", file], { encoding: "utf8" });
  const pidFile = join(dir, "nginx.pid");
  if (run.status !== 0 || !existsSync(pidFile)) {
    throw new Error(`nginx did not start: ${run.stderr}`);
  }
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  return {
    pid,
    stop: () => {
      try {
        process.kill(pid, "SIGQUIT");
      } catch {
        // Already gone: nothing left to stop.
      }
    },
  };
}

/** A server block that answers a fixed JSON body itself. */
export function directServer(port: number): string {
  return `listen 127.0.0.1:${port}; location / { default_type application/json; return 200 '${BODY}'; }`;
}

/** A server block that proxies everything to the backend over keep-alive connections. */
export function proxyServer(port: number, backendPort: number): string {
  return [
    `listen 127.0.0.1:${port};`,
    "location / {",
    `proxy_pass http://backend_${backendPort};`,
    'proxy_http_version 1.1; proxy_set_header Connection "";',
    "}",
  ].join(" ");
}

/** The upstream block proxyServer refers to. */
export function backendUpstream(backendPort: number): string {
  return `upstream backend_${backendPort} { server 127.0.0.1:${backendPort}; keepalive 64; }`;
}
