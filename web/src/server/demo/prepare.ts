// Prepares the local product before its processes start: migrates the embedded database, seeds
// the demo organisation, and enrols the local gateway and edge worker as enforcers. It runs in
// the supervisor's process and closes the database before the control plane opens it, because
// one PGlite directory has exactly one owner at a time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase, seedDemo } from "@ringfence/db";
import type { RegisterResponse } from "@ringfence/engine/control";
import { loadConfig } from "../config.ts";
import { latestBundle } from "../services/bundles/store.ts";
import { prepareEnforcement } from "../services/enforcers/http.ts";
import { systemOrgContext } from "../services/enforcers/runtime.ts";
import { publishDraft } from "../services/publish/publish.ts";
import { createRegistration } from "../services/registrations/create.ts";
import { registerEnforcer } from "../services/registrations/register.ts";

export interface PreparedDemo {
  organizationId: string;
  /** Present until the gateway has exchanged it for its own credential. */
  gatewayTokenFile: string;
  worker: RegisterResponse;
}

export interface PrepareOptions {
  env: Record<string, string | undefined>;
  stateDir: string;
  password: string;
}

/** Seeds and enrols, idempotently: a second start reuses the enrolments of the first. */
export async function prepareDemo(options: PrepareOptions): Promise<PreparedDemo> {
  const config = loadConfig(options.env);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const db = database.db;
    const enforcement = await prepareEnforcement({ db, env: options.env, dataDir: config.dataDir });
    const seed = await seedDemo(db, { password: options.password });
    const ctx = systemOrgContext({
      db,
      config,
      enforcement,
      organizationId: seed.organizationId,
      actorId: "run",
    });

    // The demo's draft policy is published on the first start, so the gateway and the worker
    // enforce it from their first poll; later starts leave publication to the user.
    if ((await latestBundle(db, seed.organizationId)) === undefined) {
      await publishDraft({ ctx, input: undefined });
    }

    const gatewayDir = join(options.stateDir, "gateway");
    mkdirSync(gatewayDir, { recursive: true });
    const gatewayTokenFile = join(gatewayDir, "registration-token");
    const gatewayRegistered = existsSync(join(gatewayDir, "state", "enforcer.json"));
    if (!gatewayRegistered && !existsSync(gatewayTokenFile)) {
      const { token } = await createRegistration({ ctx, input: { name: "local-gateway" } });
      writeFileSync(gatewayTokenFile, token, { mode: 0o600 });
    }

    const workerFile = join(options.stateDir, "worker", "enrolment.json");
    let worker: RegisterResponse;
    if (existsSync(workerFile)) {
      worker = JSON.parse(readFileSync(workerFile, "utf8")) as RegisterResponse;
    } else {
      const { token } = await createRegistration({ ctx, input: { name: "edge-worker" } });
      worker = await registerEnforcer({ ctx, input: { token, kind: "worker" } });
      mkdirSync(join(options.stateDir, "worker"), { recursive: true });
      writeFileSync(workerFile, JSON.stringify(worker), { mode: 0o600 });
    }
    return { organizationId: seed.organizationId, gatewayTokenFile, worker };
  } finally {
    await database.close();
  }
}
