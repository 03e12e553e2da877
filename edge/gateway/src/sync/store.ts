import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * A directory of small JSON files written atomically (write to a temporary file, then rename),
 * so a crash mid-write leaves the previous good copy in place.
 */
export class StateStore {
  constructor(readonly dir: string) {}

  async read(name: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, name), "utf8"));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new Error(`state file ${name} in ${this.dir} is unreadable`, { cause: error });
    }
  }

  async write(name: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = path.join(this.dir, name);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(value), { mode: 0o600 });
    await rename(temporary, target);
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
