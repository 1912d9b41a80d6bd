// /admin/settings: administrators change retention and the settled rule; bad values are 400 with
// field errors and change nothing; each change is audited; the dashboard uses the new rule.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog } from "../../db/schema";
import { setDatabase } from "../../db/client.server";
import { getRetention } from "../../app/governance/retention.server";
import { getSettledRule } from "../../app/governance/settings.server";
import { action, loader } from "~/routes/admin.settings";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { args, get, post } from "../people/helpers";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
  setDatabase(handle);
});
afterAll(async () => {
  await handle?.cleanup();
});

test("an administrator changes the retention and the settled rule; bad values change nothing", async () => {
  const admin = await makeUser(handle.db, { role: "admin", totp: true });
  const session = await signIn(handle.db, admin, { twoFactorVerified: true });
  const page = (await loader(args(get("/admin/settings", session)))) as Awaited<ReturnType<typeof loader>>;
  expect(page.settledRule).toEqual({ threshold: 3, months: 3 });

  const bad = await outcome(() => action(args(post("/admin/settings", session, [["intent", "settled"], ["threshold", "5"], ["months", "半年"]]))));
  expect(bad.status).toBe(400);
  expect((bad.data.errors as Record<string, string[]>).threshold?.[0]).toContain("1〜4");
  expect(await getSettledRule(handle.db)).toEqual({ threshold: 3, months: 3 });

  const ok = await outcome(() => action(args(post("/admin/settings", session, [["intent", "settled"], ["threshold", "2.5"], ["months", "6"]]))));
  expect(ok.status).toBe(200);
  expect(await getSettledRule(handle.db)).toEqual({ threshold: 2.5, months: 6 });

  const retention = await outcome(() =>
    action(args(post("/admin/settings", session, [["intent", "retention"], ["closedCaseYears", "7"], ["unmetNeedLinkYears", "3"], ["correctionReportDays", "365"], ["readNotificationDays", "90"], ["rateLimitDays", "2"]])))
  );
  expect(retention.status).toBe(200);
  expect(await getRetention(handle.db)).toMatchObject({ closedCaseYears: 7, readNotificationDays: 90 });
  const audited = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "settings.update"), eq(auditLog.actorUserId, admin.id)));
  expect(audited.map((a) => a.recordId).sort()).toEqual(["retention", "settled_rule"]);
});
