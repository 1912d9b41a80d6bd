// The one way to write the audit log. Rows are hash-chained: hash = sha256(prev_hash + canonical
// row), with `seq` assigned under a transaction-scoped advisory lock, so concurrent writers (in
// several processes) still form one unbroken chain and a deleted or edited row shows.
import crypto from "node:crypto";
import { and, asc, desc, eq, gt, gte, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { auditLog, type AuditRow } from "../../db/schema";
import type { AuditAction, AuditOutcome } from "./audit-actions";
import { getEnv } from "./env.server";
import type { Role } from "./permissions";

export const GENESIS_HASH = "0".repeat(64);
/** Any constant shared by all writers: the key of the advisory lock that serialises appends. */
const AUDIT_LOCK_KEY = 4_210_530_001;

export interface AuditEvent {
  action: AuditAction;
  outcome?: AuditOutcome;
  actor?: { id: number; role: Role } | null;
  recordType?: string | null;
  recordId?: string | number | null;
  /** Why the record was read or written (e.g. 監査ログの確認, 支援会議の準備). Never the data itself. */
  purpose?: string | null;
  requestId?: string | null;
  ipHash?: string | null;
  at?: Date;
}

/** The fields covered by the hash, in a fixed order, as JSON. */
export function canonicalAuditRow(row: Omit<AuditRow, "hash" | "prevHash">): string {
  return JSON.stringify([
    row.seq,
    row.at.toISOString(),
    row.actorUserId,
    row.actorRole,
    row.action,
    row.outcome,
    row.recordType,
    row.recordId,
    row.purpose,
    row.requestId,
    row.ipHash,
  ]);
}

export function auditRowHash(prevHash: string, row: Omit<AuditRow, "hash" | "prevHash">): string {
  return crypto.createHash("sha256").update(prevHash).update("\n").update(canonicalAuditRow(row)).digest("hex");
}

/**
 * Appends one event. Pass a transaction to make the event part of the change it records (the
 * event then commits or rolls back with it); pass the database for a standalone event.
 */
export async function recordAudit(executor: Executor, event: AuditEvent): Promise<{ seq: number; hash: string }> {
  return executor.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
    const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    const row = {
      seq: (last?.seq ?? 0) + 1,
      // Millisecond precision, so the value read back hashes the same on both engines.
      at: new Date((event.at ?? new Date()).getTime()),
      actorUserId: event.actor?.id ?? null,
      actorRole: event.actor?.role ?? null,
      action: event.action,
      outcome: event.outcome ?? "success",
      recordType: event.recordType ?? null,
      recordId: event.recordId === undefined || event.recordId === null ? null : String(event.recordId),
      purpose: event.purpose ?? null,
      requestId: event.requestId ?? null,
      ipHash: event.ipHash ?? null,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = auditRowHash(prevHash, row);
    await tx.insert(auditLog).values({ ...row, prevHash, hash });
    if (row.action === "person.read" && row.outcome === "success" && row.actorUserId !== null) {
      const alert = await bulkReadAlert(tx, row.actorUserId, row.actorRole, row.at, { seq: row.seq, hash });
      if (alert) return alert;
    }
    return { seq: row.seq, hash };
  });
}

/**
 * One user reading many people's records in an hour is worth a look (a leak or a stolen session
 * looks like this): after the read that crosses PERSON_READ_ALERT_PER_HOUR distinct records, an
 * `alert.bulk-read` row is appended (at most one per user per hour). /admin/audit filters on it.
 */
async function bulkReadAlert(tx: Executor, actorUserId: number, actorRole: string | null, at: Date, last: { seq: number; hash: string }) {
  const limit = getEnv().PERSON_READ_ALERT_PER_HOUR;
  const since = new Date(at.getTime() - 3_600_000);
  const [counts] = await tx
    .select({
      records: sql<number>`count(distinct ${auditLog.recordId}) filter (where ${auditLog.action} = 'person.read' and ${auditLog.outcome} = 'success')`,
      alerts: sql<number>`count(*) filter (where ${auditLog.action} = 'alert.bulk-read')`,
    })
    .from(auditLog)
    .where(and(eq(auditLog.actorUserId, actorUserId), gte(auditLog.at, since)));
  if (Number(counts?.records ?? 0) <= limit || Number(counts?.alerts ?? 0) > 0) return null;
  const row = {
    seq: last.seq + 1,
    at,
    actorUserId,
    actorRole,
    action: "alert.bulk-read",
    outcome: "success",
    recordType: "person",
    recordId: `${Number(counts?.records)}件/1時間`,
    purpose: `1時間に${limit}件を超える本人記録の閲覧`,
    requestId: null,
    ipHash: null,
  };
  const hash = auditRowHash(last.hash, row);
  await tx.insert(auditLog).values({ ...row, prevHash: last.hash, hash });
  return { seq: row.seq, hash };
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  problems: string[];
}

/**
 * Walks the whole chain in seq order: a missing seq is a deleted row, a hash that does not match
 * its row is an edited row, a prev_hash that does not match the row before is a spliced chain.
 * Deleting the newest rows leaves no trace inside the chain; compare `head` with a copy kept
 * elsewhere (`expectHead`) to catch that.
 */
export async function verifyAuditChain(db: Database, options: { expectHead?: { seq: number; hash: string }; batchSize?: number } = {}): Promise<AuditVerification> {
  const problems: string[] = [];
  const batchSize = options.batchSize ?? 5000;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  let head: AuditVerification["head"] = null;
  let after = 0;
  for (;;) {
    const batch = await db.select().from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(batchSize);
    for (const row of batch) {
      rows++;
      if (row.seq !== expectedSeq) {
        problems.push(
          row.seq > expectedSeq
            ? `seq ${expectedSeq}${row.seq - 1 > expectedSeq ? `–${row.seq - 1}` : ""} が欠落しています (missing: rows deleted)`
            : `seq ${row.seq} の順序が不正です (out of order)`,
        );
      } else if (row.prevHash !== prevHash) {
        problems.push(`seq ${row.seq}: 直前の行のハッシュと一致しません (prev_hash does not match the previous row)`);
      }
      const { hash: storedHash, prevHash: storedPrev, ...fields } = row;
      if (auditRowHash(storedPrev, fields) !== storedHash) {
        problems.push(`seq ${row.seq}: 内容がハッシュと一致しません (row edited after it was written)`);
      }
      expectedSeq = row.seq + 1;
      prevHash = storedHash;
      head = { seq: row.seq, hash: storedHash };
      after = row.seq;
    }
    if (batch.length < batchSize) break;
  }
  if (options.expectHead) {
    const { seq, hash } = options.expectHead;
    if (!head || head.seq < seq) problems.push(`記録済みの先頭 seq ${seq} より後ろが失われています (rows after the recorded head were deleted)`);
    else {
      const [anchor] = await db.select({ hash: auditLog.hash }).from(auditLog).where(sql`${auditLog.seq} = ${seq}`);
      if (!anchor || anchor.hash !== hash) problems.push(`seq ${seq} のハッシュが記録済みの値と一致しません (chain rewritten)`);
    }
  }
  return { ok: problems.length === 0, rows, head, problems };
}
