// The meeting pages through their real loaders and actions, signed in with 2FA: a person in each
// consent state (同意 / 不同意 / 不明) × viewer (assigned staff who pledged, a member who has not,
// staff outside the meeting, the administrator who organises it) × meeting kind. What each sees on
// the agenda (a hidden case is its number only, not even initials), which case pages answer 200 or
// 404, that revoking consent hides a 重層的支援会議 case at once, coordinators' 403, and bad input
// refused with 400 and Japanese messages with nothing stored.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, meetingCases, meetingMembers, meetings, people, plans, planVersions } from "../../db/schema";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { createTestApp } from "../helpers/app";
import type { TestDatabase } from "../helpers/db";
import { args, assessmentFields, createCase, get, post, type Session } from "../people/helpers";
import { action as meetingAction, headers as meetingHeadersOf, loader as meetingLoader } from "~/routes/staff.meetings.$id";
import { loader as caseLoader } from "~/routes/staff.meetings.$id_.cases.$caseId";
import { loader as printLoader } from "~/routes/staff.meetings.$id_.print";
import { loader as listLoader } from "~/routes/staff.meetings._index";
import { action as newAction, loader as newLoader } from "~/routes/staff.meetings.new";
import { action as personAction } from "~/routes/staff.people.$id";
import { action as assessmentAction } from "~/routes/staff.people.$id_.assessment";
import { encryptField } from "~/utils/field-crypto.server";

let database: TestDatabase;
let staffA: Session; // assigned to every case, member of both meetings, pledges
let staffB: Session; // member of both meetings, has not pledged (at first)
let staffC: Session; // staff, not a member
let admin: Session; // organiser
let coordinator: Session;
let staffBId: number;
let staffCId: number;
let staffAId: number;

type Consent = "agree" | "disagree" | "unknown";
const PEOPLE: Record<Consent, { name: string; kana: string; initials: string; caseNumber: string }> = {
  agree: { name: "同意 花子", kana: "やまもと はなこ", initials: "Y.H.", caseNumber: "" },
  disagree: { name: "不同意 次郎", kana: "たなか じろう", initials: "T.J.", caseNumber: "" },
  unknown: { name: "不明 三郎", kana: "さとう さぶろう", initials: "S.S.", caseNumber: "" },
};
const CONSENTS: Consent[] = ["agree", "disagree", "unknown"];

async function createMeetingAs(session: Session, kind: "support" | "jusouteki", title: string): Promise<number> {
  const result = await outcome(() => newAction(args(post("/staff/meetings/new", session, [["kind", kind], ["heldOn", "2026-12-03"], ["title", title]]))));
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  return Number(/\/staff\/meetings\/(\d+)\?created=1$/.exec(result.headers.get("Location") ?? "")?.[1]);
}

function act(session: Session, meetingId: number, fields: [string, string][]) {
  return outcome(() => meetingAction(args(post(`/staff/meetings/${meetingId}`, session, fields), { id: String(meetingId) })));
}

async function view(session: Session, meetingId: number) {
  const result = await outcome(() => meetingLoader(args(get(`/staff/meetings/${meetingId}`, session), { id: String(meetingId) })));
  return result;
}

type CaseRow = { caseId: number; caseNumber: string; label: string; visible: boolean };
async function agenda(session: Session, meetingId: number): Promise<Map<string, CaseRow>> {
  const result = await view(session, meetingId);
  expect(result.status).toBe(200);
  return new Map((result.data.cases as CaseRow[]).map((c) => [c.caseNumber, c]));
}

async function caseStatus(session: Session, meetingId: number, caseId: number): Promise<number> {
  return (await outcome(() => caseLoader(args(get(`/staff/meetings/${meetingId}/cases/${caseId}`, session), { id: String(meetingId), caseId: String(caseId) })))).status;
}

let supportId: number;
let jusoutekiId: number;
const caseIds = { support: {} as Record<Consent, number>, jusouteki: {} as Record<Consent, number> };

