// 定着支援 in the database (issue 7): the follow-up plan of a placement, the record of a contact
// with its つながり評価, the light contacts after 終結, and what the staff dashboard lists. Visibility
// of people comes from the one access module (app/people/access.server.ts): lists here only ever
// join through `visiblePeopleWhere`, so a hidden person is neither shown nor counted.
// Notes and issues are stored encrypted (app/utils/field-crypto.server.ts).
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../../db/client.server";
import { followUps, people, placements, resources } from "../../db/schema";
import { visiblePeopleWhere, type Actor } from "~/people/access.server";
import { decryptField, encryptField } from "~/utils/field-crypto.server";
import {
  addDays,
  DEFAULT_OFFSETS,
  dueBucket,
  EVALUATION_ITEMS,
  generateFollowUpPlan,
  isFalling,
  postTerminationContacts,
  type DueBucket,
  type Evaluation,
  type Offset,
} from "./schedule";

export const CONTACT_KINDS = [
  { code: "visit", label: "訪問" },
  { code: "phone", label: "電話" },
  { code: "accompany", label: "同行" },
  { code: "message", label: "メール・チャット" },
  { code: "interview", label: "面談" },
] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number]["code"];
export const contactKindLabel = (code: string | null) => CONTACT_KINDS.find((k) => k.code === code)?.label ?? "—";
export const SIDE_LABELS = { person: "本人", host: "受け入れ先" } as const;

const offsetSchema = z.strictObject({ weeks: z.number().int().min(0).max(104).optional(), months: z.number().int().min(0).max(60).optional() });
export const offsetsSchema = z.array(offsetSchema).min(1).max(20);

/** Statuses from which 定着支援 runs (見学 / 体験 / 参加中). */
export const FOLLOW_UP_STATUSES = ["visit", "trial", "active"] as const;

/**
 * Creates the placement's follow-up plan when it first reaches 見学/体験/参加中 (idempotent: a
 * placement that already has a plan keeps it). Returns the number of contacts planned.
 */
export async function planFollowUps(tx: Executor, placement: { id: number; personId: number; followUpOffsets: unknown }, startOn: string): Promise<number> {
  const [existing] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(followUps)
    .where(and(eq(followUps.placementId, placement.id), eq(followUps.phase, "placement")));
  if ((existing?.n ?? 0) > 0) return 0;
  const parsed = offsetsSchema.safeParse(placement.followUpOffsets);
  const offsets: readonly Offset[] = parsed.success ? parsed.data : DEFAULT_OFFSETS;
  const plan = generateFollowUpPlan(startOn, { offsets });
  if (plan.length === 0) return 0;
  await tx.insert(followUps).values(plan.map((c) => ({ placementId: placement.id, personId: placement.personId, side: c.side, dueOn: c.dueOn, phase: "placement" })));
  return plan.length;
}

/** After 終結 or 終了: cancel the open placement contacts and plan light contacts for a year. */
export async function planPostTermination(tx: Executor, input: { personId: number; placementId?: number | null; endedOn: string }): Promise<number> {
  if (input.placementId) {
    await tx
      .update(followUps)
      .set({ status: "cancelled" })
      .where(and(eq(followUps.placementId, input.placementId), eq(followUps.status, "planned"), eq(followUps.phase, "placement")));
  }
  const dates = postTerminationContacts(input.endedOn);
  await tx.insert(followUps).values(dates.map((dueOn) => ({ personId: input.personId, placementId: input.placementId ?? null, side: "person", phase: "post_termination", dueOn })));
  return dates.length;
}

const score = z.coerce.number().int().min(1).max(4);
export const followUpRecordSchema = z.object({
  doneOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日付を YYYY-MM-DD で入力してください"),
  contactKind: z.enum(CONTACT_KINDS.map((k) => k.code) as [ContactKind, ...ContactKind[]], { message: "連絡の方法を選んでください" }),
  withWhom: z.string().trim().max(200, "200文字以内で入力してください").optional(),
  evaluation: z.object(Object.fromEntries(EVALUATION_ITEMS.map((item) => [item.code, score.optional()])) as Record<(typeof EVALUATION_ITEMS)[number]["code"], z.ZodOptional<typeof score>>),
  issues: z.string().trim().max(4000, "4,000文字以内で入力してください").optional(),
  note: z.string().trim().max(4000, "4,000文字以内で入力してください").optional(),
});
export type FollowUpRecord = z.infer<typeof followUpRecordSchema>;

