// The one database client of this process: PostgreSQL through `postgres` when DATABASE_URL is
// set, otherwise PGlite (PostgreSQL in WebAssembly) in a local folder. Kept on globalThis so the
// Remix bundle, the start script and dev reloads share it (see docs/decisions/002-embedded-database.md).
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The database or an open transaction: query functions that may run inside a caller's transaction take this. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  engine: "pglite" | "postgres";
  /** Where the data lives: the PGlite folder or the server's host/database (no password). */
  location: string;
  close(): Promise<void>;
  /** Run raw SQL (used by health checks and tests). */
  execute(sqlText: string): Promise<void>;
}

const GLOBAL_KEY = "__chiikiPortalDatabase";
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<DatabaseHandle> };

export function defaultPgliteDir(): string {
  return path.resolve(process.env.PGLITE_DIR ?? path.join(process.cwd(), ".data", "pglite"));
}

/** Opens a handle without touching the process-wide one (scripts and tests use this). */
export async function openDatabase(options: { url?: string; pgliteDir?: string } = {}): Promise<DatabaseHandle> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url);
  return openPglite(options.pgliteDir ?? defaultPgliteDir());
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client: Sql = postgres(url, {
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    onnotice: () => {},
    connection: { application_name: "chiiki-portal" },
  });
  const db = drizzle(client, { schema }) as unknown as Database;
  const parsed = new URL(url);
  return {
    db,
    engine: "postgres",
    location: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    close: () => client.end({ timeout: 5 }),
    execute: async (sqlText) => {
      await client.unsafe(sqlText);
    },
  };
}

async function openPglite(dir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client: PGlite = await PGlite.create(dir);
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    engine: "pglite",
    location: dir,
    close: () => client.close(),
    execute: async (sqlText) => {
      await client.exec(sqlText);
    },
  };
}

/** The process-wide handle, opened on first use. */
export function getDatabase(): Promise<DatabaseHandle> {
  const g = globalThis as GlobalWithDb;
  g[GLOBAL_KEY] ??= openDatabase();
  return g[GLOBAL_KEY];
}

/** Installs an already opened handle as the process-wide one (the start script and tests). */
export function setDatabase(handle: DatabaseHandle): void {
  (globalThis as GlobalWithDb)[GLOBAL_KEY] = Promise.resolve(handle);
}

export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const pending = g[GLOBAL_KEY];
  g[GLOBAL_KEY] = undefined;
  if (pending) await (await pending).close();
}