beforeAll(async () => {
  database = await createTestApp();
  const a = await makeUser(database.db, { role: "staff", totp: true, organisation: "NPO法人みらい" });
  const b = await makeUser(database.db, { role: "staff", totp: true, organisation: "社会福祉協議会" });
  const c = await makeUser(database.db, { role: "staff", totp: true, organisation: "社会福祉協議会" });
  staffAId = a.id;
  staffBId = b.id;
  staffCId = c.id;
  staffA = await signIn(database.db, a, { twoFactorVerified: true });
  staffB = await signIn(database.db, b, { twoFactorVerified: true });
  staffC = await signIn(database.db, c, { twoFactorVerified: true });
  admin = await signIn(database.db, await makeUser(database.db, { role: "admin", totp: true }), { twoFactorVerified: true });
  coordinator = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
  for (const consent of CONSENTS) {
    PEOPLE[consent].caseNumber = await createCase(staffA, { name: PEOPLE[consent].name, nameKana: PEOPLE[consent].kana, consentState: consent });
  }

  // The organiser creates both meetings and adds staff A and B; staff C stays outside.
  supportId = await createMeetingAs(admin, "support", "第3回 支援会議");
  jusoutekiId = await createMeetingAs(admin, "jusouteki", "いちばんいい会議");
  for (const meetingId of [supportId, jusoutekiId]) {
    for (const userId of [staffAId, staffBId]) expect((await act(admin, meetingId, [["intent", "add-member"], ["userId", String(userId)]])).status).toBe(200);
  }
  // Staff A puts every case on the 支援会議, whatever the consent, before pledging.
  for (const consent of CONSENTS) {
    const added = await act(staffA, supportId, [["intent", "add-case"], ["caseNumber", PEOPLE[consent].caseNumber], ["reason", "discussion"]]);
    expect(added.status, JSON.stringify(added.data)).toBe(200);
  }
  expect((await act(staffA, supportId, [["intent", "pledge"]])).status).toBe(200);
  // The 重層的支援会議 takes the 同意 case only.
  expect((await act(staffA, jusoutekiId, [["intent", "add-case"], ["caseNumber", PEOPLE.agree.caseNumber], ["reason", "evaluation"]])).status).toBe(200);
  const supportAgenda = await agenda(staffA, supportId);
  const jusoutekiAgenda = await agenda(staffA, jusoutekiId);
  for (const consent of CONSENTS) caseIds.support[consent] = supportAgenda.get(PEOPLE[consent].caseNumber)!.caseId;
  caseIds.jusouteki.agree = jusoutekiAgenda.get(PEOPLE.agree.caseNumber)!.caseId;
}, 240_000);

afterAll(async () => {
  await database?.cleanup();
});

describe("重層的支援会議 refuses cases without 同意", () => {
  for (const consent of ["disagree", "unknown"] as const) {
    test(`a ${consent} case is refused with the Japanese reason, and nothing is stored`, async () => {
      const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingCases).where(eq(meetingCases.meetingId, jusoutekiId));
      const refused = await act(staffA, jusoutekiId, [["intent", "add-case"], ["caseNumber", PEOPLE[consent].caseNumber], ["reason", "evaluation"]]);
      expect(refused.status).toBe(409);
      expect(refused.data.message).toBe("重層的支援会議では、本人の同意（同意）がある事例だけを扱えます。同意がない場合は支援会議で検討してください。");
      expect((refused.data.errors as Record<string, string[]>).caseNumber).toHaveLength(1);
      const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingCases).where(eq(meetingCases.meetingId, jusoutekiId));
      expect(after[0]!.n).toBe(before[0]!.n);
    });
  }
});

