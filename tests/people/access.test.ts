// Access to person data through the routes: staff see only the people assigned to them (anyone
// else's case is 404 on every person route, GET and POST, and is not counted in lists); admins see
// 同意 people, and 不同意 / 不明 people only when assigned; a consent change applies at once;
// coordinators get 403; every read and write leaves an audit row with its purpose; sensitive fields
// are refused without a consent event; case numbers, never names, are what URLs and the log carry.
import { and, desc, eq } from "drizzle-orm";
import { decryptField } from "~/utils/field-crypto.server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, people, placements, resources } from "../../db/schema";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { createTestApp } from "../helpers/app";
import type { TestDatabase } from "../helpers/db";
import { args, assessmentFields, createCase, get, post, type Session } from "./helpers";
import { decideVisibility } from "~/people/access.server";
import { createPerson, saveSensitiveFields } from "~/people/people.server";
import { loader as homeLoader } from "~/routes/staff._index";
import { action as listAction, loader as listLoader } from "~/routes/staff.people._index";
import { action as detailAction, loader as detailLoader } from "~/routes/staff.people.$id";
import { action as assessmentAction, loader as assessmentLoader } from "~/routes/staff.people.$id_.assessment";
import { action as newPlacementAction, loader as newPlacementLoader } from "~/routes/staff.people.$id_.placements.new";
import { action as suggestionsAction, loader as suggestionsLoader } from "~/routes/staff.people.$id_.suggestions";
import { action as placementAction, loader as placementLoader } from "~/routes/staff.placements.$id";

let database: TestDatabase;
let staffA: Session;
let staffB: Session;
let admin: Session;
let coordinator: Session;
let staffAId: number;
let adminId: number;
let resourceId: number;

beforeAll(async () => {
  database = await createTestApp();
  const a = await makeUser(database.db, { role: "staff", totp: true });
  staffAId = a.id;
  staffA = await signIn(database.db, a, { twoFactorVerified: true });
  staffB = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
  const adminUser = await makeUser(database.db, { role: "admin", totp: true });
  adminId = adminUser.id;
  admin = await signIn(database.db, adminUser, { twoFactorVerified: true });
  coordinator = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
  const [first] = await database.db.select({ id: resources.id }).from(resources).where(eq(resources.reviewStatus, "published")).limit(1);
  resourceId = first.id;
}, 180_000);
afterAll(async () => {
  await database?.cleanup();
});

async function listTotal(session: Session): Promise<{ total: number; names: string[] }> {
  const result = await outcome(() => listLoader(args(get("/staff/people", session))));
  expect(result.status).toBe(200);
  const rows = result.data.rows as { name: string }[];
  return { total: result.data.total as number, names: rows.map((r) => r.name) };
}

test("case numbers are year-sequence, and the intake redirects to the case number, not a name", async () => {
  const first = await createCase(staffA, { name: "番号 確認" });
  const second = await createCase(staffA, { name: "番号 確認二" });
  expect(first).toMatch(/^\d{4}-\d{4}$/);
  expect(Number(second.split("-")[1])).toBe(Number(first.split("-")[1]) + 1);
});

