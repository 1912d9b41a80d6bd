// プラン through the people gate: consent 同意 required (and withdrawing it takes effect at once),
// other staff cannot reach it, illegal transitions are refused with the reason, 支援決定 only by
// an admin, 中断 only after contact attempts, 終結 with the evaluation sheet schedules light
// contacts, every transition is audited, and the content is ciphertext in the database.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, consentEvents, followUps, people, personAssignments } from "../../db/schema";
import { createPlan, proposePlanEnd, readPlan, recordContactAttempt, revisePlan, transitionPlan } from "../../app/plans/plans.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, type TestUser } from "../accounts/helpers";

let handle: TestDatabase;
let staffA: TestUser;
let staffB: TestUser;
let admin: TestUser;
const content = {
  shortTermGoal: "週1回、地域活動支援センターに通う",
  longTermGoal: "就労体験に参加する",
  actions: [
    { action: "見学への同行", agency: "参加支援事業者" },
    { action: "通院の継続", agency: "相談支援事業所" },
  ],
  placementIds: [],
  monitoringDates: ["2027-01-15"],
};

const actorOf = (u: TestUser) => ({ id: u.id, role: u.role });

async function makePerson(caseNumber: string, consent: "agree" | "disagree" | "unknown") {
  const [person] = await handle.db.insert(people).values({ caseNumber, name: `テスト ${caseNumber}`, nameKana: "てすと" }).returning({ id: people.id });
  await handle.db.insert(personAssignments).values({ personId: person!.id, userId: staffA.id });
  await handle.db.insert(consentEvents).values({ personId: person!.id, state: consent, recordedOn: "2026-11-01", recordedBy: staffA.id });
  return person!.id;
}

beforeAll(async () => {
  handle = await createTestDatabase();
  staffA = await makeUser(handle.db, { role: "staff", totp: true });
  staffB = await makeUser(handle.db, { role: "staff", totp: true });
  admin = await makeUser(handle.db, { role: "admin", totp: true });
});
afterAll(async () => {
  await handle?.cleanup();
});

