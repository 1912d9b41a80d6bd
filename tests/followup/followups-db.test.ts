// 定着支援 in the database: the plan is generated once per placement, recorded contacts keep their
// notes encrypted (ciphertext checked with raw SQL), the dashboard lists only visible people's
// contacts by bucket, falling evaluations are flagged, and 終了 schedules light contacts.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { consentEvents, people, personAssignments, placements, resources } from "../../db/schema";
import { dueContacts, fallingPlacements, followUpsOfPerson, planFollowUps, planPostTermination, recordFollowUp } from "../../app/followup/followups.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, type TestUser } from "../accounts/helpers";

let handle: TestDatabase;
let staffA: TestUser;
let staffB: TestUser;
let personId: number;
let placementId: number;

beforeAll(async () => {
  handle = await createTestDatabase();
  const { db } = handle;
  staffA = await makeUser(db, { role: "staff", totp: true });
  staffB = await makeUser(db, { role: "staff", totp: true });
  const [resource] = await db.insert(resources).values({ name: "テスト地域活動支援センター", kind: "chiiki_katsudo" }).returning({ id: resources.id });
  const [person] = await db.insert(people).values({ caseNumber: "2026-0001", name: "テスト 花子" }).returning({ id: people.id });
  personId = person!.id;
  await db.insert(personAssignments).values({ personId, userId: staffA.id });
  await db.insert(consentEvents).values({ personId, state: "agree", recordedOn: "2026-11-01" });
  const [placement] = await db.insert(placements).values({ personId, resourceId: resource!.id, status: "visit" }).returning({ id: placements.id });
  placementId = placement!.id;
});
afterAll(async () => {
  await handle?.cleanup();
});

describe("follow-ups", () => {
  test("a placement gets its two-sided plan once", async () => {
    const placement = { id: placementId, personId, followUpOffsets: null };
    // 1w, 2w, 1m, 2m, 3m, then every 3 months to 24 months: 12 dates, each with the person and the host.
    expect(await planFollowUps(handle.db, placement, "2026-12-01")).toBe(24);
    expect(await planFollowUps(handle.db, placement, "2026-12-05")).toBe(0);
  });

  test("the dashboard buckets the assigned staff's contacts; other staff see none", async () => {
    const due = await dueContacts(handle.db, { id: staffA.id, role: "staff" }, "2026-12-08");
    expect(due.map((d) => [d.dueOn, d.side, d.bucket])).toEqual([
      ["2026-12-08", "person", "today"],
      ["2026-12-08", "host", "today"],
      ["2026-12-15", "person", "this_week"],
      ["2026-12-15", "host", "this_week"],
    ]);
    expect(due[0]!.caseNumber).toBe("2026-0001");
    expect(due[0]!.resourceName).toBe("テスト地域活動支援センター");
    expect(await dueContacts(handle.db, { id: staffB.id, role: "staff" }, "2026-12-08")).toEqual([]);
    const later = await dueContacts(handle.db, { id: staffA.id, role: "staff" }, "2026-12-10");
    expect(later.filter((d) => d.bucket === "overdue")).toHaveLength(2);
  });

  test("a recorded contact stores its note encrypted and reads it back", async () => {
    const [first] = await followUpsOfPerson(handle.db, personId);
    const ok = await recordFollowUp(handle.db, {
      followUpId: first!.id,
      personId,
      by: staffA.id,
      record: { doneOn: "2026-12-08", contactKind: "visit", withWhom: "本人", evaluation: { attendance: 4, relationships: 3, feeling: 3, hostView: 4 }, note: "初回の見学。緊張していたが最後まで参加。", issues: "送迎の時間" },
    });
    expect(ok).toBe(true);
    const raw = await handle.db.execute(sql`select note, issues from follow_ups where id = ${first!.id}`);
    const row = (Array.isArray(raw) ? raw[0] : (raw as { rows: Record<string, string>[] }).rows[0]) as { note: string; issues: string };
    expect(row.note.startsWith("enc:v1:")).toBe(true);
    expect(row.note).not.toContain("見学");
    expect(row.issues).not.toContain("送迎");
    const [read] = await followUpsOfPerson(handle.db, personId);
    expect(read!.note).toBe("初回の見学。緊張していたが最後まで参加。");
    expect(read!.status).toBe("done");
  });

  test("two consecutive lower つながり評価 flag the placement", async () => {
    const all = await followUpsOfPerson(handle.db, personId);
    const open = all.filter((f) => f.status === "planned" && f.side === "person");
    const record = (id: number, doneOn: string, v: number) =>
      recordFollowUp(handle.db, { followUpId: id, personId, by: staffA.id, record: { doneOn, contactKind: "phone", evaluation: { attendance: v, relationships: v, feeling: v, hostView: v } } });
    await record(open[0]!.id, "2026-12-15", 3);
    expect(await fallingPlacements(handle.db, { id: staffA.id, role: "staff" })).toEqual([]);
    await record(open[1]!.id, "2027-01-01", 2);
    const falling = await fallingPlacements(handle.db, { id: staffA.id, role: "staff" });
    expect(falling).toEqual([{ placementId, caseNumber: "2026-0001", resourceName: "テスト地域活動支援センター" }]);
    expect(await fallingPlacements(handle.db, { id: staffB.id, role: "staff" })).toEqual([]);
  });

  test("終了 cancels the open contacts and plans light contacts for a year", async () => {
    expect(await planPostTermination(handle.db, { personId, placementId, endedOn: "2027-03-31" })).toBe(4);
    const all = await followUpsOfPerson(handle.db, personId);
    expect(all.filter((f) => f.phase === "placement" && f.status === "planned")).toEqual([]);
    expect(all.filter((f) => f.phase === "post_termination").map((f) => f.dueOn)).toEqual(["2027-06-30", "2027-09-30", "2027-12-31", "2028-03-31"]);
  });
});
