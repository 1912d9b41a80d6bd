// Coordinators register and edit resources; admins review them (issue 5). Drafts and returned
// entries are edited in place; an edit to a published entry becomes a revision that waits for an
// admin, so the public page never shows an unreviewed change. Every change writes one history row
// per field, and every write that changes what is public writes the search outbox in the same
// transaction.
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { correctionReports, resourceHistory, resourceRevisions, resources, schedules, users, type Resource } from "../../db/schema";
import { conditionLabel, kindLabel, statusLabel, targetGroupLabel } from "../../db/vocabulary";
import { enqueueSearchUpdates } from "../../search/outbox.server";
import { notifyUnmetNeedsForResource } from "~/people/unmet-needs.server";
import { can, type Role } from "~/utils/permissions";
import {
  ruleDatesBetween,
  SCHEDULE_SLOTS,
  SCHEDULE_TEXT_FIELDS,
  type ResourceFormValues,
  type ReviewStatus,
  type ScheduleSlot,
} from "~/utils/resource-form";
import { describeSchedule, isoDate, tokyoNow } from "~/utils/schedule";

export interface Actor {
  id: number;
  role: Role;
}

/** The resource columns the form edits. */
export type ResourceColumns = Omit<ResourceFormValues, "schedules">;

/** A schedule row as stored (and as a revision proposes it). */
export interface ScheduleColumns {
  rrule: string;
  startsOn: string;
  startTime: string | null;
  endTime: string | null;
  exceptionDates: string[];
  note: string | null;
  pausedFrom: string | null;
  pausedUntil: string | null;
}

/** Field labels for history and diffs, in form order. */
export const FIELD_LABELS: Record<keyof ResourceColumns | "schedules", string> = {
  name: "名称",
  nameKana: "ふりがな",
  kind: "種類",
  description: "説明",
  activities: "活動内容",
  targetGroups: "対象",
  conditions: "参加条件",
  costKind: "費用",
  costYen: "金額",
  costNote: "費用の補足",
  capacity: "定員",
  postalCode: "郵便番号",
  prefecture: "都道府県",
  city: "市区町村",
  addressLine: "町名・番地",
  building: "建物名",
  latitude: "緯度",
  longitude: "経度",
  area: "圏域・地区",
  operator: "運営者",
  phone: "電話番号",
  email: "メールアドレス",
  url: "ウェブサイト",
  status: "活動状況",
  hoursNote: "不定期・その他の日時",
  accessNote: "アクセス",
  schedules: "開催日時",
};
const COLUMN_KEYS = Object.keys(FIELD_LABELS).filter((k) => k !== "schedules") as (keyof ResourceColumns)[];

export function todayInTokyo(now: Date): string {
  return isoDate(tokyoNow(now).date);
}

export function resourceColumnsOf(values: ResourceFormValues): ResourceColumns {
  const columns = Object.fromEntries(COLUMN_KEYS.map((k) => [k, values[k]])) as ResourceColumns;
  if (columns.costKind !== "amount") columns.costYen = null;
  return columns;
}

/** The form's schedule rows as stored rows; a 休止 period's sessions become exception dates too. */
export function scheduleColumnsOf(values: ResourceFormValues, today: string): ScheduleColumns[] {
  const rows: ScheduleColumns[] = [];
  for (const slot of values.schedules) {
    const rule = ruleOfSlot(slot);
    if (!rule) continue;
    const startsOn = slot.startsOn ?? today;
    const exceptions = new Set(slot.exceptionDates);
    if (slot.pausedFrom && slot.pausedUntil) for (const d of ruleDatesBetween(rule, startsOn, slot.pausedFrom, slot.pausedUntil)) exceptions.add(d);
    rows.push({
      rrule: rule,
      startsOn,
      startTime: slot.startTime,
      endTime: slot.endTime,
      exceptionDates: [...exceptions].sort(),
      note: slot.note,
      pausedFrom: slot.pausedFrom,
      pausedUntil: slot.pausedUntil,
    });
  }
  return rows;
}

