// Prepares database templates once per test run, so each test file gets a fresh database
// without paying initdb (~3 s on PGlite) or the migrations again:
// - PGlite: a migrated data folder that each test file copies;
// - PostgreSQL (TEST_DATABASE_URL set): a migrated template database cloned per test file.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../db/client.server";
import { migrateDatabase } from "../../db/migrate.server";
import { importOpenData } from "../../app/import/open-data.server";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
    postgresTemplateDb: string;
    pgliteDataTemplateDir: string;
    postgresDataTemplateDb: string;
  }
}

const projectRoot = path.resolve(import.meta.dirname, "../..");

/** Runs `work` holding `.cache/build.lock` (a directory; one left by a crashed run expires after 10 minutes). */
async function withBuildLock(work: () => void): Promise<void> {
  const lock = path.join(projectRoot, ".cache", "build.lock");
  await fs.mkdir(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      await fs.mkdir(lock);
      break;
    } catch {
      const age = Date.now() - ((await fs.stat(lock).catch(() => null))?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) await fs.rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`build lock ${lock} held for too long`);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    work();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject) {
  // Build once, before any test file starts a server (parallel builds would race). Two test runs
  // started at once on one checkout (a developer's and an editor's) take turns through a lock.
  await withBuildLock(() => {
    const build = spawnSync(path.join(projectRoot, "node_modules", ".bin", "remix"), ["build"], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (build.status !== 0) throw new Error(`remix build failed:\n${build.stdout}\n${build.stderr}`);
  });

  const root = await fs.mkdtemp(path.join(os.tmpdir(), "portal-test-"));
  const pgliteTemplateDir = path.join(root, "template");
  const handle = await openDatabase({ url: "", pgliteDir: pgliteTemplateDir });
  await migrateDatabase(handle);
  await handle.close();
  project.provide("pgliteTemplateDir", pgliteTemplateDir);
  // A second template with the bundled open data imported, for route and browser tests.
  const pgliteDataTemplateDir = path.join(root, "template-data");
  await fs.cp(pgliteTemplateDir, pgliteDataTemplateDir, { recursive: true });
  const dataHandle = await openDatabase({ url: "", pgliteDir: pgliteDataTemplateDir });
  await importOpenData(dataHandle);
  await dataHandle.close();
  project.provide("pgliteDataTemplateDir", pgliteDataTemplateDir);

  let postgresTemplateDb = "";
  let postgresDataTemplateDb = "";
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl && project.name === "postgres") {
    postgresTemplateDb = `portal_tpl_${process.pid}_${Date.now()}`;
    const admin = await openDatabase({ url: serverUrl });
    await admin.execute(`CREATE DATABASE ${postgresTemplateDb}`);
    await admin.close();
    const template = await openDatabase({ url: withDatabase(serverUrl, postgresTemplateDb) });
    await migrateDatabase(template);
    await template.close();
    postgresDataTemplateDb = `${postgresTemplateDb}_data`;
    const admin2 = await openDatabase({ url: serverUrl });
    await admin2.execute(`CREATE DATABASE ${postgresDataTemplateDb} TEMPLATE ${postgresTemplateDb}`);
    await admin2.close();
    const dataTemplate = await openDatabase({ url: withDatabase(serverUrl, postgresDataTemplateDb) });
    await importOpenData(dataTemplate);
    await dataTemplate.close();
  }
  project.provide("postgresTemplateDb", postgresTemplateDb);
  project.provide("postgresDataTemplateDb", postgresDataTemplateDb);

  return async () => {
    await fs.rm(root, { recursive: true, force: true });
    if (serverUrl && postgresTemplateDb) {
      const admin = await openDatabase({ url: serverUrl });
      await admin.execute(`DROP DATABASE IF EXISTS ${postgresDataTemplateDb} WITH (FORCE)`);
      await admin.execute(`DROP DATABASE IF EXISTS ${postgresTemplateDb} WITH (FORCE)`);
      await admin.close();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
