// Reading the audit log for /admin/audit (writing goes through app/utils/audit.server.ts only).
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.server";
import { auditLog, users } from "../../db/schema";

export interface AuditFilters {
  actorUserId?: number;
  action?: string;
  recordType?: string;
  /** Inclusive, Asia/Tokyo calendar days as Date bounds. */
  from?: Date;
  /** Exclusive. */
  until?: Date;
}

export const AUDIT_PAGE_SIZE = 100;

export async function listAuditEvents(db: Database, filters: AuditFilters, page: number) {
  const conditions: SQL[] = [];
  if (filters.actorUserId !== undefined) conditions.push(eq(auditLog.actorUserId, filters.actorUserId));
  if (filters.action) conditions.push(eq(auditLog.action, filters.action));
  if (filters.recordType) conditions.push(eq(auditLog.recordType, filters.recordType));
  if (filters.from) conditions.push(gte(auditLog.at, filters.from));
  if (filters.until) conditions.push(lt(auditLog.at, filters.until));
  const rows = await db
    .select({
      seq: auditLog.seq,
      at: auditLog.at,
      actorUserId: auditLog.actorUserId,
      actorName: users.displayName,
      actorRole: auditLog.actorRole,
      action: auditLog.action,
      outcome: auditLog.outcome,
      recordType: auditLog.recordType,
      recordId: auditLog.recordId,
      purpose: auditLog.purpose,
      requestId: auditLog.requestId,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  return { events: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}