function ruleOfSlot(slot: ScheduleSlot): string | null {
  switch (slot.kind) {
    case "weekly":
      return `FREQ=WEEKLY;BYDAY=${slot.weekday}`;
    case "biweekly":
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${slot.weekday}`;
    case "monthly_nth":
      return `FREQ=MONTHLY;BYDAY=${[...slot.nths].sort().map((n) => `${n}${slot.weekday}`).join(",")}`;
    case "monthly_day":
      return slot.monthDay === null ? null : `FREQ=MONTHLY;BYMONTHDAY=${slot.monthDay}`;
    default:
      return null;
  }
}

/** A stored row back into the editor's row, or null when the editor cannot express its rule. */
export function slotOfSchedule(row: ScheduleColumns): Record<string, unknown> | null {
  const rule = row.rrule.replace(/^RRULE:/i, "");
  let match: RegExpExecArray | null;
  const base = { weekday: "", nths: [] as string[], monthDay: "" };
  if ((match = /^FREQ=WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)$/.exec(rule))) Object.assign(base, { kind: "weekly", weekday: match[1] });
  else if ((match = /^FREQ=WEEKLY;INTERVAL=2;BYDAY=(MO|TU|WE|TH|FR|SA|SU)$/.exec(rule))) Object.assign(base, { kind: "biweekly", weekday: match[1] });
  else if ((match = /^FREQ=MONTHLY;BYDAY=((?:[1-5](?:MO|TU|WE|TH|FR|SA|SU),?)+)$/.exec(rule))) {
    const parts = match[1].split(",").filter(Boolean);
    const weekdays = new Set(parts.map((p) => p.slice(1)));
    if (weekdays.size !== 1) return null;
    Object.assign(base, { kind: "monthly_nth", weekday: [...weekdays][0], nths: parts.map((p) => p[0]) });
  } else if ((match = /^FREQ=MONTHLY;BYMONTHDAY=(\d{1,2})$/.exec(rule))) Object.assign(base, { kind: "monthly_day", monthDay: match[1] });
  else return null;
  const paused =
    row.pausedFrom && row.pausedUntil ? new Set(ruleDatesBetween(row.rrule, row.startsOn, row.pausedFrom, row.pausedUntil)) : new Set<string>();
  return {
    ...base,
    startTime: row.startTime?.slice(0, 5) ?? "",
    endTime: row.endTime?.slice(0, 5) ?? "",
    startsOn: row.startsOn,
    exceptionDates: row.exceptionDates.filter((d) => !paused.has(d)).join("\n"),
    pausedFrom: row.pausedFrom ?? "",
    pausedUntil: row.pausedUntil ?? "",
    note: row.note ?? "",
  };
}

/** Stored columns and schedules → the form's values (strings, as the inputs hold them). */
export function formValuesOf(resource: Record<string, unknown>, rows: ScheduleColumns[]): { values: Record<string, unknown>; kept: ScheduleColumns[] } {
  const values: Record<string, unknown> = {};
  for (const key of COLUMN_KEYS) {
    const value = resource[key];
    if (key === "targetGroups" || key === "conditions") values[key] = Array.isArray(value) ? value : [];
    else if (key === "activities") values[key] = Array.isArray(value) ? value.join("\n") : "";
    else values[key] = value === null || value === undefined ? "" : String(value);
  }
  const slots: Record<string, unknown>[] = [];
  const kept: ScheduleColumns[] = [];
  for (const row of rows) {
    const slot = slots.length < SCHEDULE_SLOTS ? slotOfSchedule(row) : null;
    if (slot) slots.push(slot);
    else kept.push(row);
  }
  while (slots.length < SCHEDULE_SLOTS) slots.push({ ...Object.fromEntries(SCHEDULE_TEXT_FIELDS.map((f) => [f, ""])), kind: "none", nths: [] });
  values.schedules = slots;
  return { values, kept };
}

// ---------------------------------------------------------------------------------------------
// Reading

const scheduleSelection = {
  rrule: schedules.rrule,
  startsOn: schedules.startsOn,
  startTime: schedules.startTime,
  endTime: schedules.endTime,
  exceptionDates: schedules.exceptionDates,
  note: schedules.note,
  pausedFrom: schedules.pausedFrom,
  pausedUntil: schedules.pausedUntil,
};

export async function getSchedulesOf(db: Executor, resourceId: number): Promise<ScheduleColumns[]> {
  return db.select(scheduleSelection).from(schedules).where(eq(schedules.resourceId, resourceId)).orderBy(asc(schedules.id));
}

/** A resource the actor may edit (own entries for coordinators, any for admins), or null. */
export async function getEditableResource(db: Executor, { id, actor }: { id: number; actor: Actor }) {
  const [row] = await db.select().from(resources).where(eq(resources.id, id)).limit(1);
  if (!row || !mayEdit(actor, row)) return null;
  const [pending] = await db
    .select({ id: resourceRevisions.id, fields: resourceRevisions.fields, schedules: resourceRevisions.schedules })
    .from(resourceRevisions)
    .where(and(eq(resourceRevisions.resourceId, id), eq(resourceRevisions.status, "pending")))
    .limit(1);
  return { resource: row, schedules: await getSchedulesOf(db, id), pendingRevision: pending ?? null };
}

function mayEdit(actor: Actor, row: Pick<Resource, "createdBy">): boolean {
  return can(actor.role, "update:resource:any") || (can(actor.role, "update:resource:own") && row.createdBy === actor.id);
}

/** The coordinator's own entries with their review state. */
export async function listOwnResources(db: Database, { userId }: { userId: number }) {
  return db
    .select({
      id: resources.id,
      name: resources.name,
      kind: resources.kind,
      reviewStatus: resources.reviewStatus,
      returnReason: resources.returnReason,
      updatedAt: resources.updatedAt,
      lastVerifiedOn: resources.lastVerifiedOn,
      pendingRevisions: sql<number>`(select count(*)::int from ${resourceRevisions} r where r.resource_id = ${resources.id} and r.status = 'pending')`,
    })
    .from(resources)
    .where(eq(resources.createdBy, userId))
    .orderBy(desc(resources.updatedAt));
}

// ---------------------------------------------------------------------------------------------
// Writing

type Outcome<T = object> = ({ kind: "ok" } & T) | { kind: "not-found" } | { kind: "refused"; message: string };

function historyValue(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    const label = field === "targetGroups" ? targetGroupLabel : field === "conditions" ? conditionLabel : (v: string) => v;
    return value.map((v) => label(String(v))).join("、");
  }
  if (field === "kind") return kindLabel(String(value));
  if (field === "status") return statusLabel(String(value));
  return String(value);
}

/** 「毎月第2・第4火曜 10:00–11:30（休み: 2026-12-29）」, one line per schedule row. */
export function describeScheduleRows(rows: ScheduleColumns[]): string | null {
  if (rows.length === 0) return null;
  return rows
    .map((row) => {
      const text = describeSchedule({ rrule: row.rrule, startsOn: row.startsOn, startTime: row.startTime, endTime: row.endTime }) ?? row.rrule;
      const pause = row.pausedFrom && row.pausedUntil ? `（休止: ${row.pausedFrom}〜${row.pausedUntil}）` : "";
      const exceptions = row.exceptionDates.length > 0 ? `（休み: ${row.exceptionDates.join("、")}）` : "";
      return `${text}${pause || exceptions}${row.note ? ` ${row.note}` : ""}`;
    })
    .join("\n");
}

export interface FieldChange {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

/** Field-by-field differences between stored values and proposed ones (only the fields that differ). */
export function diffResource(
  before: Partial<Record<string, unknown>>,
  beforeSchedules: ScheduleColumns[],
  after: ResourceColumns,
  afterSchedules: ScheduleColumns[],
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of COLUMN_KEYS) {
    const b = historyValue(field, before[field]);
    const a = historyValue(field, after[field]);
    if (b !== a) changes.push({ field, label: FIELD_LABELS[field], before: b, after: a });
  }
  const bs = describeScheduleRows(beforeSchedules);
  const as = describeScheduleRows(afterSchedules);
  if (bs !== as) changes.push({ field: "schedules", label: FIELD_LABELS.schedules, before: bs, after: as });
  return changes;
}

async function writeHistory(tx: Executor, resourceId: number, userId: number, at: Date, changes: Omit<FieldChange, "label">[]) {
  if (changes.length === 0) return;
  await tx.insert(resourceHistory).values(changes.map((c) => ({ resourceId, userId, at, field: c.field, before: c.before, after: c.after })));
}

async function replaceSchedules(tx: Executor, resourceId: number, rows: ScheduleColumns[]) {
  await tx.delete(schedules).where(eq(schedules.resourceId, resourceId));
  if (rows.length > 0) await tx.insert(schedules).values(rows.map((row) => ({ ...row, resourceId })));
}

/** A new entry, as a draft of its coordinator. */
export async function createResourceDraft(db: Database, { actor, values, now }: { actor: Actor; values: ResourceFormValues; now: Date }): Promise<{ id: number }> {
  if (!can(actor.role, "create:resource")) throw new Error("create:resource required");
  const columns = resourceColumnsOf(values);
  const rows = scheduleColumnsOf(values, todayInTokyo(now));
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(resources)
      .values({ ...columns, reviewStatus: "draft", createdBy: actor.id, createdAt: now, updatedAt: now })
      .returning({ id: resources.id });
    await replaceSchedules(tx, created.id, rows);
    await writeHistory(tx, created.id, actor.id, now, [
      { field: "review_status", before: null, after: "draft" },
      ...diffResource({}, [], columns, rows),
    ]);
    return { id: created.id };
  });
}

/**
 * Saves the form for an existing entry: in place for a draft or returned entry; as a pending
 * revision (replacing the author's earlier pending one) for a published entry.
 */
export async function saveResourceEdit(
  db: Database,
  { actor, id, values, now }: { actor: Actor; id: number; values: ResourceFormValues; now: Date },
): Promise<Outcome<{ mode: "in-place" | "revision" }>> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(resources).where(eq(resources.id, id)).for("update").limit(1);
    if (!row || !mayEdit(actor, row)) return { kind: "not-found" } as const;
    const current = await getSchedulesOf(tx, id);
    // Rows the editor cannot express (some imported rules) are kept as they are.
    const { kept } = formValuesOf(row, current);
    const columns = resourceColumnsOf(values);
    const rows = [...scheduleColumnsOf(values, todayInTokyo(now)), ...kept];
    const status = row.reviewStatus as ReviewStatus;
    if (status === "submitted") return { kind: "refused", message: "審査待ちのため編集できません。差し戻されてから編集してください。" } as const;
    if (status === "published") {
      const [pending] = await tx
        .select({ id: resourceRevisions.id })
        .from(resourceRevisions)
        .where(and(eq(resourceRevisions.resourceId, id), eq(resourceRevisions.status, "pending")))
        .limit(1);
      if (pending) {
        await tx.update(resourceRevisions).set({ fields: columns, schedules: rows, authorId: actor.id, createdAt: now }).where(eq(resourceRevisions.id, pending.id));
      } else {
        await tx.insert(resourceRevisions).values({ resourceId: id, fields: columns, schedules: rows, authorId: actor.id, createdAt: now });
      }
      return { kind: "ok", mode: "revision" } as const;
    }
    const changes = diffResource(row, current, columns, rows);
    await tx.update(resources).set({ ...columns, updatedAt: now }).where(eq(resources.id, id));
    await replaceSchedules(tx, id, rows);
    await writeHistory(tx, id, actor.id, now, changes);
    return { kind: "ok", mode: "in-place" } as const;
  });
}

async function setReviewStatus(tx: Executor, id: number, actorId: number, now: Date, from: string, to: ReviewStatus, extra: Partial<typeof resources.$inferInsert> = {}) {
  await tx.update(resources).set({ reviewStatus: to, updatedAt: now, ...extra }).where(eq(resources.id, id));
  await writeHistory(tx, id, actorId, now, [{ field: "review_status", before: from, after: to }]);
}

/** Draft or returned → submitted (the coordinator asks for review). */
export async function submitResource(db: Database, { actor, id, now }: { actor: Actor; id: number; now: Date }): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(resources).where(eq(resources.id, id)).for("update").limit(1);
    if (!row || !mayEdit(actor, row)) return { kind: "not-found" } as const;
    if (row.reviewStatus !== "draft" && row.reviewStatus !== "returned") return { kind: "refused", message: "この情報は申請できる状態ではありません。" } as const;
    await setReviewStatus(tx, id, actor.id, now, row.reviewStatus, "submitted", { submittedAt: now });
    return { kind: "ok" } as const;
  });
}

/** Submitted → published: the entry becomes public and searchable (outbox in the same transaction). */
export async function approveResource(db: Database, { actor, id, now }: { actor: Actor; id: number; now: Date }): Promise<Outcome> {
  if (!can(actor.role, "review:resource")) return { kind: "refused", message: "審査の権限がありません。" };
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(resources).where(eq(resources.id, id)).for("update").limit(1);
    if (!row) return { kind: "not-found" } as const;
    if (row.reviewStatus !== "submitted") return { kind: "refused", message: "審査待ちの情報ではありません。" } as const;
    const today = todayInTokyo(now);
    await setReviewStatus(tx, id, actor.id, now, row.reviewStatus, "published", { publishedAt: now, returnReason: null, lastVerifiedOn: today });
    await writeHistory(tx, id, actor.id, now, [{ field: "lastVerifiedOn", before: row.lastVerifiedOn, after: today }]);
    await enqueueSearchUpdates(tx, [id]);
    await notifyUnmetNeedsForResource(tx, { resourceId: id, now });
    return { kind: "ok" } as const;
  });
}

/** Submitted → returned with a reason; the coordinator's text is left exactly as it was. */
export async function returnResource(db: Database, { actor, id, reason, now }: { actor: Actor; id: number; reason: string; now: Date }): Promise<Outcome> {
  if (!can(actor.role, "review:resource")) return { kind: "refused", message: "審査の権限がありません。" };
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(resources).where(eq(resources.id, id)).for("update").limit(1);
    if (!row) return { kind: "not-found" } as const;
    if (row.reviewStatus !== "submitted") return { kind: "refused", message: "審査待ちの情報ではありません。" } as const;
    await setReviewStatus(tx, id, actor.id, now, row.reviewStatus, "returned", { returnReason: reason });
    await writeHistory(tx, id, actor.id, now, [{ field: "returnReason", before: row.returnReason, after: reason }]);
    return { kind: "ok" } as const;
  });
}

/** Applies a pending revision to its published entry: history per changed field, outbox. */
export async function approveRevision(db: Database, { actor, revisionId, now }: { actor: Actor; revisionId: number; now: Date }): Promise<Outcome> {
  if (!can(actor.role, "review:resource")) return { kind: "refused", message: "審査の権限がありません。" };
  return db.transaction(async (tx) => {
    const [revision] = await tx.select().from(resourceRevisions).where(eq(resourceRevisions.id, revisionId)).for("update").limit(1);
    if (!revision) return { kind: "not-found" } as const;
    if (revision.status !== "pending") return { kind: "refused", message: "この変更はすでに処理されています。" } as const;
    const [row] = await tx.select().from(resources).where(eq(resources.id, revision.resourceId)).for("update").limit(1);
    if (!row) return { kind: "not-found" } as const;
    const fields = revision.fields as ResourceColumns;
    const rows = revision.schedules as ScheduleColumns[];
    const current = await getSchedulesOf(tx, row.id);
    const today = todayInTokyo(now);
    const changes = diffResource(row, current, fields, rows);
    await tx.update(resources).set({ ...fields, updatedAt: now, lastVerifiedOn: today }).where(eq(resources.id, row.id));
    await replaceSchedules(tx, row.id, rows);
    await writeHistory(tx, row.id, revision.authorId ?? actor.id, now, changes);
    if (row.lastVerifiedOn !== today) await writeHistory(tx, row.id, actor.id, now, [{ field: "lastVerifiedOn", before: row.lastVerifiedOn, after: today }]);
    await tx.update(resourceRevisions).set({ status: "approved", decidedAt: now, decidedBy: actor.id }).where(eq(resourceRevisions.id, revisionId));
    await enqueueSearchUpdates(tx, [row.id]);
    await notifyUnmetNeedsForResource(tx, { resourceId: row.id, now });
    return { kind: "ok" } as const;
  });
}

/** Returns a pending revision with a reason; the public entry is unchanged. */
export async function returnRevision(db: Database, { actor, revisionId, reason, now }: { actor: Actor; revisionId: number; reason: string; now: Date }): Promise<Outcome> {
  if (!can(actor.role, "review:resource")) return { kind: "refused", message: "審査の権限がありません。" };
  const updated = await db
    .update(resourceRevisions)
    .set({ status: "returned", returnReason: reason, decidedAt: now, decidedBy: actor.id })
    .where(and(eq(resourceRevisions.id, revisionId), eq(resourceRevisions.status, "pending")))
    .returning({ id: resourceRevisions.id });
  return updated.length > 0 ? { kind: "ok" } : { kind: "not-found" };
}

// ---------------------------------------------------------------------------------------------
// Review queue and history (admins)

export async function listReviewQueue(db: Database) {
  const submitted = await db
    .select({ id: resources.id, name: resources.name, kind: resources.kind, submittedAt: resources.submittedAt, author: users.displayName })
    .from(resources)
    .leftJoin(users, eq(users.id, resources.createdBy))
    .where(eq(resources.reviewStatus, "submitted"))
    .orderBy(asc(resources.submittedAt));
  const pending = await db
    .select({
      id: resourceRevisions.id,
      resourceId: resourceRevisions.resourceId,
      fields: resourceRevisions.fields,
      schedules: resourceRevisions.schedules,
      createdAt: resourceRevisions.createdAt,
      author: users.displayName,
    })
    .from(resourceRevisions)
    .leftJoin(users, eq(users.id, resourceRevisions.authorId))
    .where(eq(resourceRevisions.status, "pending"))
    .orderBy(asc(resourceRevisions.createdAt));
  const ids = [...new Set(pending.map((p) => p.resourceId))];
  const currentRows = ids.length > 0 ? await db.select().from(resources).where(inArray(resources.id, ids)) : [];
  const byId = new Map(currentRows.map((r) => [r.id, r]));
  const revisions = [];
  for (const revision of pending) {
    const current = byId.get(revision.resourceId);
    if (!current) continue;
    const changes = diffResource(current, await getSchedulesOf(db, current.id), revision.fields as ResourceColumns, revision.schedules as ScheduleColumns[]);
    revisions.push({ id: revision.id, resourceId: revision.resourceId, name: current.name, author: revision.author, createdAt: revision.createdAt, changes });
  }
  return { submitted, revisions };
}

export async function listResourceHistory(db: Database, { resourceId }: { resourceId: number }) {
  return db
    .select({ id: resourceHistory.id, at: resourceHistory.at, field: resourceHistory.field, before: resourceHistory.before, after: resourceHistory.after, user: users.displayName })
    .from(resourceHistory)
    .leftJoin(users, eq(users.id, resourceHistory.userId))
    .where(eq(resourceHistory.resourceId, resourceId))
    .orderBy(desc(resourceHistory.at), desc(resourceHistory.id));
}

// ---------------------------------------------------------------------------------------------
// Freshness

/** Months after which a published entry appears in the verification queue. */
export const VERIFY_AFTER_MONTHS = 6;
/** Months after which residents see that an entry has not been confirmed. */
export const STALE_NOTICE_MONTHS = 12;

export function monthsBefore(today: string, months: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/**
 * Whether residents should be told the entry is over a year unconfirmed. An entry with no date at
 * all already reads 「未確認」 on its page; the notice is for dates that have aged.
 */
export function isStale(lastVerifiedOn: string | null, now: Date): boolean {
  return lastVerifiedOn !== null && lastVerifiedOn <= monthsBefore(todayInTokyo(now), STALE_NOTICE_MONTHS);
}

/** Published entries the actor may edit that were not confirmed for VERIFY_AFTER_MONTHS. */
export async function listUnverified(db: Database, { actor, now, limit = 200 }: { actor: Actor; now: Date; limit?: number }) {
  const cutoff = monthsBefore(todayInTokyo(now), VERIFY_AFTER_MONTHS);
  const own = can(actor.role, "update:resource:any") ? undefined : eq(resources.createdBy, actor.id);
  return db
    .select({ id: resources.id, name: resources.name, kind: resources.kind, area: resources.area, lastVerifiedOn: resources.lastVerifiedOn })
    .from(resources)
    .where(and(eq(resources.reviewStatus, "published"), or(isNull(resources.lastVerifiedOn), lt(resources.lastVerifiedOn, cutoff)), own))
    .orderBy(sql`${resources.lastVerifiedOn} asc nulls first`, asc(resources.id))
    .limit(limit);
}

/** 「内容に変更なし」: the entry is confirmed today (history row, outbox so the index shows the date). */
export async function markVerified(db: Database, { actor, id, now }: { actor: Actor; id: number; now: Date }): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(resources).where(eq(resources.id, id)).for("update").limit(1);
    if (!row || !mayEdit(actor, row)) return { kind: "not-found" } as const;
    if (row.reviewStatus !== "published") return { kind: "refused", message: "公開中の情報だけ確認済みにできます。" } as const;
    const today = todayInTokyo(now);
    await tx.update(resources).set({ lastVerifiedOn: today, updatedAt: now }).where(eq(resources.id, id));
    await writeHistory(tx, id, actor.id, now, [{ field: "lastVerifiedOn", before: row.lastVerifiedOn, after: today }]);
    await enqueueSearchUpdates(tx, [id]);
    return { kind: "ok" } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Correction reports from residents

export async function createCorrectionReport(db: Database, input: { resourceId: number; message: string; contact: string | null; now: Date }): Promise<boolean> {
  const [row] = await db
    .select({ id: resources.id })
    .from(resources)
    .where(and(eq(resources.id, input.resourceId), eq(resources.reviewStatus, "published")))
    .limit(1);
  if (!row) return false;
  await db.insert(correctionReports).values({ resourceId: input.resourceId, message: input.message, contact: input.contact, createdAt: input.now });
  return true;
}

/** Open reports on entries the actor may edit. */
export async function listOpenReports(db: Database, { actor }: { actor: Actor }) {
  const own = can(actor.role, "update:resource:any") ? undefined : eq(resources.createdBy, actor.id);
  return db
    .select({
      id: correctionReports.id,
      resourceId: correctionReports.resourceId,
      name: resources.name,
      message: correctionReports.message,
      contact: correctionReports.contact,
      createdAt: correctionReports.createdAt,
    })
    .from(correctionReports)
    .innerJoin(resources, eq(resources.id, correctionReports.resourceId))
    .where(and(eq(correctionReports.status, "open"), own))
    .orderBy(asc(correctionReports.createdAt));
}

export async function closeReport(db: Database, { actor, id }: { actor: Actor; id: number }): Promise<Outcome> {
  const [report] = await db
    .select({ id: correctionReports.id, createdBy: resources.createdBy })
    .from(correctionReports)
    .innerJoin(resources, eq(resources.id, correctionReports.resourceId))
    .where(and(eq(correctionReports.id, id), eq(correctionReports.status, "open")))
    .limit(1);
  if (!report || !mayEdit(actor, report)) return { kind: "not-found" };
  await db.update(correctionReports).set({ status: "closed", handledBy: actor.id }).where(eq(correctionReports.id, id));
  return { kind: "ok" };
}
