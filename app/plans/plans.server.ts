// プラン in the database (issue 7): create, revise (versioned, content encrypted), move through the
// lifecycle (app/plans/lifecycle.ts decides what is legal), 支援決定 by an administrator, the
// evaluation sheet, contact attempts before 中断, and the light contacts after 終結. Every function
// reaches the person through the access gate (withPerson), and a plan requires the person's consent
// 同意, checked inside the gate's transaction (a withdrawn consent takes effect at once).
import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "../../db/client.server";
import { contactAttempts, followUps, people, placements, planEvents, plans, planVersions, resources, users } from "../../db/schema";
import { planPostTermination } from "~/followup/followups.server";
import { PersonWriteRefused, withPerson, type Actor, type AuditMeta, type PersonAccessResult, type PersonRef } from "~/people/access.server";
import { decryptField, encryptField } from "~/utils/field-crypto.server";
import { can } from "~/utils/permissions";
import { checkPlanTransition, PLAN_PROGRAMMES, type PlanFacts, type PlanStatus } from "./lifecycle";

/** YYYY-MM-DD that is a real calendar day (zod runs refinements even after the regex failed). */
function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const text = (max: number) => z.string().trim().max(max, `${max.toLocaleString("ja-JP")}文字以内で入力してください`);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日付を YYYY-MM-DD で入力してください")
  // The regex alone lets 2027-02-30 through, and PostgreSQL then fails the whole write.
  .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isRealDate(v), "存在しない日付です");

export const planContentSchema = z.object({
  shortTermGoal: text(2000).min(1, "短期目標を入力してください"),
  longTermGoal: text(2000).default(""),
  /** 役割分担: what is done and which agency is responsible. */
  actions: z
    .array(z.object({ action: text(500).min(1, "支援内容を入力してください"), agency: text(200).min(1, "担当機関を入力してください") }))
    .max(30)
    .default([]),
  placementIds: z.array(z.number().int().positive()).max(50).default([]),
  monitoringDates: z.array(isoDate).max(24).default([]),
});
export type PlanContent = z.infer<typeof planContentSchema>;

export const programmesSchema = z
  .array(z.enum(PLAN_PROGRAMMES.map((p) => p.code) as [string, ...string[]], { message: "事業の種類が正しくありません" }))
  .max(PLAN_PROGRAMMES.length);

export const evaluationSheetSchema = z.object({
  /** 目標の達成状況 */
  goalAttainment: text(2000).min(1, "目標の達成状況を入力してください"),
  /** 本人に関わる支援者の状況 */
  supporters: text(2000).min(1, "支援者の状況を入力してください"),
  /** フォローアップの必要性とその方法 */
  followUpNeed: text(2000).min(1, "フォローアップの必要性を入力してください"),
});
export type EvaluationSheet = z.infer<typeof evaluationSheetSchema>;

export const CONSENT_REQUIRED_MESSAGE = "プランは本人の同意（同意）がある場合にだけ作成・閲覧できます。同意の記録を確認してください。";

/** The consent rule of plans, inside the gate's transaction. */
function requirePlanConsent(person: PersonRef): void {
  if (person.latestConsent !== "agree") throw new PersonWriteRefused(CONSENT_REQUIRED_MESSAGE, "Plans require the person's consent.");
}

export async function createPlan(
  db: Database,
  input: { actor: Actor; caseNumber: string; content: PlanContent; programmes: string[]; nextReviewOn?: string | null; audit?: AuditMeta }
): Promise<PersonAccessResult<{ planId: number }>> {
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "プランの作成", action: "plan.create", mode: "write", audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      await requireOwnPlacements(tx, person.id, input.content.placementIds);
      const [plan] = await tx
        .insert(plans)
        .values({ personId: person.id, status: "draft", version: 1, programmes: input.programmes, nextReviewOn: input.nextReviewOn ?? null, createdBy: input.actor.id })
        .returning({ id: plans.id });
      await tx.insert(planVersions).values({ planId: plan!.id, version: 1, content: encryptField(JSON.stringify(input.content))!, createdBy: input.actor.id });
      await tx.insert(planEvents).values({ planId: plan!.id, fromStatus: null, toStatus: "draft", by: input.actor.id });
      return { planId: plan!.id };
    }
  );
}

