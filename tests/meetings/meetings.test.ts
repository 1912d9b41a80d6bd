// Meetings in the database: members, the pledge before any case label beyond the case number, the
// 支援会議 taking cases without consent, the 重層的支援会議 refusing them and building its agenda
// from plans (同意 only), and every view audited with the meeting as purpose.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, consentEvents, people, personAssignments, plans, unmetNeeds } from "../../db/schema";
import { acceptPledge, addCase, addMember, buildJusoutekiAgenda, createMeeting, meetingView, readMeetingCase } from "../../app/meetings/meetings.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, type TestUser } from "../accounts/helpers";

let handle: TestDatabase;
let staffA: TestUser;
let staffB: TestUser;
let staffC: TestUser;
let admin: TestUser;
const actorOf = (u: TestUser) => ({ id: u.id, role: u.role });

async function makePerson(caseNumber: string, kana: string, consent: "agree" | "disagree" | "unknown") {
  const [person] = await handle.db.insert(people).values({ caseNumber, name: `氏名${caseNumber}`, nameKana: kana }).returning({ id: people.id });
  await handle.db.insert(personAssignments).values({ personId: person!.id, userId: staffA.id });
  await handle.db.insert(consentEvents).values({ personId: person!.id, state: consent, recordedOn: "2026-11-01" });
  return person!.id;
}

beforeAll(async () => {
  handle = await createTestDatabase();
  [staffA, staffB, staffC, admin] = await Promise.all([
    makeUser(handle.db, { role: "staff", totp: true }),
    makeUser(handle.db, { role: "staff", totp: true }),
    makeUser(handle.db, { role: "staff", totp: true }),
    makeUser(handle.db, { role: "admin", totp: true }),
  ]);
});
afterAll(async () => {
  await handle?.cleanup();
});

describe("支援会議", () => {
  test("a case without consent is shared with members only after their pledge", async () => {
    await makePerson("2026-0001", "たなか じろう", "disagree");
    const meetingId = await createMeeting(handle.db, { actor: actorOf(admin), meeting: { kind: "support", heldOn: "2026-12-03", title: "第3回支援会議" } });
    await addMember(handle.db, { actor: actorOf(admin), meetingId, member: { userId: staffA.id } });
    await addMember(handle.db, { actor: actorOf(admin), meetingId, member: { userId: staffB.id } });
    await addMember(handle.db, { actor: actorOf(admin), meetingId, member: { externalName: "民生委員 佐藤", externalOrganisation: "北地区民生委員児童委員協議会" } });

    // The admin cannot see a 不同意 person in casework, so cannot put them on the agenda; staff A can.
    expect((await addCase(handle.db, { actor: actorOf(admin), meetingId, caseNumber: "2026-0001", reason: "discussion" })).kind).toBe("not-found");
    expect((await addCase(handle.db, { actor: actorOf(staffA), meetingId, caseNumber: "2026-0001", reason: "discussion" })).kind).toBe("ok");

    const before = await meetingView(handle.db, { actor: actorOf(staffB), meetingId });
    expect(before!.cases).toEqual([expect.objectContaining({ caseNumber: "2026-0001", label: "（2026-0001）", visible: false })]);
    expect(before!.cases[0]!.hiddenReason).toContain("守秘義務の誓約");
    expect(JSON.stringify(before)).not.toContain("たなか");
    expect(JSON.stringify(before)).not.toContain("氏名2026-0001");

    const caseId = before!.cases[0]!.caseId;
    expect((await readMeetingCase(handle.db, { actor: actorOf(staffB), meetingId, caseId })).kind).toBe("not-found");

    expect(await acceptPledge(handle.db, { actor: actorOf(staffB), meetingId })).toBe(true);
    const opened = await readMeetingCase(handle.db, { actor: actorOf(staffB), meetingId, caseId });
    expect(opened.kind === "ok" && opened.value).toMatchObject({ label: "T.J.（2026-0001）", consent: "disagree", reason: "discussion", birthYear: null });
    expect(JSON.stringify(opened)).not.toContain("氏名2026-0001");
    const caseReads = await handle.db.select().from(auditLog).where(eq(auditLog.action, "meeting.case.read"));
    expect(caseReads.map((r) => [r.outcome, r.purpose])).toEqual([
      ["denied", "支援会議 2026-12-03"],
      ["success", "支援会議 2026-12-03"],
    ]);
    expect((await readMeetingCase(handle.db, { actor: actorOf(staffC), meetingId, caseId })).kind).toBe("not-found");
    const after = await meetingView(handle.db, { actor: actorOf(staffB), meetingId });
    expect(after!.cases[0]).toMatchObject({ visible: true, label: "T.J.（2026-0001）" });
    // Staff A, assigned, sees the name once pledged.
    await acceptPledge(handle.db, { actor: actorOf(staffA), meetingId });
    expect((await meetingView(handle.db, { actor: actorOf(staffA), meetingId }))!.cases[0]!.label).toBe("氏名2026-0001（2026-0001）");

    // Not a member: nothing at all.
    expect(await meetingView(handle.db, { actor: actorOf(staffC), meetingId })).toBeNull();

    const reads = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "meeting.read"), eq(auditLog.recordId, String(meetingId))));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads[0]!.purpose).toBe("支援会議 2026-12-03");
  });
});