test("staff B gets 404 for staff A's case on every person route, GET and POST, and nothing is written", async () => {
  const caseNumber = await createCase(staffA, { name: "甲斐 一郎", consentState: "agree" });
  // A placement of staff A's case, for the placement page.
  const proposed = await outcome(() => newPlacementAction(args(post(`/staff/people/${caseNumber}/placements/new`, staffA, [["resourceId", String(resourceId)]]), { id: caseNumber })));
  expect(proposed.status).toBe(302);
  const placementId = Number(/\/staff\/placements\/(\d+)/.exec(proposed.headers.get("Location") ?? "")?.[1]);
  expect(placementId).toBeGreaterThan(0);

  const params = { id: caseNumber };
  const attempts: [string, () => Promise<unknown>][] = [
    ["GET detail", () => detailLoader(args(get(`/staff/people/${caseNumber}`, staffB), params))],
    ["GET assessment", () => assessmentLoader(args(get(`/staff/people/${caseNumber}/assessment`, staffB), params))],
    ["GET suggestions", () => suggestionsLoader(args(get(`/staff/people/${caseNumber}/suggestions`, staffB), params))],
    ["GET placements/new", () => newPlacementLoader(args(get(`/staff/people/${caseNumber}/placements/new`, staffB), params))],
    ["GET placement", () => placementLoader(args(get(`/staff/placements/${placementId}`, staffB), { id: String(placementId) }))],
    [
      "POST consent",
      () => detailAction(args(post(`/staff/people/${caseNumber}`, staffB, [["intent", "consent"], ["consentState", "disagree"], ["consentDate", "2026-11-02"]]), params)),
    ],
    ["POST update", () => detailAction(args(post(`/staff/people/${caseNumber}`, staffB, [["intent", "update"], ["name", "書き換え"]]), params))],
    ["POST sensitive", () => detailAction(args(post(`/staff/people/${caseNumber}`, staffB, [["intent", "sensitive"], ["healthNote", "書き換え"]]), params))],
    ["POST assessment", () => assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, staffB, assessmentFields()), params))],
    ["POST propose", () => suggestionsAction(args(post(`/staff/people/${caseNumber}/suggestions`, staffB, [["intent", "propose"], ["resourceId", String(resourceId)]]), params))],
    ["POST unmet", () => suggestionsAction(args(post(`/staff/people/${caseNumber}/suggestions`, staffB, [["intent", "unmet"]]), params))],
    ["POST placements/new", () => newPlacementAction(args(post(`/staff/people/${caseNumber}/placements/new`, staffB, [["resourceId", String(resourceId)]]), params))],
    [
      "POST transition",
      () => placementAction(args(post(`/staff/placements/${placementId}`, staffB, [["intent", "transition"], ["toStatus", "visit"], ["on", "2026-11-20"]]), { id: String(placementId) })),
    ],
    ["POST details", () => placementAction(args(post(`/staff/placements/${placementId}`, staffB, [["intent", "details"], ["hostContact", "誰か"]]), { id: String(placementId) }))],
  ];
  for (const [what, run] of attempts) {
    const result = await outcome(run);
    expect(result.status, what).toBe(404);
  }
  // Staff B wrote nothing: still one placement, still proposed, no consent change.
  const rows = await database.db.select({ status: placements.status, hostContact: placements.hostContact }).from(placements).where(eq(placements.id, placementId));
  expect(rows).toEqual([{ status: "proposed", hostContact: null }]);
  const detail = await outcome(() => detailLoader(args(get(`/staff/people/${caseNumber}`, staffA), params)));
  expect(detail.status).toBe(200);
  expect((detail.data.consents as unknown[]).length).toBe(1);
  expect((detail.data.assessments as unknown[]).length).toBe(0);
  // The refusals are in the audit log as denied reads of that case number.
  const denied = await database.db.select().from(auditLog).where(and(eq(auditLog.outcome, "denied"), eq(auditLog.recordId, caseNumber)));
  expect(denied.length).toBeGreaterThanOrEqual(5);
});

test("lists show and count only visible people; the name search is a POST and finds only visible people", async () => {
  const before = { a: await listTotal(staffA), b: await listTotal(staffB) };
  await createCase(staffA, { name: "見える 太郎" });
  await createCase(staffB, { name: "見える 次郎" });
  const after = { a: await listTotal(staffA), b: await listTotal(staffB) };
  expect(after.a.total).toBe(before.a.total + 1);
  expect(after.b.total).toBe(before.b.total + 1);
  expect(after.a.names).toContain("見える 太郎");
  expect(after.a.names).not.toContain("見える 次郎");
  expect(after.b.names).not.toContain("見える 太郎");

  const searched = await outcome(() => listAction(args(post("/staff/people", staffB, [["q", "見える"]]))));
  expect(searched.status).toBe(200);
  const result = searched.data.result as { rows: { name: string; caseNumber: string }[]; total: number };
  expect(result.rows.map((r) => r.name)).toEqual(["見える 次郎"]);
  expect(result.total).toBe(1);
  const empty = await outcome(() => listAction(args(post("/staff/people", staffB, [["q", ""]]))));
  expect(empty.status).toBe(400);
});