async function requireOwnPlacements(tx: Executor, personId: number, placementIds: number[]): Promise<void> {
  if (placementIds.length === 0) return;
  const found = await tx.select({ id: placements.id }).from(placements).where(and(eq(placements.personId, personId), inArray(placements.id, placementIds)));
  if (found.length !== new Set(placementIds).size) {
    throw new PersonWriteRefused("この本人のものではないつなぎが含まれています。", "A linked placement belongs to someone else.");
  }
}

async function personOfPlan(db: Executor, planId: number): Promise<number | null> {
  const [row] = await db.select({ personId: plans.personId }).from(plans).where(eq(plans.id, planId));
  return row?.personId ?? null;
}

/** A new version of the content (only while the plan is 作成 or 再プラン). */
export async function revisePlan(db: Database, input: { actor: Actor; planId: number; content: PlanContent; programmes: string[]; nextReviewOn?: string | null; audit?: AuditMeta }) {
  const personId = await personOfPlan(db, input.planId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: "プランの見直し", action: "plan.revise", record: { type: "plan", id: input.planId }, mode: "write", audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      await requireOwnPlacements(tx, person.id, input.content.placementIds);
      const [plan] = await tx.select().from(plans).where(eq(plans.id, input.planId)).for("update");
      if (!plan || (plan.status !== "draft" && plan.status !== "replanning")) {
        throw new PersonWriteRefused("内容を変えられるのは「作成」か「再プラン」のときだけです。", "Only a draft or a re-plan can be revised.");
      }
      const version = plan.version + 1;
      await tx.insert(planVersions).values({ planId: plan.id, version, content: encryptField(JSON.stringify(input.content))!, createdBy: input.actor.id });
      await tx
        .update(plans)
        .set({ version, programmes: input.programmes, decidedAt: null, decidedBy: null, updatedAt: new Date(), ...(input.nextReviewOn !== undefined ? { nextReviewOn: input.nextReviewOn } : {}) })
        .where(eq(plans.id, plan.id));
      return { version };
    }
  );
}

async function planFacts(tx: Executor, plan: typeof plans.$inferSelect): Promise<PlanFacts> {
  const [attempts] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(contactAttempts)
    .where(and(eq(contactAttempts.personId, plan.personId), eq(contactAttempts.reached, false), gte(contactAttempts.createdAt, plan.createdAt)));
  return {
    status: plan.status as PlanStatus,
    programmes: plan.programmes,
    decided: plan.decidedAt !== null,
    hasEvaluationSheet: plan.evaluationSheet !== null,
    failedContactAttempts: Number(attempts?.n ?? 0),
  };
}

/**
 * Moves a plan. 支援決定 needs `decide:support`; 終結 stores the evaluation sheet first; 再プラン
 * clears the decision (the new version needs its own). Illegal moves are refused with the reason.
 */
export async function transitionPlan(
  db: Database,
  input: { actor: Actor; planId: number; to: PlanStatus; note?: string; meetingId?: number | null; evaluationSheet?: EvaluationSheet; on?: string; audit?: AuditMeta }
) {
  const personId = await personOfPlan(db, input.planId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: "プランの状態の変更", action: "plan.transition", record: { type: "plan", id: input.planId }, mode: "write", audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      const [plan] = await tx.select().from(plans).where(eq(plans.id, input.planId)).for("update");
      if (!plan) throw new PersonWriteRefused("プランが見つかりません。", "No such plan.");
      const sheet = input.to === "closed" && input.evaluationSheet ? encryptField(JSON.stringify(input.evaluationSheet)) : plan.evaluationSheet;
      const facts = await planFacts(tx, { ...plan, evaluationSheet: sheet });
      const check = checkPlanTransition(facts, input.to, { canDecide: can(input.actor.role, "decide:support") });
      if (!check.ok) throw new PersonWriteRefused(check.reason, `Transition to ${input.to} refused.`);
      const now = new Date();
      await tx
        .update(plans)
        .set({
          status: input.to,
          proposedStatus: null,
          evaluationSheet: sheet,
          updatedAt: now,
          ...(input.to === "decided" ? { decidedAt: now, decidedBy: input.actor.id } : {}),
          ...(input.to === "replanning" ? { decidedAt: null, decidedBy: null } : {}),
        })
        .where(eq(plans.id, plan.id));
      await tx.insert(planEvents).values({ planId: plan.id, fromStatus: plan.status, toStatus: input.to, meetingId: input.meetingId ?? null, by: input.actor.id, note: encryptField(input.note || null) });
      if (input.to === "closed" && input.on) await planPostTermination(tx, { personId: person.id, endedOn: input.on });
      return { from: plan.status, to: input.to };
    }
  );
}

