// The plan pages through their real loaders and actions, signed in: consent 同意 required (409
// with the reason, nothing stored), another staff member's case is 404, bad input is 400 with the
// field errors and stores nothing, 「行を追加」 stores nothing, illegal moves are refused with the
// reason and change nothing, 支援決定 only by an admin, 終結 only with the evaluation sheet, 中断
// only after three failed contact attempts, revising makes a new version, and the printed sheets
// render and are audited with the purpose 「プランの印刷」.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, followUps, placements, planEvents, plans, planVersions, resources } from "../../db/schema";
import { setDatabase } from "../../db/client.server";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { args, createCase, get, post, type Session } from "../people/helpers";
import { loader as listLoader } from "~/routes/staff.people.$id_.plans._index";
import { action as newAction, loader as newLoader } from "~/routes/staff.people.$id_.plans.new";
import { action as planAction, loader as planLoader } from "~/routes/staff.plans.$planId";
import { loader as printLoader } from "~/routes/staff.plans.$planId_.print";
import { loader as evaluationPrintLoader } from "~/routes/staff.plans.$planId_.evaluation.print";

let database: TestDatabase;
let staff: Session;
let otherStaff: Session;
let admin: Session;
let resourceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  staff = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
  otherStaff = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
  admin = await signIn(database.db, await makeUser(database.db, { role: "admin", totp: true }), { twoFactorVerified: true });
  const [resource] = await database.db.insert(resources).values({ name: "みなと地域活動支援センター", kind: "chiiki_katsudo", reviewStatus: "published" }).returning({ id: resources.id });
  resourceId = resource!.id;
}, 180_000);
afterAll(async () => {
  await database?.cleanup();
});

async function placementFor(caseNumber: string): Promise<number> {
  const { people } = await import("../../db/schema");
  const [person] = await database.db.select({ id: people.id }).from(people).where(eq(people.caseNumber, caseNumber));
  const [row] = await database.db.insert(placements).values({ personId: person!.id, resourceId, status: "active" }).returning({ id: placements.id });
  return row!.id;
}

function planFields(overrides: [string, string][] = [], placementId?: number): [string, string][] {
  const replaced = new Set(overrides.map(([k]) => k).filter((k) => k !== "programmes" && k !== "placementIds"));
  const defaults: [string, string][] = [
    ["intent", "create"],
    ["shortTermGoal", "週1回、地域活動支援センターに通う"],
    ["longTermGoal", "職場体験に参加する"],
    ["actionRows", "3"],
    ["actions.0.action", "見学への同行"],
    ["actions.0.agency", "参加支援事業者"],
    ["actions.1.action", ""],
    ["actions.1.agency", ""],
    ["actions.2.action", "通院の継続"],
    ["actions.2.agency", "相談支援事業所"],
    ["programmes", "participation"],
    ["monitoringRows", "4"],
    ["monitoringDates.0", "2027-01-15"],
    ["monitoringDates.1", ""],
    ["monitoringDates.2", ""],
    ["monitoringDates.3", ""],
    ["nextReviewOn", "2027-03-01"],
  ];
  return [...defaults.filter(([k]) => !replaced.has(k)), ...(placementId ? ([["placementIds", String(placementId)]] as [string, string][]) : []), ...overrides];
}

const plansOf = async () => database.db.select().from(plans);

