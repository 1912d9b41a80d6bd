// The follow-up pages through their real loaders and actions, signed in: a planned contact shows
// its case, venue, side and due date; recording it stores the つながり評価 (issues and note as
// ciphertext) and shows it back; bad input is 400 with the field errors and stores nothing; a
// second submit cannot overwrite the record; another staff member gets 404; the person's page
// lists both sides with links; good evaluations for three months propose 定着.
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, followUps, people, placements, resources } from "../../db/schema";
import { setDatabase } from "../../db/client.server";
import { planFollowUps } from "../../app/followup/followups.server";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { args, createCase, get, post, type Session } from "../people/helpers";
import { action as recordAction, loader as followUpLoader } from "~/routes/staff.follow-ups.$id";
import { loader as personFollowUpsLoader } from "~/routes/staff.people.$id_.follow-ups";

let database: TestDatabase;
let staff: Session;
let otherStaff: Session;
let resourceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  staff = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
  otherStaff = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
  const [resource] = await database.db.insert(resources).values({ name: "はまかぜ就労継続支援B型事業所", kind: "shuro_b", reviewStatus: "published" }).returning({ id: resources.id });
  resourceId = resource!.id;
}, 180_000);
afterAll(async () => {
  await database?.cleanup();
});

/** A case with an active placement whose two-sided plan starts on `startOn` (the lead wires this into the placement transitions later). */
async function caseWithFollowUps(name: string, startOn: string) {
  const caseNumber = await createCase(staff, { name });
  const [person] = await database.db.select({ id: people.id }).from(people).where(eq(people.caseNumber, caseNumber));
  const [placement] = await database.db.insert(placements).values({ personId: person!.id, resourceId, status: "active", hostContact: "施設長 山田" }).returning({ id: placements.id });
  await planFollowUps(database.db, { id: placement!.id, personId: person!.id, followUpOffsets: null }, startOn);
  const contacts = await database.db.select().from(followUps).where(eq(followUps.placementId, placement!.id)).orderBy(asc(followUps.dueOn), asc(followUps.id));
  return { caseNumber, placementId: placement!.id, contacts };
}

const page = (session: Session, id: number) => outcome(() => followUpLoader(args(get(`/staff/follow-ups/${id}`, session), { id: String(id) })));
const record = (session: Session, id: number, fields: [string, string][]) => outcome(() => recordAction(args(post(`/staff/follow-ups/${id}`, session, fields), { id: String(id) })));

function recordFields(overrides: Record<string, string> = {}): [string, string][] {
  return Object.entries({
    doneOn: "2026-11-09",
    contactKind: "visit",
    withWhom: "本人",
    "evaluation.attendance": "4",
    "evaluation.relationships": "3",
    "evaluation.feeling": "",
    "evaluation.hostView": "4",
    issues: "朝の送迎が不安",
    note: "作業に集中できていた",
    ...overrides,
  });
}

test("a planned contact shows its case, venue, side and due date; another staff member gets 404", async () => {
  const { caseNumber, contacts } = await caseWithFollowUps("定着 一子", "2026-11-02");
  const [first, firstHost] = contacts;
  const shown = await page(staff, first!.id);
  expect(shown.status).toBe(200);
  expect(shown.data.caseNumber).toBe(caseNumber);
  expect(shown.data.followUp).toMatchObject({ side: "person", dueOn: "2026-11-09", status: "planned" });
  expect(shown.data.placement).toMatchObject({ resourceName: "はまかぜ就労継続支援B型事業所", status: "active" });
  expect((await page(staff, firstHost!.id)).data.followUp).toMatchObject({ side: "host", dueOn: "2026-11-09" });
  expect((await page(otherStaff, first!.id)).status).toBe(404);
  expect((await record(otherStaff, first!.id, recordFields())).status).toBe(404);
  expect((await page(staff, 99_999_999)).status).toBe(404);
});

test("bad input is 400 with errors by field and stores nothing", async () => {
  const { contacts } = await caseWithFollowUps("入力 二郎", "2026-11-02");
  const id = contacts[0]!.id;
  const bad = await record(staff, id, recordFields({ doneOn: "2026-02-30", contactKind: "fax", "evaluation.attendance": "7", note: "あ".repeat(4001) }));
  expect(bad.status).toBe(400);
  const errors = bad.data.errors as Record<string, string[]>;
  expect(Object.keys(errors).sort()).toEqual(["contactKind", "doneOn", "evaluation.attendance", "note"]);
  expect(errors.doneOn![0]).toContain("存在しない日付");
  expect(errors.contactKind![0]).toContain("連絡の方法");
  expect(errors["evaluation.attendance"]![0]).toContain("1〜4");
  expect((bad.data.values as { issues: string }).issues).toBe("朝の送迎が不安");
  const [row] = await database.db.select().from(followUps).where(eq(followUps.id, id));
  expect(row).toMatchObject({ status: "planned", doneOn: null, evaluation: null, issues: null });
});

