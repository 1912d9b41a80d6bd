// The staff dashboard with a controllable clock: overdue / today / this week, falling evaluations,
// the settled proposal, plans needing a meeting; another staff member sees and counts nothing; the
// page renders case numbers, never names, and the list read is audited.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, consentEvents, followUps, people, personAssignments, placements, plans, resources } from "../../db/schema";
import { setDatabase } from "../../db/client.server";
import { staffDashboard } from "../../app/followup/dashboard.server";
import { planFollowUps } from "../../app/followup/followups.server";
import { recordAttendance } from "../../app/followup/attendance.server";
import { todayInTokyo } from "../../app/people/people.server";
import { loader } from "~/routes/staff._index";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, signIn, type TestUser } from "../accounts/helpers";
import { args, get } from "../people/helpers";

let handle: TestDatabase;
let staffA: TestUser;
let staffB: TestUser;
let settledPlacement: number;
let fallingPlacement: number;

beforeAll(async () => {
  handle = await createTestDatabase();
  const { db } = handle;
  staffA = await makeUser(db, { role: "staff", totp: true });
  staffB = await makeUser(db, { role: "staff", totp: true });
  const [salon, centre] = await db.insert(resources).values([{ name: "みなとサロン", kind: "salon" }, { name: "ひだまりセンター", kind: "chiiki_katsudo" }]).returning({ id: resources.id });
  const [p1, p2] = await db.insert(people).values([{ caseNumber: "2026-0001", name: "名前 一" }, { caseNumber: "2026-0002", name: "名前 二" }]).returning({ id: people.id });
  for (const p of [p1!, p2!]) {
    await db.insert(personAssignments).values({ personId: p.id, userId: staffA.id });
    await db.insert(consentEvents).values({ personId: p.id, state: "agree", recordedOn: "2026-01-01" });
  }
  const [a, b] = await db
    .insert(placements)
    .values([
      { personId: p1!.id, resourceId: salon!.id, status: "active" },
      { personId: p2!.id, resourceId: centre!.id, status: "active" },
    ])
    .returning({ id: placements.id });
  settledPlacement = a!.id;
  fallingPlacement = b!.id;
  await planFollowUps(db, { id: settledPlacement, personId: p1!.id, followUpOffsets: null }, "2026-09-01");
  const good = { attendance: 4, relationships: 3, feeling: 3, hostView: 4 };
  await db.insert(followUps).values([
    { personId: p1!.id, placementId: settledPlacement, side: "person", dueOn: "2026-09-08", status: "done", doneOn: "2026-09-08", evaluation: good },
    { personId: p1!.id, placementId: settledPlacement, side: "person", dueOn: "2026-12-01", status: "done", doneOn: "2026-12-01", evaluation: good },
    { personId: p2!.id, placementId: fallingPlacement, side: "person", dueOn: "2026-10-01", status: "done", doneOn: "2026-10-01", evaluation: { attendance: 4, feeling: 4 } },
    { personId: p2!.id, placementId: fallingPlacement, side: "person", dueOn: "2026-11-01", status: "done", doneOn: "2026-11-01", evaluation: { attendance: 3, feeling: 3 } },
    { personId: p2!.id, placementId: fallingPlacement, side: "host", dueOn: "2026-11-15", status: "done", doneOn: "2026-11-15", evaluation: { attendance: 2, hostView: 2 } },
  ]);
  await db.insert(plans).values([{ personId: p1!.id, status: "draft" }, { personId: p2!.id, status: "in_progress", nextReviewOn: "2026-12-20" }]);
});
afterAll(async () => {
  await handle?.cleanup();
});

test("what is due, falling, settled and waiting for a meeting, for the assigned staff only", async () => {
  const board = await staffDashboard(handle.db, { actor: { id: staffA.id, role: "staff" }, today: "2026-12-08" });
  // The plan from 2026-09-01: 1w, 2w, 1m, 2m, 3m (= 12-01), … — 12-01 is overdue, both sides.
  expect(board.overdue.map((c) => [c.caseNumber, c.dueOn, c.side])).toContainEqual(["2026-0001", "2026-12-01", "host"]);
  expect(board.dueToday).toEqual([]);
  expect(board.falling.map((f) => f.placementId)).toEqual([fallingPlacement]);
  expect(board.settledProposals.map((s) => s.placementId)).toEqual([settledPlacement]);
  expect(board.plansDue.map((p) => [p.caseNumber, p.status])).toEqual([
    ["2026-0002", "in_progress"],
    ["2026-0001", "draft"],
  ]);
  const other = await staffDashboard(handle.db, { actor: { id: staffB.id, role: "staff" }, today: "2026-12-08" });
  expect([other.overdue, other.dueToday, other.thisWeek, other.falling, other.plansDue, other.settledProposals].every((list) => list.length === 0)).toBe(true);
});

test("a recorded 来なかった puts the placement on the dashboard until attendance is recorded again", async () => {
  const staff = { id: staffA.id, role: "staff" as const };
  expect((await recordAttendance(handle.db, { actor: { id: staffB.id, role: "staff" }, placementId: settledPlacement, on: "2026-12-05", attended: false })).kind).toBe("not-found");
  expect((await recordAttendance(handle.db, { actor: staff, placementId: settledPlacement, on: "2026-12-05", attended: false })).kind).toBe("ok");
  const board = await staffDashboard(handle.db, { actor: staff, today: "2026-12-08" });
  expect(board.missed).toEqual([{ placementId: settledPlacement, caseNumber: "2026-0001", resourceName: "みなとサロン", missedOn: "2026-12-05" }]);
  await recordAttendance(handle.db, { actor: staff, placementId: settledPlacement, on: "2026-12-07", attended: true });
  expect((await staffDashboard(handle.db, { actor: staff, today: "2026-12-08" })).missed).toEqual([]);
  expect((await staffDashboard(handle.db, { actor: { id: staffB.id, role: "staff" }, today: "2026-12-08" })).missed).toEqual([]);
});

test("the page lists case numbers, never names, and audits the list read", async () => {
  setDatabase(handle);
  const session = await signIn(handle.db, staffA, { twoFactorVerified: true });
  const data = (await loader(args(get("/staff", session)))) as Awaited<ReturnType<typeof loader>>;
  expect(data.today).toBe(todayInTokyo());
  expect(JSON.stringify(data)).not.toContain("名前");
  const rows = await handle.db.select().from(auditLog).where(eq(auditLog.action, "person.list"));
  expect(rows.at(-1)).toMatchObject({ actorUserId: staffA.id, purpose: "ダッシュボード（定着支援・プラン）" });
});