describe("plans", () => {
  test("need consent 同意; not-found for other staff", async () => {
    await makePerson("2026-0001", "unknown");
    const refused = await createPlan(handle.db, { actor: actorOf(staffA), caseNumber: "2026-0001", content, programmes: ["participation"] });
    expect(refused.kind).toBe("refused");
    await makePerson("2026-0002", "agree");
    expect((await createPlan(handle.db, { actor: actorOf(staffB), caseNumber: "2026-0002", content, programmes: ["participation"] })).kind).toBe("not-found");
  });

  test("the lifecycle: 支援決定 by an admin before 実施, sheet for 終結, light contacts after", async () => {
    const created = await createPlan(handle.db, { actor: actorOf(staffA), caseNumber: "2026-0002", content, programmes: ["participation"] });
    if (created.kind !== "ok") throw new Error(created.kind);
    const planId = created.value.planId;
    const move = (user: TestUser, to: Parameters<typeof transitionPlan>[1]["to"], extra: Partial<Parameters<typeof transitionPlan>[1]> = {}) =>
      transitionPlan(handle.db, { actor: actorOf(user), planId, to, ...extra });

    expect((await move(staffA, "evaluated", { note: "いちばんいい会議で評価" })).kind).toBe("ok");
    const early = await move(staffA, "in_progress");
    expect(early.kind === "refused" && early.error.message).toContain("支援決定の後");
    const notAdmin = await move(staffA, "decided");
    expect(notAdmin.kind === "refused" && notAdmin.error.message).toContain("管理者");
    // The admin sees the plan (consent 同意) and decides.
    expect((await move(admin, "decided")).kind).toBe("ok");
    expect((await move(staffA, "in_progress")).kind).toBe("ok");
    const noSheet = await move(staffA, "closed");
    expect(noSheet.kind === "refused" && noSheet.error.message).toContain("評価シート");
    const closed = await move(staffA, "closed", {
      on: "2027-03-31",
      evaluationSheet: { goalAttainment: "週1回通えている", supporters: "センター職員が見守り", followUpNeed: "3か月ごとに電話" },
    });
    expect(closed.kind).toBe("ok");
    const light = await handle.db.select().from(followUps).where(eq(followUps.phase, "post_termination"));
    expect(light.map((f) => f.dueOn)).toEqual(["2027-06-30", "2027-09-30", "2027-12-31", "2028-03-31"]);

    const read = await readPlan(handle.db, { actor: actorOf(staffA), planId });
    if (read.kind !== "ok") throw new Error(read.kind);
    expect(read.value.plan.status).toBe("closed");
    expect(read.value.versions[0]!.content.actions).toHaveLength(2);
    expect(read.value.events.map((e) => e.toStatus)).toEqual(["draft", "evaluated", "decided", "in_progress", "closed"]);
    expect(read.value.plan.evaluationSheet?.followUpNeed).toBe("3か月ごとに電話");

    const transitions = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "plan.transition"), eq(auditLog.recordId, String(planId))));
    expect(transitions.filter((t) => t.outcome === "success")).toHaveLength(4);
    const refusals = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "plan.transition"), eq(auditLog.outcome, "failure")));
    expect(refusals).toHaveLength(3);

    const raw = await handle.db.execute(sql`select content from plan_versions where plan_id = ${planId}`);
    const value = ((Array.isArray(raw) ? raw : (raw as { rows: unknown[] }).rows)[0] as { content: string }).content;
    expect(value.startsWith("enc:v1:")).toBe(true);
    expect(value).not.toContain("地域活動支援センター");
  });

  test("a plan without 参加支援/アウトリーチ goes to 実施 after the meeting (reported only)", async () => {
    await makePerson("2026-0003", "agree");
    const created = await createPlan(handle.db, { actor: actorOf(staffA), caseNumber: "2026-0003", content, programmes: ["multi_agency"] });
    if (created.kind !== "ok") throw new Error(created.kind);
    const planId = created.value.planId;
    expect((await transitionPlan(handle.db, { actor: actorOf(staffA), planId, to: "evaluated" })).kind).toBe("ok");
    expect((await transitionPlan(handle.db, { actor: actorOf(staffA), planId, to: "in_progress" })).kind).toBe("ok");
  });

  test("中断 only after failed contact attempts are recorded", async () => {
    await makePerson("2026-0004", "agree");
    const created = await createPlan(handle.db, { actor: actorOf(staffA), caseNumber: "2026-0004", content, programmes: [] });
    if (created.kind !== "ok") throw new Error(created.kind);
    const planId = created.value.planId;
    expect((await proposePlanEnd(handle.db, { actor: actorOf(staffA), planId, proposed: "interrupted" })).kind).toBe("ok");
    const early = await transitionPlan(handle.db, { actor: actorOf(staffA), planId, to: "interrupted" });
    expect(early.kind === "refused" && early.error.message).toContain("連絡を試みた記録");
    for (const on of ["2026-12-01", "2026-12-08", "2026-12-15"]) {
      await recordContactAttempt(handle.db, { actor: actorOf(staffA), caseNumber: "2026-0004", attempt: { on, method: "phone", reached: false } });
    }
    expect((await transitionPlan(handle.db, { actor: actorOf(staffA), planId, to: "interrupted" })).kind).toBe("ok");
  });

  test("revising is for 作成 / 再プラン only; withdrawing consent hides the plan at once", async () => {
    const personId = await makePerson("2026-0005", "agree");
    const created = await createPlan(handle.db, { actor: actorOf(staffA), caseNumber: "2026-0005", content, programmes: ["participation"] });
    if (created.kind !== "ok") throw new Error(created.kind);
    const planId = created.value.planId;
    expect((await revisePlan(handle.db, { actor: actorOf(staffA), planId, content: { ...content, shortTermGoal: "月2回" }, programmes: ["participation"] })).kind).toBe("ok");
    const read = await readPlan(handle.db, { actor: actorOf(admin), planId });
    expect(read.kind === "ok" && read.value.versions.map((v) => v.version)).toEqual([2, 1]);
    await handle.db.insert(consentEvents).values({ personId, state: "disagree", recordedOn: "2026-12-01", recordedBy: staffA.id });
    expect((await readPlan(handle.db, { actor: actorOf(admin), planId })).kind).toBe("not-found");
    expect((await readPlan(handle.db, { actor: actorOf(staffA), planId })).kind).toBe("refused");
  });
});
