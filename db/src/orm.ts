/**
 * drizzle-orm as this package resolves it. Other packages import query operators from here
 * (`import { and, eq } from "@ringfence/db/orm"`) rather than from their own drizzle-orm, because
 * pnpm can resolve two copies with different peers, and a column of one copy is not a column to
 * the operators of the other.
 */
export * from "drizzle-orm";
export type { PgColumn, PgTable } from "drizzle-orm/pg-core";
