// Person records (本人・世帯・同意): intake, the list, the detail page's data, consent and the
// sensitive fields. Every function reaches the data through access.server.ts (withPerson or
// visiblePeopleWhere), which checks visibility and writes the audit row in the same transaction.
import { and, asc, desc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import {
  assessments,
  consentEvents,
  householdMembers,
  households,
  notifications,
  people,
  personAssignments,
  placementEvents,
  placements,
  resources,
  unmetNeeds,
  users,
} from "../../db/schema";
import { recordAudit } from "~/utils/audit.server";
import { decryptField, encryptField } from "~/utils/field-crypto.server";
import { can } from "~/utils/permissions";
import { isoDate, tokyoNow } from "~/utils/schedule";
import {
  auditPersonList,
  latestConsentSql,
  mayUsePersonData,
  PersonWriteRefused,
  visiblePeopleWhere,
  withPerson,
  type Actor,
  type AuditMeta,
  type PersonAccessResult,
} from "./access.server";
import { SENSITIVE_REFUSED, type SensitiveField } from "./consent";
import type { ConsentForm, IntakeForm, SensitiveForm } from "./forms";

export function todayInTokyo(now: Date = new Date()): string {
  return isoDate(tokyoNow(now).date);
}

const CASE_NUMBER_LOCK_KEY = 4_210_530_006;

/** The next case number of the (Tokyo) year: 2026-0001, 2026-0002 … (serialised by an advisory lock). */
async function nextCaseNumber(tx: Executor, now: Date): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CASE_NUMBER_LOCK_KEY})`);
  const year = todayInTokyo(now).slice(0, 4);
  const [row] = await tx
    .select({ max: sql<string | null>`max(split_part(${people.caseNumber}, '-', 2)::int)::text` })
    .from(people)
    .where(sql`${people.caseNumber} like ${`${year}-%`}`);
  const next = Number(row?.max ?? 0) + 1;
  return `${year}-${String(next).padStart(4, "0")}`;
}

/** Staff (and admins) an admin may assign at intake. */
export async function listAssignableUsers(db: Executor) {
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(inArray(users.role, ["staff", "admin"]), eq(users.status, "active")))
    .orderBy(asc(users.displayName));
}

export type IntakeResult = { kind: "ok"; caseNumber: string } | { kind: "invalid"; errors: Partial<Record<string, string[]>> };

/**
 * Intake: the person, their household (new, or the household of a visible person by case number)
 * with its members, the assignment and the consent at intake, all in one transaction with the
 * audit row. `consent` is required by the intake form; the model accepts null so the sensitive-field
 * rule can be enforced here and not only in the form.
 */
export async function createPerson(
  db: Database,
  input: {
    actor: Actor;
    values: Omit<IntakeForm, keyof ConsentForm> & { consentState?: ConsentForm["consentState"]; consentDate?: string; consentScope?: string; consentNote?: string };
    sensitive?: SensitiveForm;
    now?: Date;
    audit?: AuditMeta;
  },
): Promise<IntakeResult> {
  const { actor, values } = input;
  const now = input.now ?? new Date();
  if (!mayUsePersonData(actor.role) || !(can(actor.role, "write:person:assigned") || can(actor.role, "read:person:any"))) {
    return { kind: "invalid", errors: { form: ["本人を登録する権限がありません。"] } };
  }
  const assigneeId = can(actor.role, "read:person:any") && values.assigneeId ? values.assigneeId : actor.id;
  try {
    return await db.transaction(async (tx) => {
      if (assigneeId !== actor.id) {
        const [assignee] = await tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.id, assigneeId), inArray(users.role, ["staff", "admin"]), eq(users.status, "active")));
        if (!assignee) throw new IntakeInvalid({ assigneeId: ["担当者を一覧から選んでください"] });
      }
      let householdId: number | null = null;
      if (values.householdMode === "existing" && values.householdCaseNumber) {
        // Only the household of a person the actor may see: otherwise the case number would leak.
        const [other] = await tx
          .select({ id: people.id, caseNumber: people.caseNumber, householdId: people.householdId })
          .from(people)
          .where(and(eq(people.caseNumber, values.householdCaseNumber), visiblePeopleWhere(actor)));
        if (!other) throw new IntakeInvalid({ householdCaseNumber: ["このケース番号の方は見つかりません（担当している方の番号を入力してください）"] });
        householdId = other.householdId;
        if (householdId === null) {
          const [created] = await tx.insert(households).values({ note: encryptField(values.householdNote ?? null) }).returning({ id: households.id });
          householdId = created.id;
          await tx.update(people).set({ householdId, updatedAt: now }).where(eq(people.id, other.id));
          await recordAudit(tx, {
            action: "person.update",
            actor,
            recordType: "person",
            recordId: other.caseNumber,
            purpose: "同一世帯の登録（インテーク）",
            requestId: input.audit?.requestId ?? null,
            ipHash: input.audit?.ipHash ?? null,
          });
        }
      } else if (values.householdMode === "new") {
        const [created] = await tx.insert(households).values({ note: encryptField(values.householdNote ?? null) }).returning({ id: households.id });
        householdId = created.id;
      }
      const members = values.members.filter((m) => m.name);
      if (members.length > 0 && householdId === null) {
        const [created] = await tx.insert(households).values({ note: encryptField(values.householdNote ?? null) }).returning({ id: households.id });
        householdId = created.id;
      }
      const caseNumber = await nextCaseNumber(tx, now);
      const [person] = await tx
        .insert(people)
        .values({
          caseNumber,
          name: values.name,
          nameKana: values.nameKana ?? null,
          birthYear: values.birthYear ?? null,
          address: values.address ?? null,
          area: values.area ?? null,
          latitude: values.latitude ?? null,
          longitude: values.longitude ?? null,
          phone: values.phone ?? null,
          email: values.email ?? null,
          referredBy: values.referredBy ?? null,
          householdId,
          createdBy: actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: people.id });
      if (members.length > 0 && householdId !== null) {
        await tx.insert(householdMembers).values(
          members.map((m) => ({ householdId: householdId!, name: m.name!, relation: m.relation ?? null, birthYear: m.birthYear ?? null })),
        );
      }
      await tx.insert(personAssignments).values({ personId: person.id, userId: assigneeId, assignedBy: actor.id, assignedAt: now });
      if (values.consentState && values.consentDate) {
        await tx.insert(consentEvents).values({
          personId: person.id,
          state: values.consentState,
          scope: values.consentScope ?? null,
          recordedOn: values.consentDate,
          recordedBy: actor.id,
          note: encryptField(values.consentNote ?? null),
          createdAt: now,
        });
      }
      if (input.sensitive && hasSensitiveValue(input.sensitive)) {
        await writeSensitive(tx, person.id, input.sensitive, now);
      }
      await recordAudit(tx, {
        action: "person.create",
        actor,
        recordType: "person",
        recordId: caseNumber,
        purpose: "インテーク（本人の登録）",
        requestId: input.audit?.requestId ?? null,
        ipHash: input.audit?.ipHash ?? null,
      });
      if (values.consentState) {
        await recordAudit(tx, { action: "consent.record", actor, recordType: "person", recordId: caseNumber, purpose: "インテーク時の同意の記録", requestId: input.audit?.requestId ?? null, ipHash: input.audit?.ipHash ?? null });
      }
      return { kind: "ok" as const, caseNumber };
    });
  } catch (error) {
    if (error instanceof IntakeInvalid) return { kind: "invalid", errors: error.errors };
    if (error instanceof PersonWriteRefused) return { kind: "invalid", errors: { form: [error.message], ...error.fieldErrors } };
    throw error;
  }
}

class IntakeInvalid extends Error {
  constructor(readonly errors: Partial<Record<string, string[]>>) {
    super("intake invalid");
  }
}

function hasSensitiveValue(values: SensitiveForm): boolean {
  return Object.values(values).some((v) => v !== undefined && v !== null && v !== "");
}

/** The sensitive-field rule, in the model layer: any recorded consent event first, else refused. */
async function writeSensitive(tx: Executor, personId: number, values: SensitiveForm, now: Date): Promise<void> {
  const [consent] = await tx.select({ id: consentEvents.id }).from(consentEvents).where(eq(consentEvents.personId, personId)).limit(1);
  if (!consent) {
    const fieldErrors: Partial<Record<SensitiveField, string[]>> = {};
    for (const key of Object.keys(values) as SensitiveField[]) if (values[key]) fieldErrors[key] = [SENSITIVE_REFUSED.message];
    throw new PersonWriteRefused(SENSITIVE_REFUSED.message, SENSITIVE_REFUSED.messageEn, fieldErrors);
  }
  await tx
    .update(people)
    .set({
      healthNote: encryptField(values.healthNote ?? null),
      disabilityNote: encryptField(values.disabilityNote ?? null),
      certificate: encryptField(values.certificate ?? null),
      diagnosis: encryptField(values.diagnosis ?? null),
      updatedAt: now,
    })
    .where(eq(people.id, personId));
}

export async function saveSensitiveFields(
  db: Database,
  input: { actor: Actor; caseNumber: string; values: SensitiveForm; now?: Date; audit?: AuditMeta },
): Promise<PersonAccessResult<null>> {
  const now = input.now ?? new Date();
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "健康・障がいに関する情報の記録", action: "person.update", mode: "write", audit: input.audit },
    async (tx, person) => {
      await writeSensitive(tx, person.id, input.values, now);
      return null;
    },
  );
}

export async function updatePersonFields(
  db: Database,
  input: { actor: Actor; caseNumber: string; values: Omit<IntakeForm, "householdMode" | "householdCaseNumber" | "householdNote" | "members" | "assigneeId" | keyof ConsentForm>; now?: Date; audit?: AuditMeta },
): Promise<PersonAccessResult<null>> {
  const now = input.now ?? new Date();
  const v = input.values;
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "基本情報の更新", action: "person.update", mode: "write", audit: input.audit },
    async (tx, person) => {
      await tx
        .update(people)
        .set({
          name: v.name,
          nameKana: v.nameKana ?? null,
          birthYear: v.birthYear ?? null,
          address: v.address ?? null,
          area: v.area ?? null,
          latitude: v.latitude ?? null,
          longitude: v.longitude ?? null,
          phone: v.phone ?? null,
          email: v.email ?? null,
          referredBy: v.referredBy ?? null,
          updatedAt: now,
        })
        .where(eq(people.id, person.id));
      return null;
    },
  );
}

/**
 * 「同意の記録」: a new consent event; the latest event is the consent, so the change takes effect
 * for the next read at once (the gate reads it in each transaction, under the person-row lock).
 */
export async function recordConsent(
  db: Database,
  input: { actor: Actor; caseNumber: string; values: ConsentForm; now?: Date; audit?: AuditMeta },
): Promise<PersonAccessResult<null>> {
  const now = input.now ?? new Date();
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "同意の記録", action: "consent.record", mode: "write", audit: input.audit },
    async (tx, person) => {
      await tx.insert(consentEvents).values({
        personId: person.id,
        state: input.values.consentState,
        scope: input.values.consentScope ?? null,
        recordedOn: input.values.consentDate,
        recordedBy: input.actor.id,
        note: encryptField(input.values.consentNote ?? null),
        createdAt: now,
      });
      return null;
    },
  );
}

export interface PersonListRow {
  caseNumber: string;
  name: string;
  nameKana: string | null;
  area: string | null;
  consent: string | null;
  latestPlacementStatus: string | null;
}

/**
 * The people the actor may see (hidden people are not even counted), optionally filtered by a
 * name or kana fragment that arrives in a POST body, never in the URL. One audit row per list.
 */
export async function listVisiblePeople(
  db: Database,
  input: { actor: Actor; nameQuery?: string; purpose?: string; audit?: AuditMeta; limit?: number },
): Promise<{ rows: PersonListRow[]; total: number }> {
  const visible = visiblePeopleWhere(input.actor);
  const query = input.nameQuery?.trim();
  const where = query
    ? and(visible, or(ilike(people.name, `%${escapeLike(query)}%`), ilike(people.nameKana, `%${escapeLike(query)}%`), eq(people.caseNumber, query)))
    : visible;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        caseNumber: people.caseNumber,
        name: people.name,
        nameKana: people.nameKana,
        area: people.area,
        consent: latestConsentSql(),
        // Explicit table names: see access.server.ts on drizzle's unqualified select-list columns.
        latestPlacementStatus: sql<string | null>`(select pl.status from placements pl where pl.person_id = "people"."id" order by pl.updated_at desc, pl.id desc limit 1)`,
      })
      .from(people)
      .where(where)
      .orderBy(desc(people.caseNumber))
      .limit(input.limit ?? 500);
    const [{ total }] = await tx.select({ total: sql<number>`count(*)::int` }).from(people).where(where);
    await auditPersonList(tx, input.actor, input.purpose ?? (query ? "本人の検索" : "担当ケース一覧の閲覧"), rows.length, input.audit);
    return { rows, total };
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Everything the detail page shows, read in one gated transaction. */
export async function getPersonRecord(db: Database, input: { actor: Actor; caseNumber: string; purpose?: string; audit?: AuditMeta }) {
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: input.purpose ?? "ケース記録の閲覧", action: "person.read", audit: input.audit },
    async (tx, ref) => {
      const [person] = await tx.select().from(people).where(eq(people.id, ref.id));
      const household = person.householdId
        ? {
            note: decryptField((await tx.select({ note: households.note }).from(households).where(eq(households.id, person.householdId)))[0]?.note ?? null),
            members: await tx
              .select({ name: householdMembers.name, relation: householdMembers.relation, birthYear: householdMembers.birthYear })
              .from(householdMembers)
              .where(eq(householdMembers.householdId, person.householdId))
              .orderBy(asc(householdMembers.id)),
            // Other supported people of the household, only those the actor may see themselves.
            others: await tx
              .select({ caseNumber: people.caseNumber })
              .from(people)
              .where(and(eq(people.householdId, person.householdId), sql`${people.id} <> ${ref.id}`, visiblePeopleWhere(input.actor)))
              .orderBy(asc(people.caseNumber)),
          }
        : null;
      const consents = await tx
        .select({
          id: consentEvents.id,
          state: consentEvents.state,
          scope: consentEvents.scope,
          recordedOn: consentEvents.recordedOn,
          note: consentEvents.note,
          recordedBy: users.displayName,
        })
        .from(consentEvents)
        .leftJoin(users, eq(users.id, consentEvents.recordedBy))
        .where(eq(consentEvents.personId, ref.id))
        .orderBy(desc(consentEvents.id));
      const assigned = await tx
        .select({ id: users.id, displayName: users.displayName })
        .from(personAssignments)
        .innerJoin(users, eq(users.id, personAssignments.userId))
        .where(eq(personAssignments.personId, ref.id))
        .orderBy(asc(users.displayName));
      const assessmentRows = await tx
        .select({ id: assessments.id, version: assessments.version, assessedOn: assessments.assessedOn, data: assessments.data, freeText: assessments.freeText, author: users.displayName })
        .from(assessments)
        .leftJoin(users, eq(users.id, assessments.createdBy))
        .where(eq(assessments.personId, ref.id))
        .orderBy(desc(assessments.version));
      const placementRows = await tx
        .select({
          id: placements.id,
          resourceId: placements.resourceId,
          resourceName: resources.name,
          status: placements.status,
          step: placements.step,
          reasons: placements.reasons,
          hostContact: placements.hostContact,
          costSupport: placements.costSupport,
          costSupportYen: placements.costSupportYen,
          createdAt: placements.createdAt,
        })
        .from(placements)
        .innerJoin(resources, eq(resources.id, placements.resourceId))
        .where(eq(placements.personId, ref.id))
        .orderBy(desc(placements.id));
      const events = placementRows.length
        ? await tx
            .select({ placementId: placementEvents.placementId, fromStatus: placementEvents.fromStatus, toStatus: placementEvents.toStatus, on: placementEvents.on, note: placementEvents.note, by: users.displayName })
            .from(placementEvents)
            .leftJoin(users, eq(users.id, placementEvents.by))
            .where(inArray(placementEvents.placementId, placementRows.map((p) => p.id)))
            .orderBy(asc(placementEvents.id))
        : [];
      const needs = await tx
        .select({ id: unmetNeeds.id, status: unmetNeeds.status, wants: unmetNeeds.wants, kinds: unmetNeeds.kinds, area: unmetNeeds.area, note: unmetNeeds.note, createdAt: unmetNeeds.createdAt, matchedResourceName: resources.name })
        .from(unmetNeeds)
        .leftJoin(resources, eq(resources.id, unmetNeeds.matchedResourceId))
        .where(eq(unmetNeeds.personId, ref.id))
        .orderBy(desc(unmetNeeds.id));
      return {
        person: {
          ...person,
          healthNote: decryptField(person.healthNote),
          disabilityNote: decryptField(person.disabilityNote),
          certificate: decryptField(person.certificate),
          diagnosis: decryptField(person.diagnosis),
        },
        household,
        consents: consents.map((c) => ({ ...c, note: decryptField(c.note) })),
        assigned,
        assessments: assessmentRows.map((a) => ({ ...a, freeText: decryptField(a.freeText) })),
        placements: placementRows.map((p) => ({ ...p, events: events.filter((e) => e.placementId === p.id).map((e) => ({ ...e, note: decryptField(e.note) })) })),
        unmetNeeds: needs.map((n) => ({ ...n, note: decryptField(n.note) })),
      };
    },
  );
}

/** Unread notifications of a user (the /staff home shows the count). */
export async function countUnreadNotifications(db: Executor, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), sql`${notifications.readAt} is null`));
  return row?.n ?? 0;
}

export async function listNotifications(db: Executor, userId: number, limit = 100) {
  return db
    .select({ id: notifications.id, kind: notifications.kind, message: notifications.message, link: notifications.link, createdAt: notifications.createdAt, readAt: notifications.readAt })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(limit);
}

/** Marks one (or, with `all`, every) notification of the user as read; never another user's. */
export async function markNotificationsRead(db: Executor, input: { userId: number; id?: number; all?: boolean; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  const where = input.all
    ? and(eq(notifications.userId, input.userId), sql`${notifications.readAt} is null`)
    : and(eq(notifications.userId, input.userId), eq(notifications.id, input.id ?? -1), sql`${notifications.readAt} is null`);
  const rows = await db.update(notifications).set({ readAt: now }).where(where).returning({ id: notifications.id });
  return rows.length;
}

/** The gate alone (audited): for pages that show no person data but must 404 for a hidden case. */
export async function confirmPersonVisible(db: Database, input: { actor: Actor; caseNumber: string; purpose: string; audit?: AuditMeta }): Promise<boolean> {
  const result = await withPerson(db, { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: input.purpose, action: "person.read", audit: input.audit }, async () => null);
  return result.kind === "ok";
}