describe("支援会議: consent × viewer", () => {
  test("assigned staff who pledged: every case with the name, every case page opens", async () => {
    const rows = await agenda(staffA, supportId);
    for (const consent of CONSENTS) {
      const p = PEOPLE[consent];
      expect(rows.get(p.caseNumber)).toMatchObject({ label: `${p.name}（${p.caseNumber}）`, visible: true });
      expect(await caseStatus(staffA, supportId, caseIds.support[consent])).toBe(200);
    }
  });

  test("a member before the pledge: case numbers only (not even initials), no content, no minutes; every case page 404", async () => {
    const result = await view(staffB, supportId);
    expect(result.status).toBe(200);
    expect(result.data.me).toEqual(expect.objectContaining({ pledged: false }));
    expect(result.data.minutesVisible).toBe(false);
    const rows = new Map((result.data.cases as CaseRow[]).map((c) => [c.caseNumber, c]));
    const payload = JSON.stringify(result.data);
    for (const consent of CONSENTS) {
      const p = PEOPLE[consent];
      expect(rows.get(p.caseNumber)).toMatchObject({ label: `（${p.caseNumber}）`, visible: false });
      expect(payload).not.toContain(p.name);
      expect(payload).not.toContain(p.initials);
      expect(payload).not.toContain(p.kana);
      expect(await caseStatus(staffB, supportId, caseIds.support[consent])).toBe(404);
    }
    // The printed agenda shows no more than the page.
    const printed = await outcome(() => printLoader(args(get(`/staff/meetings/${supportId}/print`, staffB), { id: String(supportId) })));
    expect(printed.status).toBe(200);
    for (const consent of CONSENTS) expect(JSON.stringify(printed.data)).not.toContain(PEOPLE[consent].initials);
  });

  test("staff outside the meeting: the meeting, its print and its cases are 404, and it is not listed", async () => {
    expect((await view(staffC, supportId)).status).toBe(404);
    expect((await outcome(() => printLoader(args(get(`/staff/meetings/${supportId}/print`, staffC), { id: String(supportId) })))).status).toBe(404);
    for (const consent of CONSENTS) expect(await caseStatus(staffC, supportId, caseIds.support[consent])).toBe(404);
    const list = await outcome(() => listLoader(args(get("/staff/meetings", staffC))));
    expect(list.data.meetings).toEqual([]);
    // Nor can they put a case on its agenda or pledge.
    expect((await act(staffC, supportId, [["intent", "pledge"]])).status).toBe(404);
    const members = await database.db.select().from(meetingMembers).where(eq(meetingMembers.userId, staffCId));
    expect(members).toEqual([]);
  });

  test("the administrator organising it: before the pledge only the 同意 case is named and nothing opens; after it, initials for 不同意 / 不明", async () => {
    let rows = await agenda(admin, supportId);
    expect(rows.get(PEOPLE.agree.caseNumber)).toMatchObject({ label: `${PEOPLE.agree.name}（${PEOPLE.agree.caseNumber}）`, visible: false });
    for (const consent of ["disagree", "unknown"] as const) expect(rows.get(PEOPLE[consent].caseNumber)).toMatchObject({ label: `（${PEOPLE[consent].caseNumber}）`, visible: false });
    for (const consent of CONSENTS) expect(await caseStatus(admin, supportId, caseIds.support[consent])).toBe(404);

    expect((await act(admin, supportId, [["intent", "pledge"]])).status).toBe(200);
    rows = await agenda(admin, supportId);
    expect(rows.get(PEOPLE.agree.caseNumber)).toMatchObject({ label: `${PEOPLE.agree.name}（${PEOPLE.agree.caseNumber}）`, visible: true });
    for (const consent of ["disagree", "unknown"] as const) {
      const p = PEOPLE[consent];
      expect(rows.get(p.caseNumber)).toMatchObject({ label: `${p.initials}（${p.caseNumber}）`, visible: true });
      const opened = await outcome(() => caseLoader(args(get("/", admin), { id: String(supportId), caseId: String(caseIds.support[consent]) })));
      expect(opened.status).toBe(200);
      expect(opened.data.label).toBe(`${p.initials}（${p.caseNumber}）`);
      expect(JSON.stringify(opened.data)).not.toContain(p.name);
      expect(opened.data.birthYear).toBeNull();
    }
  });

  test("the member who pledges sees initials and opens every case, whatever the consent; every read is audited with the meeting as purpose", async () => {
    const pledged = await act(staffB, supportId, [["intent", "pledge"]]);
    expect(pledged.status).toBe(200);
    expect(pledged.data.message).toContain("誓約を記録しました");
    const rows = await agenda(staffB, supportId);
    for (const consent of CONSENTS) {
      const p = PEOPLE[consent];
      expect(rows.get(p.caseNumber)).toMatchObject({ label: `${p.initials}（${p.caseNumber}）`, visible: true });
      expect(await caseStatus(staffB, supportId, caseIds.support[consent])).toBe(200);
    }
    const reads = await database.db
      .select({ outcome: auditLog.outcome, purpose: auditLog.purpose, recordId: auditLog.recordId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "meeting.case.read"), eq(auditLog.actorUserId, staffBId)));
    // Three refused before the pledge (the test above), three opened after it.
    expect(reads.filter((r) => r.outcome === "denied")).toHaveLength(3);
    expect(reads.filter((r) => r.outcome === "success").map((r) => r.recordId).sort()).toEqual(CONSENTS.map((c) => PEOPLE[c].caseNumber).sort());
    expect(new Set(reads.map((r) => r.purpose))).toEqual(new Set(["支援会議 2026-12-03"]));
    const pledges = await database.db.select().from(auditLog).where(and(eq(auditLog.action, "meeting.pledge"), eq(auditLog.actorUserId, staffBId)));
    expect(pledges.map((r) => [r.recordId, r.outcome])).toEqual([[String(supportId), "success"]]);
  });
});

