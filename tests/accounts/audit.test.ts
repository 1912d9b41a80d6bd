// The audit log: a hash chain that concurrent writers keep intact, rows nobody can UPDATE or
// DELETE (the trigger for everyone; the grants for the app role portal_app), and a verifier that
// names a deleted or edited row, also as the scripts/verify-audit.ts command.
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { setDatabase } from "../../db/client.server";
import { auditLog } from "../../db/schema";
import { createTestDatabase, testEngine, type TestDatabase } from "../helpers/db";
import { getRequest, makeUser, outcome, signIn } from "./helpers";
import { loader as auditLoader } from "~/routes/admin.audit";
import { recordAudit, verifyAuditChain } from "~/utils/audit.server";

const root = path.resolve(import.meta.dirname, "../..");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
});
afterAll(async () => {
  await database?.cleanup();
});

/** Rows of db.execute on either driver (postgres-js gives an array, PGlite an object with rows). */
function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];
}

const ROLLBACK = "rolled back on purpose";

/** Runs statements in one transaction as portal_app (SET LOCAL ROLE), always rolled back; the error message or "". */
async function asAppRole(statements: string[]): Promise<string> {
  try {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw("SET LOCAL ROLE portal_app"));
      for (const statement of statements) await tx.execute(sql.raw(statement));
      throw new Error(ROLLBACK);
    });
  } catch (error) {
    const message = error instanceof Error ? `${error.message} ${(error as { cause?: Error }).cause?.message ?? ""}` : String(error);
    return message.includes(ROLLBACK) ? "" : message;
  }
  return "";
}

