// Retention per record class (issue 7): how long each kind of record is kept after it stops being
// needed, as a setting an administrator can change (settings row "retention"), and the purge that
// removes what has expired, leaving a trace in the audit log (counts and case numbers, never the
// content). The audit log itself is append-only and is not purged here (its retention is a
// database-level archive decision, see README).
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "../../db/client.server";
import { correctionReports, notifications, people, rateLimitEvents, settings, unmetNeeds } from "../../db/schema";
import { recordAudit } from "~/utils/audit.server";

export const RETENTION_CLASSES = [
  {
    key: "closedCaseYears",
    label: "支援が終わった本人の記録（最後の記録から）",
    unit: "年",
    default: 5,
  },
  {
    key: "unmetNeedLinkYears",
    label: "不足している社会資源と本人の結びつき（集計は残る）",
    unit: "年",
    default: 3,
  },
  {
    key: "correctionReportDays",
    label: "住民からの修正報告（対応済み、連絡先を含む）",
    unit: "日",
    default: 365,
  },
  {
    key: "readNotificationDays",
    label: "既読の通知",
    unit: "日",
    default: 180,
  },
  {
    key: "rateLimitDays",
    label: "ログイン試行の記録（レート制限）",
    unit: "日",
    default: 2,
  },
] as const;
export type RetentionKey = (typeof RETENTION_CLASSES)[number]["key"];
export type Retention = Record<RetentionKey, number>;

export const DEFAULT_RETENTION: Retention = Object.fromEntries(RETENTION_CLASSES.map((c) => [c.key, c.default])) as Retention;

export const retentionSchema = z.strictObject(
  Object.fromEntries(RETENTION_CLASSES.map((c) => [c.key, z.coerce.number().int().min(1, "1以上にしてください").max(100 * 365, "大きすぎます")])) as Record<RetentionKey, z.ZodNumber>
);

export async function getRetention(db: Executor): Promise<Retention> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, "retention"));
  const parsed = retentionSchema.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_RETENTION, ...(parsed.success ? parsed.data : {}) };
}

export async function setRetention(db: Executor, value: Retention, by: number): Promise<void> {
  await db
    .insert(settings)
    .values({ key: "retention", value, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: by, updatedAt: new Date() } });
}

export interface PurgeReport {
  closedCases: string[];
  unmetNeedLinks: number;
  correctionReports: number;
  readNotifications: number;
  rateLimitEvents: number;
}

const DAY = 86_400_000;

/**
 * A person's case is closed when nothing is open (no placement before 終了/定着, no plan before
 * 終結/中断, no planned follow-up) and the last record of any kind is older than the retention.
 */
function closedCasesBefore(cutoff: Date) {
  const c = cutoff.toISOString();
  return sql<{ id: number; case_number: string }>`
    select p.id, p.case_number from people p
    where not exists (select 1 from placements x where x.person_id = p.id and x.status not in ('ended', 'settled'))
      and not exists (select 1 from plans x where x.person_id = p.id and x.status not in ('closed', 'interrupted'))
      and not exists (select 1 from follow_ups x where x.person_id = p.id and x.status = 'planned')
      and greatest(
        p.updated_at,
        (select max(created_at) from consent_events x where x.person_id = p.id),
        (select max(created_at) from assessments x where x.person_id = p.id),
        (select max(e.created_at) from placement_events e join placements x on x.id = e.placement_id where x.person_id = p.id),
        (select max(created_at) from follow_ups x where x.person_id = p.id),
        (select max(updated_at) from plans x where x.person_id = p.id)
      ) < ${c}::timestamptz
    order by p.id`;
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** Deletes what has expired (or, with dryRun, only reports it). One transaction; audited per class. */
export async function purgeExpired(db: Database, now: Date, options: { dryRun?: boolean; retention?: Retention } = {}): Promise<PurgeReport> {
  const retention = options.retention ?? (await getRetention(db));
  const yearsAgo = (years: number) => new Date(now.getTime() - years * 365.25 * DAY);
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
  return db.transaction(async (tx) => {
    const closed = rowsOf<{ id: number; case_number: string }>(await tx.execute(closedCasesBefore(yearsAgo(retention.closedCaseYears))));
    const report: PurgeReport = {
      closedCases: closed.map((r) => r.case_number),
      unmetNeedLinks: 0,
      correctionReports: 0,
      readNotifications: 0,
      rateLimitEvents: 0,
    };
    const unmetWhere = and(isNotNull(unmetNeeds.personId), lt(unmetNeeds.createdAt, yearsAgo(retention.unmetNeedLinkYears)));
    const reportsWhere = and(eq(correctionReports.status, "closed"), lt(correctionReports.createdAt, daysAgo(retention.correctionReportDays)));
    const notificationsWhere = and(isNotNull(notifications.readAt), lt(notifications.readAt, daysAgo(retention.readNotificationDays)));
    const rateWhere = lt(rateLimitEvents.at, daysAgo(retention.rateLimitDays));
    if (options.dryRun) {
      report.unmetNeedLinks = (await tx.select({ id: unmetNeeds.id }).from(unmetNeeds).where(unmetWhere)).length;
      report.correctionReports = (await tx.select({ id: correctionReports.id }).from(correctionReports).where(reportsWhere)).length;
      report.readNotifications = (await tx.select({ id: notifications.id }).from(notifications).where(notificationsWhere)).length;
      report.rateLimitEvents = (await tx.select({ id: rateLimitEvents.id }).from(rateLimitEvents).where(rateWhere)).length;
      return report;
    }
    if (closed.length > 0) {
      await tx.update(unmetNeeds).set({ personId: null }).where(inArray(unmetNeeds.personId, closed.map((r) => r.id)));
      await tx.delete(people).where(inArray(people.id, closed.map((r) => r.id)));
      // Households left without anyone receiving support go too (their members are personal data).
      await tx.execute(sql`delete from households h where not exists (select 1 from people p where p.household_id = h.id)`);
    }
    report.unmetNeedLinks = (await tx.update(unmetNeeds).set({ personId: null }).where(unmetWhere).returning({ id: unmetNeeds.id })).length;
    report.correctionReports = (await tx.delete(correctionReports).where(reportsWhere).returning({ id: correctionReports.id })).length;
    report.readNotifications = (await tx.delete(notifications).where(notificationsWhere).returning({ id: notifications.id })).length;
    report.rateLimitEvents = (await tx.delete(rateLimitEvents).where(rateWhere).returning({ id: rateLimitEvents.id })).length;
    for (const caseNumber of report.closedCases) {
      await recordAudit(tx, { action: "data.purge", recordType: "person", recordId: caseNumber, purpose: `保存期間（${retention.closedCaseYears}年）の経過` });
    }
    const classes: [string, number][] = [
      ["unmet_need", report.unmetNeedLinks],
      ["correction_report", report.correctionReports],
      ["notification", report.readNotifications],
      ["rate_limit_event", report.rateLimitEvents],
    ];
    for (const [recordType, n] of classes) {
      if (n > 0) await recordAudit(tx, { action: "data.purge", recordType, recordId: `${n}件`, purpose: "保存期間の経過" });
    }
    return report;
  });
}
