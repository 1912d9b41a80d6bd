// Retention and purge: only expired closed cases go (open work keeps a case), the unmet-need
// aggregate survives without its person link, dry run changes nothing, and each purge leaves an
// audit trace with case numbers only.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, consentEvents, correctionReports, people, placements, resources, unmetNeeds } from "../../db/schema";
import { DEFAULT_RETENTION, getRetention, purgeExpired, setRetention } from "../../app/governance/retention.server";
import { verifyAuditChain } from "../../app/utils/audit.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser } from "../accounts/helpers";

let handle: TestDatabase;
const longAgo = new Date("2019-01-10T00:00:00Z");
const now = new Date("2026-12-01T00:00:00Z");

beforeAll(async () => {
  handle = await createTestDatabase();
  const { db } = handle;
  const [resource] = await db.insert(resources).values({ name: "サロン", kind: "salon" }).returning({ id: resources.id });
  const [oldClosed, oldOpen, recent] = await db
    .insert(people)
    .values([
      { caseNumber: "2019-0001", name: "古い終了ケース", createdAt: longAgo, updatedAt: longAgo },
      { caseNumber: "2019-0002", name: "古いが参加中", createdAt: longAgo, updatedAt: longAgo },
      { caseNumber: "2026-0003", name: "最近のケース" },
    ])
    .returning({ id: people.id });
  await db.insert(consentEvents).values([
    { personId: oldClosed!.id, state: "agree", recordedOn: "2019-01-10", createdAt: longAgo },
    { personId: oldOpen!.id, state: "agree", recordedOn: "2019-01-10", createdAt: longAgo },
  ]);
  await db.insert(placements).values([
    { personId: oldClosed!.id, resourceId: resource!.id, status: "ended", createdAt: longAgo, updatedAt: longAgo },
    { personId: oldOpen!.id, resourceId: resource!.id, status: "active", createdAt: longAgo, updatedAt: longAgo },
  ]);
  await db.insert(unmetNeeds).values({ personId: oldClosed!.id, kinds: ["salon"], area: "北部", needs: {}, createdAt: longAgo });
  await db.insert(correctionReports).values({ resourceId: resource!.id, message: "電話番号が違います", contact: "090-0000-0000", status: "closed", createdAt: longAgo });
  void recent;
});
afterAll(async () => {
  await handle?.cleanup();
});

test("retention is a setting with defaults", async () => {
  const admin = await makeUser(handle.db, { role: "admin", totp: true });
  expect(await getRetention(handle.db)).toEqual(DEFAULT_RETENTION);
  await setRetention(handle.db, { ...DEFAULT_RETENTION, closedCaseYears: 6 }, admin.id);
  expect((await getRetention(handle.db)).closedCaseYears).toBe(6);
  await setRetention(handle.db, DEFAULT_RETENTION, admin.id);
});

test("dry run reports and changes nothing", async () => {
  const report = await purgeExpired(handle.db, now, { dryRun: true });
  expect(report.closedCases).toEqual(["2019-0001"]);
  expect(report.correctionReports).toBe(1);
  expect(await handle.db.select({ id: people.id }).from(people)).toHaveLength(3);
});

test("purge removes the expired closed case only, keeps the unmet-need aggregate, and audits", async () => {
  const report = await purgeExpired(handle.db, now);
  expect(report).toMatchObject({ closedCases: ["2019-0001"], correctionReports: 1 });
  const remaining = (await handle.db.select({ caseNumber: people.caseNumber }).from(people)).map((r) => r.caseNumber).sort();
  expect(remaining).toEqual(["2019-0002", "2026-0003"]);
  const [need] = await handle.db.select().from(unmetNeeds);
  expect(need).toMatchObject({ personId: null, kinds: ["salon"], area: "北部" });
  expect(await handle.db.select().from(correctionReports)).toHaveLength(0);
  const trace = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "data.purge"), eq(auditLog.recordType, "person")));
  expect(trace.map((t) => t.recordId)).toEqual(["2019-0001"]);
  const logText = JSON.stringify(await handle.db.select().from(auditLog));
  expect(logText).not.toContain("古い終了ケース");
  expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  // Nothing more to do a second time.
  expect((await purgeExpired(handle.db, now)).closedCases).toEqual([]);
});
