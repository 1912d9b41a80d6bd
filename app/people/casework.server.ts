// Assessments (アセスメント, versioned) and placements (つなぎ) with their lifecycle events. Every
// function goes through the gate in access.server.ts; placement transitions are checked against
// the pure rules of placement.ts.
import { and, asc, desc, eq, ilike, or } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { assessments, followUps, people, placementEvents, placements, resources, users } from "../../db/schema";
import { attendanceOf } from "~/followup/attendance.server";
import { FOLLOW_UP_STATUSES, planFollowUps } from "~/followup/followups.server";
import { decryptField, encryptField } from "~/utils/field-crypto.server";
import type { Needs } from "~/matching/needs";
import { PersonWriteRefused, withPerson, type Actor, type AuditMeta, type PersonAccessResult } from "./access.server";
import { todayInTokyo } from "./people.server";
import { isLegalTransition, placementStatusLabel, type PlacementStatus } from "./placement";

// ---------------------------------------------------------------------------------------------
// Assessments

/**
 * Saves a new version (latest + 1) of the person's assessment. `needs` is already validated by
 * the needs schema; location and area come from the person record so distances are measured from
 * where the person lives.
 */
export async function createAssessment(
  db: Database,
  input: { actor: Actor; caseNumber: string; needs: Needs; assessedOn: string; freeText?: string | null; now?: Date; audit?: AuditMeta },
): Promise<PersonAccessResult<{ version: number; id: number }>> {
  const now = input.now ?? new Date();
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "アセスメントの記録", action: "assessment.create", mode: "write", audit: input.audit },
    async (tx, ref) => {
      const [person] = await tx.select({ latitude: people.latitude, longitude: people.longitude, area: people.area }).from(people).where(eq(people.id, ref.id));
      const needs: Needs = { ...input.needs };
      if (person.latitude !== null && person.longitude !== null) needs.location = { lat: person.latitude, lon: person.longitude };
      if (person.area) needs.area = person.area;
      const [last] = await tx
        .select({ version: assessments.version })
        .from(assessments)
        .where(eq(assessments.personId, ref.id))
        .orderBy(desc(assessments.version))
        .limit(1);
      const version = (last?.version ?? 0) + 1;
      const [row] = await tx
        .insert(assessments)
        .values({ personId: ref.id, version, assessedOn: input.assessedOn, data: needs, freeText: encryptField(input.freeText ?? null), createdBy: input.actor.id, createdAt: now })
        .returning({ id: assessments.id });
      return { version, id: row.id };
    },
  );
}

/** The latest assessment of a person (inside a gate's transaction). */
export async function latestAssessment(tx: Executor, personId: number) {
  const [row] = await tx.select().from(assessments).where(eq(assessments.personId, personId)).orderBy(desc(assessments.version)).limit(1);
  return row ?? null;
}

/** The assessment page's data: the person's labels and the latest version to prefill. */
export async function getAssessmentContext(db: Database, input: { actor: Actor; caseNumber: string; audit?: AuditMeta }) {
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "アセスメントの閲覧", action: "person.read", audit: input.audit },
    async (tx, ref) => {
      const [person] = await tx
        .select({ area: people.area, latitude: people.latitude, longitude: people.longitude, certificate: people.certificate })
        .from(people)
        .where(eq(people.id, ref.id));
      const latest = await latestAssessment(tx, ref.id);
      return { person, latest: latest ? { version: latest.version, assessedOn: latest.assessedOn, data: latest.data as Record<string, unknown>, freeText: decryptField(latest.freeText) } : null };
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Placements

/** Published resources whose name contains the text (the 「どの場所でも」 placement form). */
export async function searchPublishedResources(db: Executor, text: string, limit = 20) {
  const q = text.trim().normalize("NFKC");
  if (!q) return [];
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({ id: resources.id, name: resources.name, kind: resources.kind, city: resources.city, area: resources.area })
    .from(resources)
    .where(and(eq(resources.reviewStatus, "published"), or(ilike(resources.name, pattern), ilike(resources.nameKana, pattern))))
    .orderBy(asc(resources.name))
    .limit(limit);
}

export async function createPlacement(
  db: Database,
  input: { actor: Actor; caseNumber: string; resourceId: number; step?: number | null; reasons?: string[]; note?: string | null; on?: string; now?: Date; audit?: AuditMeta },
): Promise<PersonAccessResult<{ placementId: number }>> {
  const now = input.now ?? new Date();
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "つなぎ（提案）の記録", action: "placement.create", mode: "write", audit: input.audit },
    async (tx, ref) => {
      const [resource] = await tx
        .select({ id: resources.id })
        .from(resources)
        .where(and(eq(resources.id, input.resourceId), eq(resources.reviewStatus, "published")));
      if (!resource) throw new PersonWriteRefused("公開中の場所を選んでください。", "Choose a published resource.", { resourceId: ["公開中の場所を選んでください"] });
      const [row] = await tx
        .insert(placements)
        .values({
          personId: ref.id,
          resourceId: resource.id,
          status: "proposed",
          step: input.step ?? null,
          reasons: input.reasons ?? [],
          createdBy: input.actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: placements.id });
      await tx.insert(placementEvents).values({
        placementId: row.id,
        fromStatus: null,
        toStatus: "proposed",
        on: input.on ?? todayInTokyo(now),
        by: input.actor.id,
        note: encryptField(input.note ?? null),
        createdAt: now,
      });
      return { placementId: row.id };
    },
  );
}

async function personOfPlacement(db: Executor, placementId: number): Promise<number | null> {
  const [row] = await db.select({ personId: placements.personId }).from(placements).where(eq(placements.id, placementId));
  return row?.personId ?? null;
}