test("recording stores the つながり評価 (text encrypted), shows it back, and cannot be overwritten", async () => {
  const { caseNumber, contacts } = await caseWithFollowUps("記録 三恵", "2026-11-02");
  const id = contacts[0]!.id;
  const saved = await record(staff, id, recordFields());
  expect(saved.status).toBe(302);
  expect(saved.headers.get("Location")).toBe(`/staff/follow-ups/${id}?saved=1`);
  const shown = await page(staff, id);
  expect(shown.data.followUp).toMatchObject({
    status: "done",
    doneOn: "2026-11-09",
    contactKind: "visit",
    withWhom: "本人",
    evaluation: { attendance: 4, relationships: 3, hostView: 4 },
    issues: "朝の送迎が不安",
    note: "作業に集中できていた",
  });
  expect((shown.data.followUp as { evaluation: Record<string, number> }).evaluation).not.toHaveProperty("feeling");
  const raw = await database.db.execute(sql`select issues, note from follow_ups where id = ${id}`);
  const stored = (Array.isArray(raw) ? raw : (raw as { rows: unknown[] }).rows)[0] as { issues: string; note: string };
  expect(stored.issues.startsWith("enc:v1:")).toBe(true);
  expect(stored.note).not.toContain("作業");

  const again = await record(staff, id, recordFields({ note: "上書き" }));
  expect(again.status).toBe(409);
  expect(String(again.data.message)).toContain("すでに記録済み");
  expect((await page(staff, id)).data.followUp).toMatchObject({ note: "作業に集中できていた" });

  // The record is audited against the contact; the refused second submit against the case.
  const audited = await database.db.select().from(auditLog).where(and(eq(auditLog.action, "followup.record"), eq(auditLog.recordType, "follow_up")));
  expect(audited.filter((a) => a.recordId === String(id)).map((a) => a.outcome)).toEqual(["success"]);
  expect(audited.filter((a) => a.recordId === caseNumber).map((a) => a.outcome)).toEqual(["failure"]);

  // The person's page lists both sides, with the record and links to record the rest.
  const list = await outcome(() => personFollowUpsLoader(args(get(`/staff/people/${caseNumber}/follow-ups`, staff), { id: caseNumber })));
  expect(list.status).toBe(200);
  const groups = list.data.groups as { resourceName: string; rows: { id: number; side: string; status: string; score: number | null }[] }[];
  expect(groups).toHaveLength(1);
  expect(groups[0]!.rows).toHaveLength(contacts.length);
  expect(new Set(groups[0]!.rows.map((r) => r.side))).toEqual(new Set(["person", "host"]));
  expect(groups[0]!.rows.find((r) => r.id === id)).toMatchObject({ status: "done" });
  expect(groups[0]!.rows.find((r) => r.id === id)!.score).toBeCloseTo(11 / 3);
  expect((await outcome(() => personFollowUpsLoader(args(get(`/staff/people/${caseNumber}/follow-ups`, otherStaff), { id: caseNumber })))).status).toBe(404);
});

test("good つながり評価 kept for three months proposes 定着, with the way to the placement page", async () => {
  // Dates long past, so the proposal does not depend on when the test runs.
  const { caseNumber, placementId, contacts } = await caseWithFollowUps("定着 四季", "2025-06-01");
  const personSide = contacts.filter((c) => c.side === "person");
  const done = [
    [personSide[0]!, "2025-06-08"],
    [personSide[2]!, "2025-07-01"],
    [personSide[4]!, "2025-09-01"],
  ] as const;
  for (const [contact, on] of done) {
    expect((await record(staff, contact.id, recordFields({ doneOn: on, "evaluation.feeling": "3" }))).status).toBe(302);
  }
  const shown = await page(staff, personSide[4]!.id);
  expect(shown.data.settledProposal).toBe(true);
  expect(shown.data.falling).toBe(false);
  expect((shown.data.placement as { id: number }).id).toBe(placementId);
  const list = await outcome(() => personFollowUpsLoader(args(get(`/staff/people/${caseNumber}/follow-ups`, staff), { id: caseNumber })));
  expect((list.data.groups as { settledProposal: boolean }[])[0]!.settledProposal).toBe(true);

  // A falling connection: two drops in a row.
  const falling = await caseWithFollowUps("低下 五月", "2025-06-01");
  const sides = falling.contacts.filter((c) => c.side === "person");
  for (const [contact, on, score] of [
    [sides[0]!, "2025-06-08", "4"],
    [sides[1]!, "2025-06-15", "3"],
    [sides[2]!, "2025-07-01", "2"],
  ] as const) {
    const fields = recordFields({ doneOn: on, "evaluation.attendance": score, "evaluation.relationships": score, "evaluation.hostView": score });
    expect((await record(staff, contact.id, fields)).status).toBe(302);
  }
  const fallingPage = await page(staff, sides[3]!.id);
  expect(fallingPage.data.falling).toBe(true);
  expect(fallingPage.data.settledProposal).toBe(false);
});
