import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  DatabaseLockedError,
  openDatabase,
  organizations,
  type RingfenceDatabase,
} from "../src/index.ts";
import { runTsx, tempDataDir } from "./helpers.ts";

const opener = fileURLToPath(new URL("./fixtures/open-database.ts", import.meta.url));
const open: RingfenceDatabase[] = [];

afterEach(async () => {
  for (const database of open.splice(0)) await database.close();
});

describe("PGlite on disk", () => {
  it("finds every row again after a close and reopen of the same directory", async () => {
    const dataDir = tempDataDir();
    const first = await openDatabase({ dataDir });
    await first.db.insert(organizations).values({ name: "Kept", slug: "kept" });
    await first.close();

    const second = await openDatabase({ dataDir });
    open.push(second);
    const rows = await second.db.select().from(organizations).where(eq(organizations.slug, "kept"));
    expect(rows.map((row) => row.name)).toEqual(["Kept"]);
  });

  it("refuses a second process with an error naming the directory and the owning pid", async () => {
    const dataDir = tempDataDir();
    open.push(await openDatabase({ dataDir }));

    const child = await runTsx(opener, [dataDir]);

    expect(child).toMatchObject({ opened: false, locked: true });
    const message = (child as { message: string }).message;
    expect(message).toContain(dataDir);
    expect(message).toContain(`process ${process.pid}`);
  });

  it("refuses a second opener in the same process", async () => {
    const dataDir = tempDataDir();
    open.push(await openDatabase({ dataDir }));

    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
  });

  it("takes over a lock left by a process that has died", async () => {
    const dataDir = tempDataDir();
    const holder = await runTsx(opener, [dataDir]);
    expect(holder).toMatchObject({ opened: true });

    // Simulate a crash: the lock names a pid that no longer runs (the child above has exited).
    const deadPid = (holder as { pid: number }).pid;
    writeFileSync(`${dataDir}.lock`, `${deadPid}\n`);

    const reopened = await openDatabase({ dataDir });
    open.push(reopened);
    expect(reopened.dataDir).toBe(dataDir);
  });

  it("lets another process open the directory once the owner has closed it", async () => {
    const dataDir = tempDataDir();
    const owner = await openDatabase({ dataDir });
    await owner.close();

    const child = await runTsx(opener, [dataDir]);
    expect(child).toMatchObject({ opened: true });
  });
});