/** A placement with its events, through the gate of its person (not visible → not-found). */
export async function getPlacement(db: Database, input: { actor: Actor; placementId: number; audit?: AuditMeta }) {
  const personId = await personOfPlacement(db, input.placementId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    {
      actor: input.actor,
      person: { id: personId },
      purpose: "つなぎの記録の閲覧",
      action: "person.read",
      record: { type: "placement", id: input.placementId },
      audit: input.audit,
    },
    async (tx, ref) => {
      const [placement] = await tx
        .select({
          id: placements.id,
          status: placements.status,
          step: placements.step,
          reasons: placements.reasons,
          hostContact: placements.hostContact,
          costSupport: placements.costSupport,
          costSupportYen: placements.costSupportYen,
          costSupportNote: placements.costSupportNote,
          followUpOffsets: placements.followUpOffsets,
          createdAt: placements.createdAt,
          resourceId: resources.id,
          resourceName: resources.name,
          resourceKind: resources.kind,
          resourcePhone: resources.phone,
        })
        .from(placements)
        .innerJoin(resources, eq(resources.id, placements.resourceId))
        .where(eq(placements.id, input.placementId));
      const events = await tx
        .select({ id: placementEvents.id, fromStatus: placementEvents.fromStatus, toStatus: placementEvents.toStatus, on: placementEvents.on, note: placementEvents.note, by: users.displayName })
        .from(placementEvents)
        .leftJoin(users, eq(users.id, placementEvents.by))
        .where(eq(placementEvents.placementId, input.placementId))
        .orderBy(asc(placementEvents.id));
      return { caseNumber: ref.caseNumber, placement, events: events.map((e) => ({ ...e, note: decryptField(e.note) })), attendance: await attendanceOf(tx, input.placementId) };
    },
  );
}

/** A dated lifecycle transition with who and a note; anything placement.ts does not allow is refused. */
export async function transitionPlacement(
  db: Database,
  input: { actor: Actor; placementId: number; toStatus: PlacementStatus; on: string; note?: string | null; now?: Date; audit?: AuditMeta },
): Promise<PersonAccessResult<{ from: string; to: string }> | { kind: "not-found" }> {
  const now = input.now ?? new Date();
  const personId = await personOfPlacement(db, input.placementId);
  if (personId === null) return { kind: "not-found" };
  return withPerson(
    db,
    {
      actor: input.actor,
      person: { id: personId },
      purpose: "つなぎの状況の変更",
      action: "placement.transition",
      record: { type: "placement", id: input.placementId },
      mode: "write",
      audit: input.audit,
    },
    async (tx) => {
      const [placement] = await tx
        .select({ status: placements.status, personId: placements.personId, followUpOffsets: placements.followUpOffsets })
        .from(placements)
        .where(eq(placements.id, input.placementId))
        .for("update");
      if (!isLegalTransition(placement.status, input.toStatus)) {
        const message = `「${placementStatusLabel(placement.status)}」から「${placementStatusLabel(input.toStatus)}」には変更できません。`;
        throw new PersonWriteRefused(message, `Illegal transition ${placement.status} → ${input.toStatus}.`, { toStatus: [message] });
      }
      await tx.update(placements).set({ status: input.toStatus, updatedAt: now }).where(eq(placements.id, input.placementId));
      await tx.insert(placementEvents).values({
        placementId: input.placementId,
        fromStatus: placement.status,
        toStatus: input.toStatus,
        on: input.on,
        by: input.actor.id,
        note: encryptField(input.note ?? null),
        createdAt: now,
      });
      // 定着支援: reaching 見学 / 体験 / 参加中 starts the two-sided follow-up plan (once); 終了 cancels
      // the contacts still planned for this placement (the person's plan keeps its own light contacts).
      if ((FOLLOW_UP_STATUSES as readonly string[]).includes(input.toStatus)) {
        await planFollowUps(tx, { id: input.placementId, personId: placement.personId, followUpOffsets: placement.followUpOffsets }, input.on);
      } else if (input.toStatus === "ended") {
        await tx
          .update(followUps)
          .set({ status: "cancelled" })
          .where(and(eq(followUps.placementId, input.placementId), eq(followUps.status, "planned"), eq(followUps.phase, "placement")));
      }
      return { from: placement.status, to: input.toStatus };
    },
  );
}

/** Host contact and 移行促進費 (cost support flag, amount, what it pays for). */
export async function updatePlacementDetails(
  db: Database,
  input: {
    actor: Actor;
    placementId: number;
    values: { hostContact?: string; costSupport: boolean; costSupportYen?: number; costSupportNote?: string };
    now?: Date;
    audit?: AuditMeta;
  },
): Promise<PersonAccessResult<null> | { kind: "not-found" }> {
  const now = input.now ?? new Date();
  const personId = await personOfPlacement(db, input.placementId);
  if (personId === null) return { kind: "not-found" };
  return withPerson(
    db,
    {
      actor: input.actor,
      person: { id: personId },
      purpose: "受け入れ先・移行促進費の記録",
      action: "person.update",
      record: { type: "placement", id: input.placementId },
      mode: "write",
      audit: input.audit,
    },
    async (tx) => {
      const v = input.values;
      await tx
        .update(placements)
        .set({
          hostContact: v.hostContact ?? null,
          costSupport: v.costSupport,
          costSupportYen: v.costSupport ? (v.costSupportYen ?? null) : null,
          costSupportNote: v.costSupport ? (v.costSupportNote ?? null) : null,
          updatedAt: now,
        })
        .where(eq(placements.id, input.placementId));
      return null;
    },
  );
}
