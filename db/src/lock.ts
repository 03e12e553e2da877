import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Raised when another live process owns the PGlite data directory. */
export class DatabaseLockedError extends Error {
  override readonly name = "DatabaseLockedError";

  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The database directory ${dataDir} is in use by process ${ownerPid}. PGlite allows one ` +
        "process per directory: stop that process, or point RINGFENCE_DATA_DIR elsewhere.",
    );
  }
}

/** A held lock; `release` is idempotent. */
export interface DirectoryLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the exclusive lock file `<dataDir>.lock`, which holds the owner's pid. The file sits
 * beside the directory rather than in it, so PGlite never sees a stranger in its data folder.
 * A lock whose pid is no longer alive is stale and is taken over.
 */
export function lockDataDirectory(dataDir: string): DirectoryLock {
  const path = `${dataDir}.lock`;
  mkdirSync(dirname(path), { recursive: true });

  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) return heldLock(path);

    const owner = readOwner(path);
    if (owner !== undefined && isAlive(owner)) throw new DatabaseLockedError(dataDir, owner);

    // The owner died without cleaning up (or the file is unreadable garbage). Removing it and
    // retrying the exclusive create means only one of several racing openers can win.
    rmSync(path, { force: true });
  }
  throw new Error(`Could not take the lock ${path} after removing a stale lock three times.`);
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, "wx", 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  // A lock left by this very process (a second openDatabase on the same directory) is live too.
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function heldLock(path: string): DirectoryLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off("exit", release);
    if (readOwner(path) === process.pid) rmSync(path, { force: true });
  };
  process.on("exit", release);
  return { path, release };
}