test("admins see 同意 cases only, 不同意 / 不明 cases only when assigned; a consent change applies at once", async () => {
  const agreed = await createCase(staffA, { name: "同意 さん", consentState: "agree" });
  const disagreed = await createCase(staffA, { name: "不同意 さん", consentState: "disagree" });
  const unknown = await createCase(staffA, { name: "不明 さん", consentState: "unknown" });
  // An admin's own intake of a 不同意 person, assigned to the admin: visible to the admin.
  const own = await createCase(admin, { name: "管理者担当 さん", consentState: "disagree", assigneeId: String(adminId) });

  const status = async (caseNumber: string, session: Session) =>
    (await outcome(() => detailLoader(args(get(`/staff/people/${caseNumber}`, session), { id: caseNumber })))).status;
  expect(await status(agreed, admin)).toBe(200);
  expect(await status(disagreed, admin)).toBe(404);
  expect(await status(unknown, admin)).toBe(404);
  expect(await status(own, admin)).toBe(200);
  const adminList = await listTotal(admin);
  expect(adminList.names).toContain("同意 さん");
  expect(adminList.names).toContain("管理者担当 さん");
  expect(adminList.names).not.toContain("不同意 さん");
  expect(adminList.names).not.toContain("不明 さん");
  // Staff A (assigned) sees all three regardless of consent.
  const staffList = await listTotal(staffA);
  for (const name of ["同意 さん", "不同意 さん", "不明 さん"]) expect(staffList.names).toContain(name);
  expect(staffList.names).not.toContain("管理者担当 さん");

  // Staff A records 不同意 for the agreed case: the admin loses it on the very next read.
  const recorded = await outcome(() =>
    detailAction(args(post(`/staff/people/${agreed}`, staffA, [["intent", "consent"], ["consentState", "disagree"], ["consentDate", "2026-11-20"]]), { id: agreed })),
  );
  expect(recorded.status).toBe(200);
  expect(await status(agreed, admin)).toBe(404);
  expect((await listTotal(admin)).total).toBe(adminList.total - 1);
  // …and regains it when consent is recorded again.
  await outcome(() => detailAction(args(post(`/staff/people/${agreed}`, staffA, [["intent", "consent"], ["consentState", "agree"], ["consentDate", "2026-11-21"]]), { id: agreed })));
  expect(await status(agreed, admin)).toBe(200);
});

test("a coordinator gets 403 on the staff pages", async () => {
  const caseNumber = await createCase(staffA, { name: "コーディネーター 不可" });
  for (const run of [
    () => homeLoader(args(get("/staff", coordinator))),
    () => listLoader(args(get("/staff/people", coordinator))),
    () => detailLoader(args(get(`/staff/people/${caseNumber}`, coordinator), { id: caseNumber })),
    () => listAction(args(post("/staff/people", coordinator, [["q", "不可"]]))),
  ]) {
    const result = await outcome(run);
    expect(result.status).toBe(403);
  }
});

test("every read and write of a case writes an audit row with who, role, case number and purpose — never the name", async () => {
  const caseNumber = await createCase(staffA, { name: "監査 花子" });
  await outcome(() => detailLoader(args(get(`/staff/people/${caseNumber}`, staffA), { id: caseNumber })));
  await outcome(() => assessmentLoader(args(get(`/staff/people/${caseNumber}/assessment`, staffA), { id: caseNumber })));
  await outcome(() => assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, staffA, assessmentFields()), { id: caseNumber })));
  await outcome(() => suggestionsLoader(args(get(`/staff/people/${caseNumber}/suggestions`, staffA), { id: caseNumber })));
  await outcome(() => listLoader(args(get("/staff/people", staffA))));
  const rows = await database.db
    .select({ action: auditLog.action, actor: auditLog.actorUserId, role: auditLog.actorRole, recordId: auditLog.recordId, purpose: auditLog.purpose, outcome: auditLog.outcome })
    .from(auditLog)
    .where(eq(auditLog.actorUserId, staffAId))
    .orderBy(desc(auditLog.seq))
    .limit(5);
  const last5 = rows.reverse();
  const expected = [
    ["person.read", caseNumber, "ケース記録の閲覧"],
    ["person.read", caseNumber, "アセスメントの閲覧"],
    ["assessment.create", caseNumber, "アセスメントの記録"],
    ["person.read", caseNumber, "合う場所の提案（マッチング）"],
  ];
  expect(last5.slice(0, 4).map((r) => [r.action, r.recordId, r.purpose])).toEqual(expected);
  expect(last5[4].action).toBe("person.list");
  expect(last5[4].purpose).toBe("担当ケース一覧の閲覧");
  for (const row of last5) {
    expect(row.role).toBe("staff");
    expect(row.outcome).toBe("success");
  }
  const everything = await database.db.select().from(auditLog);
  expect(JSON.stringify(everything)).not.toContain("監査 花子");
});