/** Records a planned contact as done (inside the person gate's transaction). */
export async function recordFollowUp(tx: Executor, input: { followUpId: number; personId: number; record: FollowUpRecord; by: number }): Promise<boolean> {
  const { record } = input;
  const updated = await tx
    .update(followUps)
    .set({
      status: "done",
      doneOn: record.doneOn,
      contactKind: record.contactKind,
      withWhom: record.withWhom || null,
      evaluation: record.evaluation,
      issues: encryptField(record.issues || null),
      note: encryptField(record.note || null),
      recordedBy: input.by,
    })
    .where(and(eq(followUps.id, input.followUpId), eq(followUps.personId, input.personId)))
    .returning({ id: followUps.id });
  return updated.length === 1;
}

/** The follow-ups of one person (inside the gate), notes decrypted. */
export async function followUpsOfPerson(tx: Executor, personId: number) {
  const rows = await tx
    .select({ followUp: followUps, resourceName: resources.name })
    .from(followUps)
    .leftJoin(placements, eq(placements.id, followUps.placementId))
    .leftJoin(resources, eq(resources.id, placements.resourceId))
    .where(eq(followUps.personId, personId))
    .orderBy(asc(followUps.dueOn), asc(followUps.id));
  return rows.map(({ followUp, resourceName }) => ({
    ...followUp,
    issues: decryptField(followUp.issues),
    note: decryptField(followUp.note),
    resourceName,
  }));
}

export interface DueContact {
  id: number;
  caseNumber: string;
  side: "person" | "host";
  phase: string;
  dueOn: string;
  resourceName: string | null;
  bucket: DueBucket;
}

/**
 * Open contacts due within the next week or overdue, for the people the actor may see (the list
 * shows case numbers and venue names only). Sorted overdue first.
 */
export async function dueContacts(db: Executor, actor: Actor, today: string): Promise<DueContact[]> {
  const rows = await db
    .select({
      id: followUps.id,
      caseNumber: people.caseNumber,
      side: followUps.side,
      phase: followUps.phase,
      dueOn: followUps.dueOn,
      resourceName: resources.name,
    })
    .from(followUps)
    .innerJoin(people, eq(people.id, followUps.personId))
    .leftJoin(placements, eq(placements.id, followUps.placementId))
    .leftJoin(resources, eq(resources.id, placements.resourceId))
    .where(and(eq(followUps.status, "planned"), lte(followUps.dueOn, addDays(today, 7)), visiblePeopleWhere(actor)))
    .orderBy(asc(followUps.dueOn), asc(people.caseNumber), asc(followUps.id));
  return rows.map((r) => ({ ...r, side: r.side === "host" ? "host" : "person", bucket: dueBucket(r.dueOn, today) }));
}

/** Placements whose つながり評価 fell twice in a row, for the people the actor may see. */
export async function fallingPlacements(db: Executor, actor: Actor): Promise<{ placementId: number; caseNumber: string; resourceName: string }[]> {
  const active = await db
    .select({ placementId: placements.id, caseNumber: people.caseNumber, resourceName: resources.name })
    .from(placements)
    .innerJoin(people, eq(people.id, placements.personId))
    .innerJoin(resources, eq(resources.id, placements.resourceId))
    .where(and(inArray(placements.status, [...FOLLOW_UP_STATUSES]), visiblePeopleWhere(actor)));
  if (active.length === 0) return [];
  const evaluations = await db
    .select({ placementId: followUps.placementId, doneOn: followUps.doneOn, evaluation: followUps.evaluation })
    .from(followUps)
    .where(and(eq(followUps.status, "done"), inArray(followUps.placementId, active.map((a) => a.placementId))));
  const byPlacement = new Map<number, Evaluation[]>();
  for (const e of evaluations) {
    if (e.placementId === null || !e.doneOn) continue;
    byPlacement.set(e.placementId, [...(byPlacement.get(e.placementId) ?? []), { on: e.doneOn, ...(e.evaluation as Partial<Record<string, number>>) }]);
  }
  return active.filter((a) => isFalling(byPlacement.get(a.placementId) ?? []));
}
