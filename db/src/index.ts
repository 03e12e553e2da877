/**
 * `@ringfence/db`: the schema, the client factory and the demo seed. Services import tables from
 * here (`import { organizations } from "@ringfence/db"`) and receive a `Database`.
 */
export {
  type Database,
  type DatabaseConfig,
  DEFAULT_MIGRATIONS_FOLDER,
  openDatabase,
  type RingfenceDatabase,
  type Schema,
  type Transaction,
} from "./client.ts";
export { ID_PREFIXES, type IdPrefix, isId, newId } from "./ids.ts";
export { DatabaseLockedError, type DirectoryLock, lockDataDirectory } from "./lock.ts";
export { hashPassword, UNUSABLE_PASSWORD_HASH, verifyPassword } from "./password.ts";
export * from "./schema/index.ts";
export * as schema from "./schema/index.ts";
export * from "./seed/index.ts";