describe("the case page", () => {
  test("shows the plan, the assessment as labels, placements and evaluations — never the location or the name to a non-authorised member", async () => {
    const caseNumber = PEOPLE.agree.caseNumber;
    const assessed = await outcome(() => assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, staffA, assessmentFields()), { id: caseNumber })));
    expect(assessed.status).toBe(302);
    const [person] = await database.db.select({ id: people.id }).from(people).where(eq(people.caseNumber, caseNumber));
    const [plan] = await database.db.insert(plans).values({ personId: person!.id, status: "draft", programmes: ["participation"] }).returning({ id: plans.id });
    const content = { shortTermGoal: "週1回サロンに通う", longTermGoal: "地域で役割を持つ", actions: [{ action: "見学に同行する", agency: "NPO法人みらい" }], placementIds: [], monitoringDates: ["2027-01-15"] };
    await database.db.insert(planVersions).values({ planId: plan!.id, version: 1, content: encryptField(JSON.stringify(content))! });

    const opened = await outcome(() => caseLoader(args(get("/", staffB), { id: String(supportId), caseId: String(caseIds.support.agree) })));
    expect(opened.status).toBe(200);
    expect(opened.data).toMatchObject({
      label: `${PEOPLE.agree.initials}（${caseNumber}）`,
      reason: "支援内容の検討",
      consent: "agree",
      plan: { status: "作成", programmes: ["参加支援"], shortTermGoal: "週1回サロンに通う", actions: [{ action: "見学に同行する", agency: "NPO法人みらい" }], monitoringDates: ["2027-01-15"] },
      assessment: { interests: ["おしゃべり・交流", "料理"], wants: ["居場所", "交流"], shortTermGoal: "週1回、家の外で過ごす" },
    });
    const payload = JSON.stringify(opened.data);
    expect(payload).not.toContain(PEOPLE.agree.name);
    expect(payload).not.toContain("34.8672");
    expect(payload).not.toContain("本町");
  });
});

