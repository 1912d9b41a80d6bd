// A fresh, migrated, empty database per call: a copy of the PGlite template folder, or a clone of
// the PostgreSQL template database when TEST_DATABASE_URL is set (CI runs both engines).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client.server";
import { withDatabase } from "../setup/global-setup";

export type TestDatabase = DatabaseHandle & { cleanup(): Promise<void> };

let counter = 0;

/** Which engine this test project runs on (set per project in vitest.config.ts). */
export function testEngine(): "pglite" | "postgres" {
  return process.env.PORTAL_TEST_ENGINE === "postgres" ? "postgres" : "pglite";
}

/** A fresh database holding the bundled open data (imported once per run into a template). */
export function createTestDatabaseWithOpenData(): Promise<TestDatabase> {
  return createTestDatabase({ withOpenData: true });
}

export async function createTestDatabase(options: { withOpenData?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (testEngine() === "postgres" && serverUrl) {
    const template = inject(options.withOpenData ? "postgresDataTemplateDb" : "postgresTemplateDb");
    const name = `portal_t_${process.pid}_${Date.now()}_${counter++}`;
    const admin = await openDatabase({ url: serverUrl });
    await admin.execute(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.close();
    const handle = await openDatabase({ url: withDatabase(serverUrl, name) });
    return {
      ...handle,
      async cleanup() {
        await handle.close();
        const dropper = await openDatabase({ url: serverUrl });
        await dropper.execute(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.close();
      },
    };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "portal-db-"));
  await fs.cp(inject(options.withOpenData ? "pgliteDataTemplateDir" : "pgliteTemplateDir"), dir, { recursive: true });
  const handle = await openDatabase({ url: "", pgliteDir: dir });
  return {
    ...handle,
    async cleanup() {
      await handle.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