/** Staff propose 終結 or 中断: the plan goes on the next 重層的支援会議's agenda. */
export async function proposePlanEnd(db: Database, input: { actor: Actor; planId: number; proposed: "closed" | "interrupted"; audit?: AuditMeta }) {
  const personId = await personOfPlan(db, input.planId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: "プランの終結・中断の提案", action: "plan.transition", record: { type: "plan", id: input.planId }, mode: "write", audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      await tx.update(plans).set({ proposedStatus: input.proposed, updatedAt: new Date() }).where(eq(plans.id, input.planId));
      return { proposed: input.proposed };
    }
  );
}

export const contactAttemptSchema = z.object({
  on: isoDate,
  method: z.enum(["visit", "phone", "letter", "message", "other"], { message: "方法を選んでください" }),
  reached: z.boolean(),
  note: text(2000).optional(),
});

export async function recordContactAttempt(db: Database, input: { actor: Actor; caseNumber: string; attempt: z.infer<typeof contactAttemptSchema>; audit?: AuditMeta }) {
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "連絡の試みの記録", action: "contact-attempt.record", mode: "write", audit: input.audit },
    async (tx, person) => {
      const [row] = await tx
        .insert(contactAttempts)
        .values({ personId: person.id, on: input.attempt.on, method: input.attempt.method, reached: input.attempt.reached, note: encryptField(input.attempt.note || null), recordedBy: input.actor.id })
        .returning({ id: contactAttempts.id });
      return { id: row!.id };
    }
  );
}

/** Reads a plan with every version's content and its events (decrypted). */
export async function readPlan(db: Database, input: { actor: Actor; planId: number; purpose?: string; audit?: AuditMeta }) {
  const personId = await personOfPlan(db, input.planId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: input.purpose ?? "プランの閲覧", action: "plan.read", record: { type: "plan", id: input.planId }, audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      const [plan] = await tx.select().from(plans).where(eq(plans.id, input.planId));
      const versions = await tx.select().from(planVersions).where(eq(planVersions.planId, input.planId)).orderBy(desc(planVersions.version));
      const events = await tx.select().from(planEvents).where(eq(planEvents.planId, input.planId)).orderBy(asc(planEvents.id));
      return {
        plan: { ...plan!, evaluationSheet: plan!.evaluationSheet ? (JSON.parse(decryptField(plan!.evaluationSheet)!) as EvaluationSheet) : null },
        versions: versions.map((v) => ({ ...v, content: planContentSchema.parse(JSON.parse(decryptField(v.content)!)) })),
        events: events.map((e) => ({ ...e, note: decryptField(e.note) })),
        caseNumber: person.caseNumber,
      };
    }
  );
}

// ---------------------------------------------------------------------------------------------
// What the plan pages read (issue 7, pages): each in one gated transaction, audited with its purpose.

/** The person's placements (つなぎ) a plan may link to, with the venue name. */
async function placementsOfPerson(tx: Executor, personId: number) {
  return tx
    .select({ id: placements.id, status: placements.status, resourceName: resources.name })
    .from(placements)
    .innerJoin(resources, eq(resources.id, placements.resourceId))
    .where(eq(placements.personId, personId))
    .orderBy(desc(placements.id));
}

/**
 * What the new-plan form needs: the person's placements to link. Refused (with the Japanese
 * reason) when the consent is not 同意; not visible → not-found.
 */
export async function planFormContext(db: Database, input: { actor: Actor; caseNumber: string; audit?: AuditMeta }) {
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "プラン作成の準備", action: "plan.read", audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      return { caseNumber: person.caseNumber, placements: await placementsOfPerson(tx, person.id) };
    }
  );
}

/** The plans of one person, newest first, with the current version's short-term goal. */
export async function listPlansOfPerson(db: Database, input: { actor: Actor; caseNumber: string; audit?: AuditMeta }) {
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "プランの一覧の閲覧", action: "plan.read", audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      const rows = await tx
        .select({ plan: plans, content: planVersions.content })
        .from(plans)
        .innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.version)))
        .where(eq(plans.personId, person.id))
        .orderBy(desc(plans.id));
      return rows.map(({ plan, content }) => ({
        id: plan.id,
        status: plan.status,
        proposedStatus: plan.proposedStatus,
        version: plan.version,
        programmes: plan.programmes,
        nextReviewOn: plan.nextReviewOn,
        decidedAt: plan.decidedAt,
        updatedAt: plan.updatedAt,
        shortTermGoal: planContentSchema.parse(JSON.parse(decryptField(content)!)).shortTermGoal,
      }));
    }
  );
}