describe("重層的支援会議: consent × viewer", () => {
  test("the 同意 case: named for the assigned staff and the admin, initials for another member, 404 outside", async () => {
    const a = await agenda(staffA, jusoutekiId);
    expect(a.get(PEOPLE.agree.caseNumber)).toMatchObject({ label: `${PEOPLE.agree.name}（${PEOPLE.agree.caseNumber}）`, visible: true });
    const b = await agenda(staffB, jusoutekiId);
    expect(b.get(PEOPLE.agree.caseNumber)).toMatchObject({ label: `${PEOPLE.agree.initials}（${PEOPLE.agree.caseNumber}）`, visible: true });
    const adminRows = await agenda(admin, jusoutekiId);
    expect(adminRows.get(PEOPLE.agree.caseNumber)).toMatchObject({ label: `${PEOPLE.agree.name}（${PEOPLE.agree.caseNumber}）`, visible: true });
    for (const session of [staffA, staffB, admin]) expect(await caseStatus(session, jusoutekiId, caseIds.jusouteki.agree)).toBe(200);
    expect(await caseStatus(staffC, jusoutekiId, caseIds.jusouteki.agree)).toBe(404);
    expect((await view(staffC, jusoutekiId)).status).toBe(404);
    // A 重層的支援会議 case cannot be opened through the 支援会議's id, nor the other way round.
    expect(await caseStatus(staffB, supportId, caseIds.jusouteki.agree)).toBe(404);
    // The unmet-needs aggregate is there, counts only.
    expect((await view(staffB, jusoutekiId)).data.unmetNeeds).toEqual(expect.objectContaining({ rows: expect.any(Array) }));
  });

  test("revoking consent hides the case from the 重層的支援会議 at once (but not from the pledged 支援会議)", async () => {
    const revoked = await outcome(() =>
      personAction(args(post(`/staff/people/${PEOPLE.agree.caseNumber}`, staffA, [["intent", "consent"], ["consentState", "disagree"], ["consentDate", "2026-11-25"]]), { id: PEOPLE.agree.caseNumber })),
    );
    expect(revoked.status).toBe(200);
    for (const session of [staffB, admin]) {
      expect(await caseStatus(session, jusoutekiId, caseIds.jusouteki.agree)).toBe(404);
      const rows = await agenda(session, jusoutekiId);
      expect(rows.get(PEOPLE.agree.caseNumber)).toMatchObject({ label: `（${PEOPLE.agree.caseNumber}）`, visible: false });
    }
    // Staff B pledged in the 支援会議, where consent is not required.
    expect(await caseStatus(staffB, supportId, caseIds.support.agree)).toBe(200);
    // Consent again: visible again.
    await outcome(() =>
      personAction(args(post(`/staff/people/${PEOPLE.agree.caseNumber}`, staffA, [["intent", "consent"], ["consentState", "agree"], ["consentDate", "2026-11-26"]]), { id: PEOPLE.agree.caseNumber })),
    );
    expect(await caseStatus(staffB, jusoutekiId, caseIds.jusouteki.agree)).toBe(200);
  });
});

