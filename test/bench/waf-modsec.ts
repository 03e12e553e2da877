import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MODULE = "/usr/lib/nginx/modules/ngx_http_modsecurity_module.so";
const CRS_SETUP = "/etc/modsecurity/crs/crs-setup.conf";
const CRS_RULES = "/usr/share/modsecurity-crs/rules";
const BASE_CONF = "/etc/nginx/modsecurity.conf";

/** A running nginx + ModSecurity + CRS on loopback, with the upstream it protects. */
export interface ModSecurity {
  port: number;
  stop: () => Promise<void>;
}

/** True when the Debian packages the comparison needs are installed. */
export function modSecurityAvailable(): boolean {
  return (
    [MODULE, CRS_SETUP, CRS_RULES, BASE_CONF].every((p) => existsSync(p)) &&
    existsSync("/usr/sbin/nginx")
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function config(dir: string, port: number, upstream: number, paranoia: number): string {
  writeFileSync(
    join(dir, "modsec.conf"),
    [
      `Include ${BASE_CONF}`,
      "SecRuleEngine On",
      "SecAuditEngine Off",
      "SecRequestBodyAccess On",
      `Include ${CRS_SETUP}`,
      `SecAction "id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=${paranoia}"`,
      `Include ${CRS_RULES}/*.conf`,
    ].join("\n"),
  );
  return `load_module ${MODULE};
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_max_body_size 16m;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app { server 127.0.0.1:${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    modsecurity on;
    modsecurity_rules_file ${dir}/modsec.conf;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Where ModSecurity runs and what it protects. */
export interface ModSecurityOptions {
  paranoia?: number;
  /** A loopback upstream to protect; a tiny one answering 200 is started when absent. */
  upstreamPort?: number;
  /** The CPU nginx is pinned to (taskset), so it does not share the load generator's core. */
  cpu?: string;
}

/**
 * Starts nginx with ModSecurity v3 and OWASP CRS on 127.0.0.1 only, in a temporary prefix,
 * in front of the given upstream (or a tiny one that answers 200). \`stop\` ends what it
 * started and removes the directory.
 */
export async function startModSecurity(options: ModSecurityOptions = {}): Promise<ModSecurity> {
  const dir = mkdtempSync(join(tmpdir(), "ringfence-modsec-"));
  const own: Server | undefined =
    options.upstreamPort === undefined
      ? createServer((_req, res) => res.end("ok")).listen(0, "127.0.0.1")
      : undefined;
  if (own) await new Promise((r) => own.once("listening", r));
  const upstream = options.upstreamPort ?? (own ? (own.address() as AddressInfo).port : 0);
  const port = await freePort();
  writeFileSync(join(dir, "nginx.conf"), config(dir, port, upstream, options.paranoia ?? 1));
  const args = ["/usr/sbin/nginx", "-p", dir, "-c", join(dir, "nginx.conf")];
  const [command = "", ...rest] = options.cpu ? ["taskset", "-c", options.cpu, ...args] : args;
  const nginx: ChildProcess = spawn(command, rest, { stdio: ["ignore", "ignore", "pipe"] });
  await waitForPort(port);
  return {
    port,
    stop: async () => {
      nginx.kill("SIGTERM");
      await new Promise((r) => (nginx.exitCode !== null ? r(null) : nginx.once("exit", r)));
      if (own) await new Promise((r) => own.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      }).on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within 20 s`);
}

/**
 * Sends exact bytes to 127.0.0.1:port and returns the response status (0 when none). The
 * socket stays open for writing, since proxies abort a request whose client half-closes; it is
 * half-closed only after three seconds of silence, for requests that leave the server waiting.
 */
export function sendRaw(port: number, bytes: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    let seen = "";
    const socket = connect(port, "127.0.0.1", () => socket.write(Buffer.from(bytes)));
    const nudge = setTimeout(() => socket.end(), 3000);
    const finish = (status: number) => {
      clearTimeout(nudge);
      socket.destroy();
      resolve(status);
    };
    socket.setTimeout(10_000, () => finish(0));
    socket.on("data", (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      const m = /^HTTP\/1\.\d (\d{3})/.exec(seen);
      if (m) finish(Number(m[1]));
      else if (seen.length > 64) finish(0);
    });
    socket.on("error", () => finish(0));
    socket.on("close", () => finish(0));
  });
}