async function sqlError(statement: string): Promise<string> {
  try {
    await database.execute(statement);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return "";
}

test("concurrent writers keep one unbroken chain", async () => {
  const before = await verifyAuditChain(database.db);
  await Promise.all(
    Array.from({ length: 30 }, (_, i) => recordAudit(database.db, { action: "auth.login", outcome: i % 3 === 0 ? "failure" : "success", recordType: "user", recordId: i, requestId: `req-${i}` })),
  );
  const after = await verifyAuditChain(database.db);
  expect(after.problems).toEqual([]);
  expect(after.ok).toBe(true);
  expect(after.rows).toBe(before.rows + 30);
});

test("UPDATE, DELETE and TRUNCATE are refused by the trigger, even for the table owner", async () => {
  await recordAudit(database.db, { action: "auth.logout", recordType: "session", recordId: 1 });
  expect(await sqlError("UPDATE audit_log SET purpose = 'edited' WHERE seq = 1")).toMatch(/append-only/);
  expect(await sqlError("DELETE FROM audit_log WHERE seq = 1")).toMatch(/append-only/);
  expect(await sqlError("TRUNCATE audit_log")).toMatch(/append-only/);
  expect((await verifyAuditChain(database.db)).ok).toBe(true);
});

test("the app role portal_app may INSERT and SELECT the audit log but has no UPDATE or DELETE grant", async () => {
  // On PostgreSQL this is the privilege check itself (before any trigger); PGlite has roles too.
  const denied = /permission denied for (table|relation) audit_log/;
  expect(await asAppRole(["UPDATE audit_log SET purpose = 'x'"])).toMatch(denied);
  expect(await asAppRole(["DELETE FROM audit_log"])).toMatch(denied);
  expect(await asAppRole(["TRUNCATE audit_log"])).toMatch(denied);
  // Reading and appending work for the app role, and so do the other tables it needs.
  expect(
    await asAppRole([
      "SELECT count(*) FROM audit_log",
      "INSERT INTO audit_log (seq, at, action, outcome, prev_hash, hash) VALUES (999999, now(), 'probe', 'success', 'x', 'y')",
      "UPDATE sessions SET last_seen_at = now() WHERE false",
      "DELETE FROM rate_limit_events WHERE false",
    ]),
  ).toBe("");
  const [row] = rowsOf(
    await database.db.execute(sql`select
      has_table_privilege('portal_app', 'audit_log', 'INSERT') as can_insert,
      has_table_privilege('portal_app', 'audit_log', 'SELECT') as can_select,
      has_table_privilege('portal_app', 'audit_log', 'UPDATE') as can_update,
      has_table_privilege('portal_app', 'audit_log', 'DELETE') as can_delete`),
  );
  expect(row).toEqual({ can_insert: true, can_select: true, can_update: false, can_delete: false });
});

test("an edited row and a deleted row are found, with their seq, also by scripts/verify-audit.ts", async () => {
  const fresh = await createTestDatabase();
  let closed = false;
  try {
    for (let i = 0; i < 6; i++) await recordAudit(fresh.db, { action: "user.invite", recordType: "user", recordId: 100 + i });
    const edited = 3;
    const deleted = 5;
    // Tampering needs a superuser who first disables the trigger: exactly what the chain is for.
    await fresh.execute(
      `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
       UPDATE audit_log SET record_id = '999' WHERE seq = ${edited};
       DELETE FROM audit_log WHERE seq = ${deleted};
       ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;`,
    );
    const result = await verifyAuditChain(fresh.db);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toContain(`seq ${edited}: 内容がハッシュと一致しません`);
    expect(result.problems.join("\n")).toContain(`seq ${deleted} が欠落しています`);

    // The same through the command operators run: it exits 1 and names the rows.
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (testEngine() === "postgres") {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${fresh.location.split("/").pop()}`;
      env.DATABASE_URL = url.toString();
    } else {
      delete env.DATABASE_URL;
      env.PGLITE_DIR = fresh.location;
      await fresh.close(); // PGlite: one process per data folder
      closed = true;
    }
    const run = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/verify-audit.ts"], { cwd: root, env, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`seq ${edited}`);
    expect(run.stderr).toContain(`seq ${deleted}`);
  } finally {
    if (closed) await fs.rm(fresh.location, { recursive: true, force: true });
    else await fresh.cleanup();
  }
});

test("scripts/verify-audit.ts exits 0 on an intact chain and prints its head", async () => {
  const fresh = await createTestDatabase();
  let closed = false;
  try {
    for (let i = 0; i < 3; i++) await recordAudit(fresh.db, { action: "auth.login", recordType: "user", recordId: i });
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (testEngine() === "postgres") {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${fresh.location.split("/").pop()}`;
      env.DATABASE_URL = url.toString();
    } else {
      delete env.DATABASE_URL;
      env.PGLITE_DIR = fresh.location;
      await fresh.close();
      closed = true;
    }
    const run = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/verify-audit.ts"], { cwd: root, env, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/3 行/);
    expect(run.stdout).toMatch(/先頭 \(head\): 3:[0-9a-f]{64}/);
  } finally {
    if (closed) await fs.rm(fresh.location, { recursive: true, force: true });
    else await fresh.cleanup();
  }
});

test("deleting the newest rows is caught against a head recorded elsewhere", async () => {
  const fresh = await createTestDatabase();
  try {
    for (let i = 0; i < 4; i++) await recordAudit(fresh.db, { action: "auth.login", recordType: "user", recordId: i });
    const recorded = (await verifyAuditChain(fresh.db)).head!;
    await fresh.execute(
      `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete; DELETE FROM audit_log WHERE seq = ${recorded.seq}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;`,
    );
    expect((await verifyAuditChain(fresh.db)).ok).toBe(true); // invisible inside the chain…
    const anchored = await verifyAuditChain(fresh.db, { expectHead: recorded });
    expect(anchored.ok).toBe(false); // …but not against the anchor
  } finally {
    await fresh.cleanup();
  }
});

test("reading /admin/audit is itself audited, filters work, and staff may not read it", async () => {
  const fresh = await createTestDatabase();
  setDatabase(fresh);
  try {
    const admin = await makeUser(fresh.db, { role: "admin", totp: true });
    const session = await signIn(fresh.db, admin, { twoFactorVerified: true });
    await recordAudit(fresh.db, { action: "user.disable", actor: { id: admin.id, role: "admin" }, recordType: "user", recordId: 7 });
    await recordAudit(fresh.db, { action: "auth.login", actor: { id: admin.id, role: "admin" }, recordType: "session", recordId: 1 });
    const page = await outcome(() => auditLoader({ request: getRequest("/admin/audit?action=user.disable", session.cookie), params: {}, context: { requestId: "req-audit-read" } }));
    expect(page.status).toBe(200);
    const events = page.data.events as { action: string; record: string }[];
    expect(events).toHaveLength(1);
    expect(events[0].action).toBe("アカウントの停止");
    const [last] = await fresh.db.select().from(auditLog).orderBy(sql`seq desc`).limit(1);
    expect(last).toMatchObject({ action: "audit.read", actorUserId: admin.id, actorRole: "admin", recordType: "audit_log", requestId: "req-audit-read" });

    const bad = await outcome(() => auditLoader({ request: getRequest("/admin/audit?from=2026-13-45", session.cookie), params: {}, context: {} }));
    expect(bad.status).toBe(400);

    const staff = await makeUser(fresh.db, { role: "staff", totp: true });
    const staffSession = await signIn(fresh.db, staff, { twoFactorVerified: true });
    const refused = await outcome(() => auditLoader({ request: getRequest("/admin/audit", staffSession.cookie), params: {}, context: {} }));
    expect(refused.status).toBe(403);
    const [denial] = await fresh.db.select().from(auditLog).orderBy(sql`seq desc`).limit(1);
    expect(denial).toMatchObject({ action: "auth.access-denied", outcome: "denied", actorUserId: staff.id, recordId: "read:audit" });
  } finally {
    setDatabase(database);
    await fresh.cleanup();
  }
});

test("audit rows carry no e-mail addresses, passwords or tokens", async () => {
  const rows = await database.db.select().from(auditLog);
  for (const row of rows) {
    const text = JSON.stringify(row);
    expect(text).not.toMatch(/@|password|パスワード/);
  }
});