/**
 * Everything the plan page and the printed sheets show, read in one gated transaction: the plan,
 * every version (newest first), the events with who made them, the person's contact attempts
 * since the plan began, the person's placements (to name the linked ones) and the lifecycle
 * facts (for checkPlanTransition). `purpose` is 「プランの閲覧」 or 「プランの印刷」.
 */
export async function getPlanDetail(db: Database, input: { actor: Actor; planId: number; purpose?: string; audit?: AuditMeta }) {
  const personId = await personOfPlan(db, input.planId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: input.purpose ?? "プランの閲覧", action: "plan.read", record: { type: "plan", id: input.planId }, audit: input.audit },
    async (tx, person) => {
      requirePlanConsent(person);
      const [plan] = await tx.select().from(plans).where(eq(plans.id, input.planId));
      const [who] = await tx.select({ name: people.name, nameKana: people.nameKana }).from(people).where(eq(people.id, person.id));
      const versions = await tx
        .select({ version: planVersions.version, content: planVersions.content, createdAt: planVersions.createdAt, author: users.displayName })
        .from(planVersions)
        .leftJoin(users, eq(users.id, planVersions.createdBy))
        .where(eq(planVersions.planId, input.planId))
        .orderBy(desc(planVersions.version));
      const events = await tx
        .select({ id: planEvents.id, fromStatus: planEvents.fromStatus, toStatus: planEvents.toStatus, at: planEvents.at, note: planEvents.note, by: users.displayName })
        .from(planEvents)
        .leftJoin(users, eq(users.id, planEvents.by))
        .where(eq(planEvents.planId, input.planId))
        .orderBy(asc(planEvents.id));
      const attempts = await tx
        .select({ id: contactAttempts.id, on: contactAttempts.on, method: contactAttempts.method, reached: contactAttempts.reached, note: contactAttempts.note, by: users.displayName, createdAt: contactAttempts.createdAt })
        .from(contactAttempts)
        .leftJoin(users, eq(users.id, contactAttempts.recordedBy))
        .where(and(eq(contactAttempts.personId, person.id), gte(contactAttempts.createdAt, plan!.createdAt)))
        .orderBy(asc(contactAttempts.on), asc(contactAttempts.id));
      // つながり評価 recorded for the person's placements (the evaluation sheet reprints them).
      const evaluations = await tx
        .select({ placementId: followUps.placementId, side: followUps.side, doneOn: followUps.doneOn, evaluation: followUps.evaluation })
        .from(followUps)
        .where(and(eq(followUps.personId, person.id), eq(followUps.status, "done")))
        .orderBy(asc(followUps.doneOn), asc(followUps.id));
      const [decider] = plan!.decidedBy ? await tx.select({ name: users.displayName }).from(users).where(eq(users.id, plan!.decidedBy)) : [];
      return {
        caseNumber: person.caseNumber,
        person: { name: who?.name ?? "", nameKana: who?.nameKana ?? null },
        plan: {
          ...plan!,
          evaluationSheet: plan!.evaluationSheet ? evaluationSheetSchema.parse(JSON.parse(decryptField(plan!.evaluationSheet)!)) : null,
          decidedByName: decider?.name ?? null,
        },
        facts: await planFacts(tx, plan!),
        versions: versions.map((v) => ({ ...v, content: planContentSchema.parse(JSON.parse(decryptField(v.content)!)) })),
        events: events.map((e) => ({ ...e, note: decryptField(e.note) })),
        attempts: attempts.map((a) => ({ ...a, note: decryptField(a.note) })),
        placements: await placementsOfPerson(tx, person.id),
        evaluations: evaluations.map((e) => ({ ...e, evaluation: (e.evaluation ?? {}) as Partial<Record<string, number>> })),
      };
    }
  );
}

/** A contact attempt recorded from the plan page (the person of the plan, found by the plan). */
export async function recordContactAttemptForPlan(db: Database, input: { actor: Actor; planId: number; attempt: z.infer<typeof contactAttemptSchema>; audit?: AuditMeta }) {
  const personId = await personOfPlan(db, input.planId);
  if (personId === null) return { kind: "not-found" } as const;
  const [row] = await db.select({ caseNumber: people.caseNumber }).from(people).where(eq(people.id, personId));
  return recordContactAttempt(db, { actor: input.actor, caseNumber: row!.caseNumber, attempt: input.attempt, audit: input.audit });
}
