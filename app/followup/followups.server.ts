// 定着支援 in the database (issue 7): the follow-up plan of a placement, the record of a contact
// with its つながり評価, the light contacts after 終結, and what the staff dashboard lists. Visibility
// of people comes from the one access module (app/people/access.server.ts): lists here only ever
// join through `visiblePeopleWhere`, so a hidden person is neither shown nor counted.
// Notes and issues are stored encrypted (app/utils/field-crypto.server.ts).
import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "../../db/client.server";
import { followUps, people, placementEvents, placements, resources } from "../../db/schema";
import { PersonWriteRefused, visiblePeopleWhere, withPerson, type Actor, type AuditMeta } from "~/people/access.server";
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
import { CONTACT_KINDS, type ContactKind } from "./vocabulary";

/** YYYY-MM-DD that is a real calendar day (zod runs refinements even after the regex failed). */
function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export { CONTACT_KINDS, contactKindLabel, SIDE_LABELS, type ContactKind } from "./vocabulary";

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
  doneOn: z
    .string({ error: "日付を入力してください" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "日付を YYYY-MM-DD で入力してください")
    // The regex alone lets 2027-02-30 through, and PostgreSQL then fails the whole write.
    .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isRealDate(v), "存在しない日付です"),
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

// ---------------------------------------------------------------------------------------------
// The follow-up pages (issue 7, pages): one contact, its record, and one person's plan, each
// through the people gate (not visible → not-found), audited with the purpose.

async function personOfFollowUp(db: Executor, followUpId: number): Promise<number | null> {
  const [row] = await db.select({ personId: followUps.personId }).from(followUps).where(eq(followUps.id, followUpId));
  return row?.personId ?? null;
}

/** The つながり評価 recorded for one placement, as the pure rules take them. */
async function evaluationsOfPlacement(tx: Executor, placementId: number): Promise<Evaluation[]> {
  const rows = await tx
    .select({ doneOn: followUps.doneOn, evaluation: followUps.evaluation })
    .from(followUps)
    .where(and(eq(followUps.placementId, placementId), eq(followUps.status, "done")))
    .orderBy(asc(followUps.doneOn), asc(followUps.id));
  return rows.flatMap((r) => (r.doneOn ? [{ on: r.doneOn, ...((r.evaluation ?? {}) as Partial<Record<string, number>>) }] : []));
}

/** One planned or recorded contact with its placement and the placement's evaluations so far. */
export async function readFollowUp(db: Database, input: { actor: Actor; followUpId: number; audit?: AuditMeta }) {
  const personId = await personOfFollowUp(db, input.followUpId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: "フォローアップの閲覧", action: "followup.read", record: { type: "follow_up", id: input.followUpId }, audit: input.audit },
    async (tx, person) => {
      const [followUp] = await tx.select().from(followUps).where(eq(followUps.id, input.followUpId));
      const [placement] = followUp!.placementId
        ? await tx
            .select({ id: placements.id, status: placements.status, hostContact: placements.hostContact, resourceName: resources.name })
            .from(placements)
            .innerJoin(resources, eq(resources.id, placements.resourceId))
            .where(eq(placements.id, followUp!.placementId))
        : [];
      return {
        caseNumber: person.caseNumber,
        followUp: { ...followUp!, issues: decryptField(followUp!.issues), note: decryptField(followUp!.note) },
        placement: placement ?? null,
        evaluations: placement ? await evaluationsOfPlacement(tx, placement.id) : [],
      };
    }
  );
}

/**
 * Records a planned contact (the gate's write mode: a consent change cannot interleave). A contact
 * already recorded or cancelled is refused, so a second submit cannot overwrite the first record.
 */
export async function recordFollowUpAsActor(db: Database, input: { actor: Actor; followUpId: number; record: FollowUpRecord; audit?: AuditMeta }) {
  const personId = await personOfFollowUp(db, input.followUpId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: "フォローアップの記録", action: "followup.record", record: { type: "follow_up", id: input.followUpId }, mode: "write", audit: input.audit },
    async (tx, person) => {
      const [current] = await tx.select({ status: followUps.status }).from(followUps).where(eq(followUps.id, input.followUpId)).for("update");
      if (current?.status !== "planned") {
        throw new PersonWriteRefused("この連絡はすでに記録済みか、取り消されています。", "This contact was already recorded or cancelled.");
      }
      await recordFollowUp(tx, { followUpId: input.followUpId, personId: person.id, record: input.record, by: input.actor.id });
      return { followUpId: input.followUpId };
    }
  );
}

