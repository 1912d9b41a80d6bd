// An alert row in the audit log when one user reads more person records than the hourly limit:
// once per hour, counted per distinct record, and the chain stays valid.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog } from "../../db/schema";
import { recordAudit, verifyAuditChain } from "../../app/utils/audit.server";
import { resetEnvCache } from "../../app/utils/env.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

let handle: TestDatabase;
beforeAll(async () => {
  process.env.PERSON_READ_ALERT_PER_HOUR = "3";
  resetEnvCache();
  handle = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.PERSON_READ_ALERT_PER_HOUR;
  resetEnvCache();
  await handle?.cleanup();
});

const read = (actorId: number, record: string, at: Date) =>
  recordAudit(handle.db, { action: "person.read", actor: { id: actorId, role: "staff" }, recordType: "person", recordId: record, purpose: "ケース記録の閲覧", at });

const alertsOf = (actorId: number) => handle.db.select().from(auditLog).where(and(eq(auditLog.action, "alert.bulk-read"), eq(auditLog.actorUserId, actorId)));

test("the read that crosses the limit raises one alert; re-reading the same record does not count twice", async () => {
  const t0 = new Date("2026-12-01T01:00:00Z");
  const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
  for (let i = 0; i < 5; i++) await read(7, "2026-0001", minutes(i));
  await read(7, "2026-0002", minutes(6));
  await read(7, "2026-0003", minutes(7));
  expect(await alertsOf(7)).toHaveLength(0);
  await read(7, "2026-0004", minutes(8));
  const alerts = await alertsOf(7);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.recordId).toBe("4件/1時間");
  await read(7, "2026-0005", minutes(9));
  expect(await alertsOf(7)).toHaveLength(1);
  // Another user's reads are counted apart; an hour later the count starts again.
  await read(8, "2026-0001", minutes(10));
  expect(await alertsOf(8)).toHaveLength(0);
  for (const [i, record] of ["2026-0011", "2026-0012", "2026-0013", "2026-0014"].entries()) await read(7, record, minutes(80 + i));
  expect(await alertsOf(7)).toHaveLength(2);
  expect((await verifyAuditChain(handle.db)).ok).toBe(true);
});