test("sensitive fields are refused without a consent event (model layer), nothing stored; accepted once consent exists", async () => {
  const actor = { id: staffAId, role: "staff" as const };
  const values = {
    name: "要配慮 一郎",
    householdMode: "none" as const,
    members: [],
  };
  const refused = await createPerson(database.db, { actor, values, sensitive: { healthNote: "不眠", diagnosis: "うつ病" } });
  expect(refused.kind).toBe("invalid");
  if (refused.kind === "invalid") expect(refused.errors.form?.[0]).toContain("同意の記録がないため");
  expect(await database.db.select().from(people).where(eq(people.name, "要配慮 一郎"))).toEqual([]);

  // A person recorded without consent (possible only through the model), then a sensitive save.
  const created = await createPerson(database.db, { actor, values });
  expect(created.kind).toBe("ok");
  const caseNumber = created.kind === "ok" ? created.caseNumber : "";
  const refusedSave = await saveSensitiveFields(database.db, { actor, caseNumber, values: { healthNote: "不眠" } });
  expect(refusedSave.kind).toBe("refused");
  const [row] = await database.db.select({ healthNote: people.healthNote }).from(people).where(eq(people.caseNumber, caseNumber));
  expect(row.healthNote).toBeNull();
  // Through the page: the same refusal, in Japanese with English.
  const page = await outcome(() => detailAction(args(post(`/staff/people/${caseNumber}`, staffA, [["intent", "sensitive"], ["healthNote", "不眠"]]), { id: caseNumber })));
  expect(page.status).toBe(409);
  expect(page.data.message).toContain("同意の記録がないため");

  // Any consent state counts as a recorded consent event (不明 here).
  await outcome(() => detailAction(args(post(`/staff/people/${caseNumber}`, staffA, [["intent", "consent"], ["consentState", "unknown"], ["consentDate", "2026-11-20"]]), { id: caseNumber })));
  const saved = await outcome(() =>
    detailAction(args(post(`/staff/people/${caseNumber}`, staffA, [["intent", "sensitive"], ["healthNote", "不眠"], ["certificate", "none"]]), { id: caseNumber })),
  );
  expect(saved.status).toBe(200);
  const [after] = await database.db.select({ healthNote: people.healthNote, certificate: people.certificate }).from(people).where(eq(people.caseNumber, caseNumber));
  // Stored encrypted (ciphertext in the database), read back as the text entered.
  expect(after!.healthNote).toMatch(/^enc:v1:/);
  expect(after!.healthNote).not.toContain("不眠");
  expect({ healthNote: decryptField(after!.healthNote), certificate: decryptField(after!.certificate) }).toEqual({ healthNote: "不眠", certificate: "none" });
});