describe("who may do what", () => {
  test("coordinators get 403 on every meeting page", async () => {
    const attempts = [
      () => listLoader(args(get("/staff/meetings", coordinator))),
      () => newLoader(args(get("/staff/meetings/new", coordinator))),
      () => meetingLoader(args(get(`/staff/meetings/${supportId}`, coordinator), { id: String(supportId) })),
      () => caseLoader(args(get("/", coordinator), { id: String(supportId), caseId: String(caseIds.support.agree) })),
      () => printLoader(args(get("/", coordinator), { id: String(supportId) })),
      () => meetingAction(args(post(`/staff/meetings/${supportId}`, coordinator, [["intent", "pledge"]]), { id: String(supportId) })),
    ];
    for (const attempt of attempts) expect((await outcome(attempt)).status).toBe(403);
  });

  test("staff cannot create meetings or run the organiser's operations (403), and nothing changes", async () => {
    expect((await outcome(() => newLoader(args(get("/staff/meetings/new", staffA))))).status).toBe(403);
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(meetings);
    expect((await outcome(() => newAction(args(post("/staff/meetings/new", staffA, [["kind", "support"], ["heldOn", "2026-12-03"], ["title", "x"]]))))).status).toBe(403);
    const membersBefore = await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingMembers);
    for (const fields of [
      [["intent", "add-member"], ["userId", String(staffCId)]],
      [["intent", "add-external"], ["externalName", "佐藤"], ["externalOrganisation", "民生委員"]],
      [["intent", "minutes"], ["minutes", "x"], ["decisions", ""]],
      [["intent", "build-agenda"]],
    ] as [string, string][][]) {
      expect((await act(staffA, supportId, fields)).status).toBe(403);
    }
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(meetings))[0]!.n).toBe(before[0]!.n);
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingMembers))[0]!.n).toBe(membersBefore[0]!.n);
  });

  test("the list: members see their meetings with their pledge; admins see all and the create link", async () => {
    const mine = await outcome(() => listLoader(args(get("/staff/meetings", staffA))));
    expect((mine.data.meetings as { id: number; pledged: boolean }[]).map((m) => [m.id, m.pledged]).sort()).toEqual([
      [jusoutekiId, false],
      [supportId, true],
    ].sort());
    expect(mine.data.isAdmin).toBe(false);
    const all = await outcome(() => listLoader(args(get("/staff/meetings", admin))));
    expect(all.data.isAdmin).toBe(true);
    expect((all.data.meetings as { id: number }[]).map((m) => m.id)).toEqual(expect.arrayContaining([supportId, jusoutekiId]));
  });

  test("materials are never cached or indexed", () => {
    expect(meetingHeadersOf()).toEqual({ "Cache-Control": "no-store", "X-Robots-Tag": "noindex" });
  });
});

describe("bad input: 400 with Japanese messages, nothing stored", () => {
  test("creating a meeting without kind, with an impossible date and no title", async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(meetings);
    const result = await outcome(() => newAction(args(post("/staff/meetings/new", admin, [["heldOn", "2026-02-30"], ["title", "  "]]))));
    expect(result.status).toBe(400);
    const errors = result.data.errors as Record<string, string[]>;
    expect(errors.kind).toEqual(["会議の種類を選んでください"]);
    expect(errors.heldOn).toEqual(["存在しない日付です"]);
    expect(errors.title).toEqual(["会議名を入力してください"]);
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(meetings))[0]!.n).toBe(before[0]!.n);
  });

  test("meeting forms: a malformed case number, an unknown case, an empty external member, empty minutes, no intent", async () => {
    const casesBefore = await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingCases);
    const malformed = await act(staffA, supportId, [["intent", "add-case"], ["caseNumber", "山田"], ["reason", "discussion"]]);
    expect(malformed.status).toBe(400);
    expect((malformed.data.errors as Record<string, string[]>).caseNumber).toEqual(["ケース番号は 2026-0001 の形で入力してください"]);
    const badReason = await act(staffA, supportId, [["intent", "add-case"], ["caseNumber", PEOPLE.agree.caseNumber], ["reason", "gossip"]]);
    expect(badReason.status).toBe(400);
    expect((badReason.data.errors as Record<string, string[]>).reason).toEqual(["議題にする理由を選んでください"]);
    // Staff B is not assigned to the case: the same answer as a case that does not exist.
    for (const caseNumber of [PEOPLE.disagree.caseNumber, "2026-9999"]) {
      const hidden = await act(staffB, supportId, [["intent", "add-case"], ["caseNumber", caseNumber], ["reason", "discussion"]]);
      expect(hidden.status).toBe(404);
      expect(hidden.data.message).toBe("このケース番号の事例は見つかりません（担当しているケースだけを提出できます）。");
    }
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingCases))[0]!.n).toBe(casesBefore[0]!.n);

    const membersBefore = await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingMembers);
    const external = await act(admin, supportId, [["intent", "add-external"], ["externalName", ""], ["externalOrganisation", " "]]);
    expect(external.status).toBe(400);
    expect(external.data.errors).toEqual({ externalName: ["氏名を入力してください"], externalOrganisation: ["所属（機関・団体名）を入力してください"] });
    const noUser = await act(admin, supportId, [["intent", "add-member"], ["userId", "abc"]]);
    expect(noUser.status).toBe(400);
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(meetingMembers))[0]!.n).toBe(membersBefore[0]!.n);

    const minutes = await act(admin, supportId, [["intent", "minutes"], ["minutes", " "], ["decisions", ""]]);
    expect(minutes.status).toBe(400);
    expect((minutes.data.errors as Record<string, string[]>).minutes).toEqual(["議事録か決定事項のどちらかを入力してください"]);
    const noIntent = await act(admin, supportId, []);
    expect(noIntent.status).toBe(400);
    expect(noIntent.data.message).toBe("操作を選んでください。");
  });
});