/** One person's follow-up plan and records (both sides), with the placements they belong to. */
export async function readFollowUpsOfCase(db: Database, input: { actor: Actor; caseNumber: string; audit?: AuditMeta }) {
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "フォローアップの一覧の閲覧", action: "followup.read", audit: input.audit },
    async (tx, person) => {
      const rows = await followUpsOfPerson(tx, person.id);
      const placementRows = await tx
        .select({ id: placements.id, status: placements.status, resourceName: resources.name })
        .from(placements)
        .innerJoin(resources, eq(resources.id, placements.resourceId))
        .where(eq(placements.personId, person.id))
        .orderBy(asc(placements.id));
      return { caseNumber: person.caseNumber, followUps: rows, placements: placementRows };
    }
  );
}

/** 「1週, 2週, 1か月, 2か月, 3か月」 or 「1w,2w,1m」 → offsets; null when a part is not understood. */
export function parseOffsetsText(text: string): Offset[] | null {
  const parts = text
    .normalize("NFKC")
    .split(/[,、\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 20) return null;
  const offsets: Offset[] = [];
  for (const part of parts) {
    const match = /^(\d{1,2})\s*(w|週|週間|m|か月|ヶ月|カ月|ヵ月|月)$/i.exec(part);
    if (!match) return null;
    const n = Number(match[1]);
    if (n < 1) return null;
    offsets.push(/^(w|週|週間)$/i.test(match[2]!) ? { weeks: n } : { months: n });
  }
  return offsets;
}

export function formatOffsets(offsets: readonly Offset[]): string {
  return offsets.map((o) => (o.weeks ? `${o.weeks}週` : `${o.months ?? 0}か月`)).join("、");
}

/**
 * Sets a placement's follow-up offsets and re-plans the contacts not yet made: planned contacts
 * from today on are replaced by the new plan's dates (counted from the day the placement reached
 * 見学/体験/参加中); recorded and past contacts stay.
 */
export async function setFollowUpOffsets(db: Database, input: { actor: Actor; placementId: number; offsets: Offset[]; today: string; audit?: AuditMeta }) {
  const [owner] = await db.select({ personId: placements.personId }).from(placements).where(eq(placements.id, input.placementId));
  if (!owner) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: owner.personId }, purpose: "フォローアップの間隔の変更", action: "followup.plan", record: { type: "placement", id: input.placementId }, mode: "write", audit: input.audit },
    async (tx, person) => {
      await tx.update(placements).set({ followUpOffsets: input.offsets, updatedAt: new Date() }).where(eq(placements.id, input.placementId));
      const [start] = await tx
        .select({ on: placementEvents.on })
        .from(placementEvents)
        .where(and(eq(placementEvents.placementId, input.placementId), inArray(placementEvents.toStatus, [...FOLLOW_UP_STATUSES])))
        .orderBy(asc(placementEvents.on), asc(placementEvents.id))
        .limit(1);
      if (!start) return { replanned: 0 };
      await tx
        .delete(followUps)
        .where(and(eq(followUps.placementId, input.placementId), eq(followUps.phase, "placement"), eq(followUps.status, "planned"), gte(followUps.dueOn, input.today)));
      const kept = await tx.select({ dueOn: followUps.dueOn, side: followUps.side }).from(followUps).where(and(eq(followUps.placementId, input.placementId), eq(followUps.phase, "placement")));
      const have = new Set(kept.map((k) => `${k.dueOn}|${k.side}`));
      const fresh = generateFollowUpPlan(start.on, { offsets: input.offsets }).filter((c) => c.dueOn >= input.today && !have.has(`${c.dueOn}|${c.side}`));
      if (fresh.length) await tx.insert(followUps).values(fresh.map((c) => ({ placementId: input.placementId, personId: person.id, side: c.side, dueOn: c.dueOn, phase: "placement" })));
      return { replanned: fresh.length };
    }
  );
}
