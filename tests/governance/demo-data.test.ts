// `npm run seed:demo` casework: people in each consent state, placements at every lifecycle stage,
// overdue follow-ups on a staff dashboard, a plan awaiting a meeting, both kinds of meeting,
// sample venues labelled as such — created once.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { consentEvents, meetings, people, placements, plans, resources, sources } from "../../db/schema";
import { staffDashboard } from "../../app/followup/dashboard.server";
import { isoDate, tokyoNow } from "../../app/utils/schedule";
import { seedDemoAccounts, seedDemoData } from "../../scripts/seed-demo";
import { createTestDatabaseWithOpenData, type TestDatabase } from "../helpers/db";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabaseWithOpenData();
});
afterAll(async () => {
  await handle?.cleanup();
});

test("every screen has something to show, and a second run changes nothing", async () => {
  const accounts = await seedDemoAccounts(handle.db);
  const made = await seedDemoData(handle, accounts);
  expect(made).toHaveLength(6);

  const consents = await handle.db.execute(sql`select distinct on (person_id) state from consent_events order by person_id, id desc`);
  const states = new Set((Array.isArray(consents) ? consents : (consents as { rows: { state: string }[] }).rows).map((r) => (r as { state: string }).state));
  expect([...states].sort()).toEqual(["agree", "disagree", "unknown"]);
  const statuses = new Set((await handle.db.select({ status: placements.status }).from(placements)).map((p) => p.status));
  expect([...statuses].sort()).toEqual(["active", "ended", "proposed", "settled", "suspended", "trial", "visit"]);
  expect((await handle.db.select().from(plans)).map((p) => p.status)).toContain("draft");
  expect((await handle.db.select().from(meetings)).map((m) => m.kind).sort()).toEqual(["jusouteki", "support"]);
  const [sample] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(resources).innerJoin(sources, eq(sources.id, resources.sourceId)).where(eq(sources.key, "sample"));
  expect(Number(sample!.n)).toBeGreaterThan(10);

  const staff1 = accounts.find((a) => a.role === "staff")!;
  const [user] = await handle.db.execute(sql`select id from users where email = ${staff1.email}`).then((r) => (Array.isArray(r) ? r : (r as { rows: { id: number }[] }).rows) as { id: number }[]);
  const board = await staffDashboard(handle.db, { actor: { id: user!.id, role: "staff" }, today: isoDate(tokyoNow(new Date()).date) });
  expect(board.overdue.length).toBeGreaterThan(0);
  expect(board.plansDue.length).toBeGreaterThan(0);

  expect(await seedDemoData(handle, accounts)).toEqual([]);
  expect(await handle.db.select({ id: people.id }).from(people)).toHaveLength(6);
  expect((await handle.db.select({ id: consentEvents.id }).from(consentEvents)).length).toBe(6);
});