describe("重層的支援会議", () => {
  test("refuses cases without 同意 and builds its agenda from plans that need it", async () => {
    const agreeId = await makePerson("2026-0002", "すずき はな", "agree");
    const unknownId = await makePerson("2026-0003", "やまだ たろう", "unknown");
    const steadyId = await makePerson("2026-0004", "いとう みき", "agree");
    await handle.db.insert(plans).values([
      { personId: agreeId, status: "draft" },
      { personId: unknownId, status: "draft" },
      { personId: steadyId, status: "in_progress", nextReviewOn: "2027-06-01" },
    ]);
    await handle.db.insert(unmetNeeds).values({ personId: agreeId, kinds: ["salon"], wants: ["ibasho"], area: "北部", needs: {} });
    const meetingId = await createMeeting(handle.db, { actor: actorOf(admin), meeting: { kind: "jusouteki", heldOn: "2026-12-10", title: "いちばんいい会議" } });
    const refused = await addCase(handle.db, { actor: actorOf(staffA), meetingId, caseNumber: "2026-0003", reason: "evaluation" });
    expect(refused.kind === "refused" && refused.error.message).toContain("同意");

    expect(await buildJusoutekiAgenda(handle.db, { actor: actorOf(admin), meetingId })).toBe(1);
    expect(await buildJusoutekiAgenda(handle.db, { actor: actorOf(admin), meetingId })).toBe(0);
    const view = await meetingView(handle.db, { actor: actorOf(admin), meetingId });
    expect(view!.cases.map((c) => [c.caseNumber, c.reason, c.visible])).toEqual([["2026-0002", "evaluation", true]]);
    // The admin may see 同意 people outside the meeting: the name is shown.
    expect(view!.cases[0]!.label).toBe("氏名2026-0002（2026-0002）");
    expect(view!.unmetNeeds!.rows.some((r) => r.area === "北部" && r.code === "salon" && r.waiting === 1)).toBe(true);
    expect(JSON.stringify(view!.unmetNeeds)).not.toContain("2026-0002");

    // Revoking consent hides the case from the 重層的支援会議 at once.
    const caseId = view!.cases[0]!.caseId;
    expect((await readMeetingCase(handle.db, { actor: actorOf(admin), meetingId, caseId })).kind).toBe("ok");
    await handle.db.insert(consentEvents).values({ personId: agreeId, state: "disagree", recordedOn: "2026-12-05" });
    expect((await readMeetingCase(handle.db, { actor: actorOf(admin), meetingId, caseId })).kind).toBe("not-found");
    expect((await meetingView(handle.db, { actor: actorOf(admin), meetingId }))!.cases[0]).toMatchObject({ visible: false, label: "（2026-0002）" });
  });

  test("staff cannot create meetings", async () => {
    await expect(createMeeting(handle.db, { actor: actorOf(staffA), meeting: { kind: "support", heldOn: "2026-12-03", title: "x" } })).rejects.toThrow(/管理者/);
  });
});