async function createPlanThroughPage(session: Session, caseNumber: string, fields: [string, string][]): Promise<number> {
  const result = await outcome(() => newAction(args(post(`/staff/people/${caseNumber}/plans/new`, session, fields), { id: caseNumber })));
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  const id = Number(/\/staff\/plans\/(\d+)\?created=1$/.exec(result.headers.get("Location") ?? "")?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

const planPage = (session: Session, planId: number) => outcome(() => planLoader(args(get(`/staff/plans/${planId}`, session), { planId: String(planId) })));
const planPost = (session: Session, planId: number, fields: [string, string][]) =>
  outcome(() => planAction(args(post(`/staff/plans/${planId}`, session, fields), { planId: String(planId) })));

test("a person without consent 同意 gets the reason (409) on the list, the form and the POST; nothing is stored", async () => {
  const caseNumber = await createCase(staff, { name: "不明 次郎", consentState: "unknown" });
  const form = await outcome(() => newLoader(args(get(`/staff/people/${caseNumber}/plans/new`, staff), { id: caseNumber })));
  expect(form.status).toBe(409);
  expect(String((form.data.refused as { message: string }).message)).toContain("同意");
  const list = await outcome(() => listLoader(args(get(`/staff/people/${caseNumber}/plans`, staff), { id: caseNumber })));
  expect(list.status).toBe(409);
  expect(list.data.plans).toEqual([]);
  const before = (await plansOf()).length;
  const posted = await outcome(() => newAction(args(post(`/staff/people/${caseNumber}/plans/new`, staff, planFields()), { id: caseNumber })));
  expect(posted.status).toBe(409);
  expect(String(posted.data.message)).toContain("本人の同意");
  expect((await plansOf()).length).toBe(before);
});

test("another staff member's case and plan are 404 on every plan page", async () => {
  const caseNumber = await createCase(staff, { name: "担当 三郎" });
  const planId = await createPlanThroughPage(staff, caseNumber, planFields());
  for (const run of [
    () => newLoader(args(get(`/staff/people/${caseNumber}/plans/new`, otherStaff), { id: caseNumber })),
    () => listLoader(args(get(`/staff/people/${caseNumber}/plans`, otherStaff), { id: caseNumber })),
    () => planLoader(args(get(`/staff/plans/${planId}`, otherStaff), { planId: String(planId) })),
    () => printLoader(args(get(`/staff/plans/${planId}/print`, otherStaff), { planId: String(planId) })),
    () => evaluationPrintLoader(args(get(`/staff/plans/${planId}/evaluation/print`, otherStaff), { planId: String(planId) })),
    () => newAction(args(post(`/staff/people/${caseNumber}/plans/new`, otherStaff, planFields()), { id: caseNumber })),
    () => planAction(args(post(`/staff/plans/${planId}`, otherStaff, [["intent", "transition"], ["to", "evaluated"]]), { planId: String(planId) })),
  ]) {
    expect((await outcome(run)).status).toBe(404);
  }
  const [plan] = await database.db.select().from(plans).where(eq(plans.id, planId));
  expect(plan!.status).toBe("draft");
});

test("bad input is 400 with errors next to each field and stores nothing; 「行を追加」 re-renders with one more row", async () => {
  const caseNumber = await createCase(staff, { name: "入力 四郎" });
  const before = (await plansOf()).length;
  const bad = await outcome(() =>
    newAction(
      args(
        post(
          `/staff/people/${caseNumber}/plans/new`,
          staff,
          planFields([
            ["shortTermGoal", "  "],
            ["actions.1.action", "家族との面談"],
            ["monitoringDates.2", "2027-02-30"],
            ["programmes", "bogus"],
            ["nextReviewOn", "来月"],
          ]),
        ),
        { id: caseNumber },
      ),
    ),
  );
  expect(bad.status).toBe(400);
  const errors = bad.data.errors as Record<string, string[]>;
  expect(errors.shortTermGoal?.[0]).toContain("短期目標");
  expect(errors["actions.1.agency"]?.[0]).toContain("担当機関");
  expect(errors["monitoringDates.2"]?.[0]).toContain("存在しない日付");
  expect(errors.programmes?.[0]).toContain("事業");
  expect(errors.nextReviewOn?.[0]).toContain("YYYY-MM-DD");
  // What was typed comes back to fill the form again.
  expect((bad.data.values as { actions: { action: string }[] }).actions[1]!.action).toBe("家族との面談");

  const added = await outcome(() => newAction(args(post(`/staff/people/${caseNumber}/plans/new`, staff, planFields([["intent", "add-row"]])), { id: caseNumber })));
  expect(added.status).toBe(200);
  const values = added.data.values as { actions: { action: string; agency: string }[] };
  expect(values.actions).toHaveLength(4);
  expect(values.actions[0]).toEqual({ action: "見学への同行", agency: "参加支援事業者" });
  expect((await plansOf()).length).toBe(before);

  // A placement of someone else cannot be linked.
  const otherCase = await createCase(staff, { name: "別人 五郎" });
  const foreign = await placementFor(otherCase);
  const refused = await outcome(() => newAction(args(post(`/staff/people/${caseNumber}/plans/new`, staff, planFields([], foreign)), { id: caseNumber })));
  expect(refused.status).toBe(409);
  expect(String(refused.data.message)).toContain("この本人のものではないつなぎ");
  expect((await plansOf()).length).toBe(before);
});

test("the lifecycle on the plan page: legal moves only, 支援決定 by an admin, 終結 with the evaluation sheet", async () => {
  const caseNumber = await createCase(staff, { name: "計画 花子" });
  const placementId = await placementFor(caseNumber);
  const form = await outcome(() => newLoader(args(get(`/staff/people/${caseNumber}/plans/new`, staff), { id: caseNumber })));
  expect(form.status).toBe(200);
  expect((form.data.placements as { id: number }[]).map((p) => p.id)).toEqual([placementId]);
  const planId = await createPlanThroughPage(staff, caseNumber, planFields([], placementId));

  const list = await outcome(() => listLoader(args(get(`/staff/people/${caseNumber}/plans`, staff), { id: caseNumber })));
  expect((list.data.plans as { id: number; status: string; shortTermGoal: string }[]).map((p) => [p.id, p.status, p.shortTermGoal])).toEqual([
    [planId, "draft", "週1回、地域活動支援センターに通う"],
  ]);

  const page = await planPage(staff, planId);
  expect(page.status).toBe(200);
  const current = page.data.current as { content: { actions: unknown[]; placementIds: number[] } };
  expect(current.content.actions).toEqual([
    { action: "見学への同行", agency: "参加支援事業者" },
    { action: "通院の継続", agency: "相談支援事業所" },
  ]);
  expect(current.content.placementIds).toEqual([placementId]);
  const moves = page.data.moves as { to: string; ok: boolean; reason: string | null }[];
  expect(moves.map((m) => m.to).sort()).toEqual(["evaluated", "interrupted"]);
  expect(moves.find((m) => m.to === "interrupted")?.reason).toContain("連絡を試みた記録");

  const eventsOf = async () => (await database.db.select().from(planEvents).where(eq(planEvents.planId, planId))).map((e) => e.toStatus);
  const statusOf = async () => (await database.db.select().from(plans).where(eq(plans.id, planId)))[0]!.status;

  // 作成 → 実施 skips the meeting: refused with the reason, nothing changes.
  const skip = await planPost(staff, planId, [["intent", "transition"], ["to", "in_progress"]]);
  expect(skip.status).toBe(409);
  expect(String(skip.data.message)).toContain("「作成」から「実施」には進めません");
  expect(await statusOf()).toBe("draft");
  expect(await eventsOf()).toEqual(["draft"]);

  expect((await planPost(staff, planId, [["intent", "transition"], ["to", "evaluated"], ["note", "いちばんいい会議 2026-12-03"]])).status).toBe(302);

  // Staff: 支援決定 is not offered and is refused; 実施 waits for it.
  const staffView = (await planPage(staff, planId)).data.moves as { to: string; ok: boolean; reason: string | null }[];
  expect(staffView.find((m) => m.to === "decided")).toMatchObject({ ok: false });
  expect(staffView.find((m) => m.to === "decided")?.reason).toContain("管理者");
  expect(staffView.find((m) => m.to === "in_progress")?.reason).toContain("支援決定の後");
  const notAdmin = await planPost(staff, planId, [["intent", "transition"], ["to", "decided"]]);
  expect(notAdmin.status).toBe(409);
  expect(String(notAdmin.data.message)).toContain("管理者");
  expect(await statusOf()).toBe("evaluated");
  expect((await planPost(staff, planId, [["intent", "transition"], ["to", "in_progress"]])).status).toBe(409);

  // The admin sees the plan (consent 同意) with 支援決定 offered, and records it.
  const adminView = await planPage(admin, planId);
  expect(adminView.data.canDecide).toBe(true);
  expect((adminView.data.moves as { to: string; ok: boolean }[]).find((m) => m.to === "decided")?.ok).toBe(true);
  expect((await planPost(admin, planId, [["intent", "transition"], ["to", "decided"], ["note", "支援決定（福祉総務課）"]])).status).toBe(302);
  expect((await planPost(staff, planId, [["intent", "transition"], ["to", "in_progress"]])).status).toBe(302);

  // 終結 without the sheet: 400 with the three fields named; a bare 終結 move is not a button.
  const noSheet = await planPost(staff, planId, [["intent", "close"], ["on", "2027-03-31"]]);
  expect(noSheet.status).toBe(400);
  expect(Object.keys(noSheet.data.errors as object).sort()).toEqual(["followUpNeed", "goalAttainment", "supporters"]);
  expect((await planPost(staff, planId, [["intent", "transition"], ["to", "closed"]])).status).toBe(400);
  expect(await statusOf()).toBe("in_progress");

  // Propose 終結 to the meeting, then record it with the sheet.
  expect((await planPost(staff, planId, [["intent", "propose"], ["proposed", "closed"]])).status).toBe(302);
  expect((await database.db.select().from(plans).where(eq(plans.id, planId)))[0]!.proposedStatus).toBe("closed");
  const closed = await planPost(staff, planId, [
    ["intent", "close"],
    ["goalAttainment", "週1回通えている"],
    ["supporters", "センター職員が見守っている"],
    ["followUpNeed", "3か月ごとに電話"],
    ["on", "2027-03-31"],
    ["note", "いちばんいい会議 2027-03-30"],
  ]);
  expect(closed.status).toBe(302);
  expect(closed.headers.get("Location")).toBe(`/staff/plans/${planId}?done=closed`);
  expect(await eventsOf()).toEqual(["draft", "evaluated", "decided", "in_progress", "closed"]);
  const light = await database.db.select({ dueOn: followUps.dueOn }).from(followUps).where(eq(followUps.phase, "post_termination"));
  expect(light.map((f) => f.dueOn).sort()).toEqual(["2027-06-30", "2027-09-30", "2027-12-31", "2028-03-31"]);

  const after = await planPage(staff, planId);
  expect((after.data.plan as { evaluationSheet: { followUpNeed: string } }).evaluationSheet.followUpNeed).toBe("3か月ごとに電話");
  expect(after.data.moves).toEqual([]);
  const events = after.data.events as { toStatus: string; note: string | null; by: string | null }[];
  expect(events[2]).toMatchObject({ toStatus: "decided", note: "支援決定（福祉総務課）" });
});

test("中断 is offered only after three failed contact attempts; bad attempts are 400", async () => {
  const caseNumber = await createCase(staff, { name: "連絡 六郎" });
  const planId = await createPlanThroughPage(staff, caseNumber, planFields().filter(([k]) => k !== "programmes"));
  const early = await planPost(staff, planId, [["intent", "transition"], ["to", "interrupted"]]);
  expect(early.status).toBe(409);
  expect(String(early.data.message)).toContain("現在0回");
  const bad = await planPost(staff, planId, [["intent", "attempt"], ["on", "2026-13-01"], ["method", "fax"]]);
  expect(bad.status).toBe(400);
  expect(Object.keys(bad.data.errors as object).sort()).toEqual(["method", "on", "reached"]);
  for (const on of ["2026-12-01", "2026-12-08", "2026-12-15"]) {
    expect((await planPost(staff, planId, [["intent", "attempt"], ["on", on], ["method", "visit"], ["reached", "no"], ["note", "不在"]])).status).toBe(302);
  }
  const page = await planPage(staff, planId);
  expect((page.data.attempts as { on: string; note: string }[]).map((a) => [a.on, a.note])).toEqual([
    ["2026-12-01", "不在"],
    ["2026-12-08", "不在"],
    ["2026-12-15", "不在"],
  ]);
  expect((page.data.moves as { to: string; ok: boolean }[]).find((m) => m.to === "interrupted")?.ok).toBe(true);
  expect((await planPost(staff, planId, [["intent", "transition"], ["to", "interrupted"], ["note", "連絡が完全に途絶"]])).status).toBe(302);
  expect((await database.db.select().from(plans).where(eq(plans.id, planId)))[0]!.status).toBe("interrupted");
});

test("revising while 作成 makes a new version; the history marks what changed", async () => {
  const caseNumber = await createCase(staff, { name: "見直し 七子" });
  const planId = await createPlanThroughPage(staff, caseNumber, planFields());
  const page = await planPage(staff, planId);
  expect((page.data.reviseValues as { actions: unknown[] }).actions).toHaveLength(3); // two rows + one empty
  const revised = await planPost(
    staff,
    planId,
    planFields([
      ["intent", "revise"],
      ["shortTermGoal", "月2回、センターに通う"],
    ]),
  );
  expect(revised.status).toBe(302);
  const after = await planPage(staff, planId);
  const versions = after.data.versions as { version: number; changed: string[]; content: { shortTermGoal: string } }[];
  expect(versions.map((v) => v.version)).toEqual([2, 1]);
  expect(versions[0]!.changed).toEqual(["shortTermGoal"]);
  expect(versions[1]!.content.shortTermGoal).toBe("週1回、地域活動支援センターに通う");
  expect(await database.db.select().from(planVersions).where(eq(planVersions.planId, planId))).toHaveLength(2);
  // Once evaluated, the content is fixed until 再プラン.
  expect((await planPost(staff, planId, [["intent", "transition"], ["to", "evaluated"]])).status).toBe(302);
  const locked = await planPost(staff, planId, planFields([["intent", "revise"]]));
  expect(locked.status).toBe(409);
  expect(String(locked.data.message)).toContain("「作成」か「再プラン」");
  expect(await database.db.select().from(planVersions).where(eq(planVersions.planId, planId))).toHaveLength(2);
});

test("the printed plan and evaluation sheets render through the gate and are audited as 「プランの印刷」", async () => {
  const caseNumber = await createCase(staff, { name: "印刷 八重", nameKana: "いんさつ やえ" });
  const planId = await createPlanThroughPage(staff, caseNumber, planFields());
  const sheet = await outcome(() => printLoader(args(get(`/staff/plans/${planId}/print`, staff), { planId: String(planId) })));
  expect(sheet.status).toBe(200);
  expect(sheet.data.caseNumber).toBe(caseNumber);
  expect(sheet.data.person).toEqual({ name: "印刷 八重", nameKana: "いんさつ やえ" });
  expect((sheet.data.content as { shortTermGoal: string }).shortTermGoal).toBe("週1回、地域活動支援センターに通う");
  const evaluation = await outcome(() => evaluationPrintLoader(args(get(`/staff/plans/${planId}/evaluation/print`, staff), { planId: String(planId) })));
  expect(evaluation.status).toBe(200);
  expect(evaluation.data.sheet).toBeNull(); // blank boxes to fill in at the meeting
  const rows = await database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "plan.read"), eq(auditLog.recordType, "plan"), eq(auditLog.recordId, String(planId)), eq(auditLog.purpose, "プランの印刷")));
  expect(rows).toHaveLength(2);
  expect(rows.every((r) => r.outcome === "success")).toBe(true);
});