test("intake without consent, or with bad values, is refused with field errors and stores nothing", async () => {
  const { total } = await listTotal(staffA);
  const cases: [Record<string, string>, string][] = [
    [{ consentState: "" }, "consentState"],
    [{ consentDate: "2026-13-40" }, "consentDate"],
    [{ name: "" }, "name"],
    [{ birthYear: "千九百" }, "birthYear"],
    [{ latitude: "34.9", longitude: "" }, "longitude"],
    [{ householdMode: "existing", householdCaseNumber: "" }, "householdCaseNumber"],
  ];
  const { intakeFields } = await import("./helpers");
  const { action } = await import("~/routes/staff.people.new");
  for (const [overrides, field] of cases) {
    const result = await outcome(() => action(args(post("/staff/people/new", staffA, intakeFields(overrides)))));
    expect(result.status, field).toBe(400);
    expect(Object.keys(result.data.errors as object), field).toContain(field);
  }
  // Joining the household of a case one cannot see is refused like a case that does not exist.
  const othersCase = await createCase(staffB, { name: "別担当 世帯" });
  const joined = await outcome(() => action(args(post("/staff/people/new", staffA, intakeFields({ householdMode: "existing", householdCaseNumber: othersCase })))));
  expect(joined.status).toBe(400);
  expect((joined.data.errors as Record<string, string[]>).householdCaseNumber[0]).toContain("見つかりません");
  expect((await listTotal(staffA)).total).toBe(total);
});

test("the consent rule itself: staff by assignment, admins by 同意 or assignment, coordinators never", () => {
  const staff = { id: 1, role: "staff" as const };
  const adminActor = { id: 2, role: "admin" as const };
  const coordinatorActor = { id: 3, role: "coordinator" as const };
  for (const latestConsent of ["agree", "disagree", "unknown", null] as const) {
    expect(decideVisibility(staff, { assigned: true, latestConsent })).toBe(true);
    expect(decideVisibility(staff, { assigned: false, latestConsent })).toBe(false);
    expect(decideVisibility(adminActor, { assigned: true, latestConsent })).toBe(true);
    expect(decideVisibility(adminActor, { assigned: false, latestConsent })).toBe(latestConsent === "agree");
    expect(decideVisibility(coordinatorActor, { assigned: true, latestConsent })).toBe(false);
  }
});

test("basic fields are corrected on the detail page (audited as an update); bad values are refused", async () => {
  const caseNumber = await createCase(staffA, { name: "修正 前", latitude: "", longitude: "" });
  const update = (fields: [string, string][]) =>
    outcome(() => detailAction(args(post(`/staff/people/${caseNumber}`, staffA, [["intent", "update"], ...fields]), { id: caseNumber })));
  expect((await update([["name", "修正 後"], ["latitude", "34.87"]])).status).toBe(400);
  expect((await update([["name", ""]])).status).toBe(400);
  expect((await update([["name", "修正 後"], ["latitude", "34.87"], ["longitude", "138.32"], ["area", "焼津市"]])).status).toBe(200);
  const [row] = await database.db.select({ name: people.name, latitude: people.latitude, longitude: people.longitude }).from(people).where(eq(people.caseNumber, caseNumber));
  expect(row).toEqual({ name: "修正 後", latitude: 34.87, longitude: 138.32 });
  const [audit] = await database.db
    .select({ action: auditLog.action, purpose: auditLog.purpose })
    .from(auditLog)
    .where(and(eq(auditLog.recordId, caseNumber), eq(auditLog.action, "person.update")));
  expect(audit).toEqual({ action: "person.update", purpose: "基本情報の更新" });
});

test("a household is shared by case number: members and the other supported person appear on both records", async () => {
  const parent = await createCase(staffA, {
    name: "世帯 一郎",
    householdMode: "new",
    householdNote: "8050世帯",
    "member0.name": "世帯 ハナ",
    "member0.relation": "母",
    "member0.birthYear": "1944",
  });
  const sibling = await createCase(staffA, { name: "世帯 二郎", householdMode: "existing", householdCaseNumber: parent });
  const detail = await outcome(() => detailLoader(args(get(`/staff/people/${sibling}`, staffA), { id: sibling })));
  const household = detail.data.household as { note: string; members: { name: string; relation: string; birthYear: number }[]; others: { caseNumber: string }[] };
  expect(household.note).toBe("8050世帯");
  expect(household.members).toEqual([{ name: "世帯 ハナ", relation: "母", birthYear: 1944 }]);
  expect(household.others).toEqual([{ caseNumber: parent }]);
  const back = await outcome(() => detailLoader(args(get(`/staff/people/${parent}`, staffA), { id: parent })));
  expect((back.data.household as typeof household).others).toEqual([{ caseNumber: sibling }]);
});