describe("the organiser's work", () => {
  test("an external member, their paper pledge, minutes shown only to pledged members, the agenda built from plans", async () => {
    expect((await act(admin, supportId, [["intent", "add-external"], ["externalName", "佐藤 民子"], ["externalOrganisation", "北地区民生委員児童委員協議会"]])).status).toBe(200);
    let page = await view(admin, supportId);
    const external = (page.data.members as { id: number; name: string; external: boolean; pledged: boolean }[]).find((m) => m.external)!;
    expect(external).toMatchObject({ name: "佐藤 民子", pledged: false });
    expect((await act(admin, supportId, [["intent", "external-pledge"], ["memberId", String(external.id)]])).status).toBe(200);
    // Twice is refused (the date of the signature is kept).
    expect((await act(admin, supportId, [["intent", "external-pledge"], ["memberId", String(external.id)]])).status).toBe(400);
    page = await view(admin, supportId);
    expect((page.data.members as { id: number; pledged: boolean }[]).find((m) => m.id === external.id)!.pledged).toBe(true);

    expect((await act(admin, supportId, [["intent", "minutes"], ["minutes", "見守りの分担を確認した。"], ["decisions", "次回までに民生委員が訪問する。"]])).status).toBe(200);
    expect((await view(staffB, supportId)).data.meeting).toMatchObject({ minutes: "見守りの分担を確認した。", decisions: "次回までに民生委員が訪問する。" });

    // A member added later has not pledged: no minutes, numbers only.
    expect((await act(admin, supportId, [["intent", "add-member"], ["userId", String(staffCId)]])).status).toBe(200);
    const late = await view(staffC, supportId);
    expect(late.status).toBe(200);
    expect(late.data.meeting).toMatchObject({ minutes: null, decisions: null });
    expect(JSON.stringify(late.data)).not.toContain("見守りの分担");
    // The organiser cannot record a paper pledge for a portal user: they pledge themselves.
    const portalUser = (late.data.members as { id: number; external: boolean; pledged: boolean }[]).filter((m) => !m.external && !m.pledged);
    expect(portalUser).toHaveLength(1);
    expect((await act(admin, supportId, [["intent", "external-pledge"], ["memberId", String(portalUser[0]!.id)]])).status).toBe(400);
    expect((await view(staffC, supportId)).data.me).toMatchObject({ pledged: false });

    // 議題を自動作成 is only for a 重層的支援会議.
    expect((await act(admin, supportId, [["intent", "build-agenda"]])).status).toBe(400);
    const built = await act(admin, jusoutekiId, [["intent", "build-agenda"]]);
    expect(built.status).toBe(200);
    expect(built.data.message).toMatch(/新しく議題にするプランはありませんでした|件を議題に追加しました/);
  });
});
