// The one gate to person data (本人の記録). Every read and write of a person goes through
// `withPerson` (one person) or `visiblePeopleWhere` (lists): it decides visibility from the
// assignment and the latest consent, read in the same transaction as the data, and writes the
// audit row (who, role, which case, why) in that transaction too. A person the actor may not see
// is "not found" (routes answer 404), never "forbidden": existence itself is personal data.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { consentEvents, meetingCases, meetingMembers, meetings, people, personAssignments } from "../../db/schema";
import { meetingCaseAccess, type MeetingKind } from "~/meetings/rules";
import { recordAudit } from "~/utils/audit.server";
import type { AuditAction } from "~/utils/audit-actions";
import { can, type Role } from "~/utils/permissions";
import { isConsentState, type ConsentState } from "./consent";

export interface Actor {
  id: number;
  role: Role;
}

/**
 * Why the data is being looked at. Casework (ケースワーク): assignment and consent decide. Meeting
 * (`{ kind: "meeting"; meetingId }`, issue 7): a member of a 支援会議 who accepted the pledge sees
 * the cases on its agenda whatever the consent; a 重層的支援会議 shows only 同意 cases
 * (app/meetings/rules.ts). Disclosure (本人開示): administrators, one person, any consent. The
 * rules live in `decideVisibility` and `visiblePeopleWhere` only.
 */
export type AccessContext = { kind: "casework" } | { kind: "meeting"; meetingId: number } | { kind: "disclosure" };
export const CASEWORK: AccessContext = { kind: "casework" };

/** What the audit row carries beside the actor (request id and hashed address from the route). */
export interface AuditMeta {
  requestId?: string | null;
  ipHash?: string | null;
}

export interface VisibilityFacts {
  assigned: boolean;
  latestConsent: ConsentState | null;
  /** In a meeting context: the meeting's kind and the viewer's membership, pledge and the agenda. */
  meeting?: { kind: MeetingKind; isMember: boolean; pledged: boolean; onAgenda: boolean } | null;
}

/**
 * The consent rule, as a pure function (the matrix test of issue 7 runs it directly):
 * staff see people assigned to them; admins see people whose latest consent is 同意, and
 * 不同意 / 不明 people only when assigned; coordinators never.
 */
export function decideVisibility(actor: Actor, facts: VisibilityFacts, context: AccessContext = CASEWORK): boolean {
  // 本人開示: the person asks for their own records; the municipality's administrator answers,
  // whatever the consent (consent governs sharing with others, not the person's own access).
  if (context.kind === "disclosure") return can(actor.role, "read:person:any") && can(actor.role, "decide:support");
  if (context.kind === "meeting") {
    if (!facts.meeting || !mayUsePersonData(actor.role)) return false;
    return meetingCaseAccess({ meetingKind: facts.meeting.kind, consent: facts.latestConsent, ...facts.meeting }).visible;
  }
  if (can(actor.role, "read:person:any")) return facts.assigned || facts.latestConsent === "agree";
  if (can(actor.role, "read:person:assigned")) return facts.assigned;
  return false;
}

/** Whether the role may use the staff side at all (coordinators may not). */
export function mayUsePersonData(role: Role): boolean {
  return can(role, "read:person:any") || can(role, "read:person:assigned");
}

// The correlated subqueries are written with explicit table names: drizzle renders columns in a
// select list unqualified, which would make `person_id = id` compare within the subquery's table.

/** SQL for "the latest consent state of the current `people` row" (latest = highest id). */
export function latestConsentSql(): SQL<string | null> {
  return sql<string | null>`(select ce.state from consent_events ce where ce.person_id = "people"."id" order by ce.id desc limit 1)`;
}

function assignedSql(actor: Actor): SQL {
  return sql`exists (select 1 from person_assignments pa where pa.person_id = "people"."id" and pa.user_id = ${actor.id})`;
}

/** A WHERE clause over `people` that keeps only the rows the actor may see (same rule as decideVisibility). */
export function visiblePeopleWhere(actor: Actor, context: AccessContext = CASEWORK): SQL {
  // Disclosure is for one person at a time (withPerson); it never widens a list.
  if (context.kind === "disclosure") return sql`false`;
  if (context.kind === "meeting") {
    if (!mayUsePersonData(actor.role)) return sql`false`;
    // On the agenda, the viewer a member; 支援会議: pledge accepted; 重層的支援会議: consent 同意.
    return sql`exists (
      select 1 from meeting_cases mc
        join meetings m on m.id = mc.meeting_id
        join meeting_members mm on mm.meeting_id = m.id and mm.user_id = ${actor.id}
      where mc.meeting_id = ${context.meetingId} and mc.person_id = "people"."id"
        and ((m.kind = 'support' and mm.pledge_accepted_at is not null)
          or (m.kind = 'jusouteki' and ${latestConsentSql()} = 'agree')))`;
  }
  if (can(actor.role, "read:person:any")) return sql`(${assignedSql(actor)} or ${latestConsentSql()} = 'agree')`;
  if (can(actor.role, "read:person:assigned")) return assignedSql(actor);
  return sql`false`;
}

/** The person as the gate hands it to the work: enough to route and label, nothing sensitive. */
export interface PersonRef {
  id: number;
  caseNumber: string;
  latestConsent: ConsentState | null;
  assigned: boolean;
}

/** Thrown inside the work to refuse a write (e.g. sensitive fields without consent): all rolls back. */
export class PersonWriteRefused extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
    readonly fieldErrors: Partial<Record<string, string[]>> = {},
  ) {
    super(message);
    this.name = "PersonWriteRefused";
  }
}

export type PersonAccessResult<T> = { kind: "ok"; value: T; person: PersonRef } | { kind: "not-found" } | { kind: "refused"; error: PersonWriteRefused };

export interface PersonAccessRequest {
  actor: Actor;
  /** Identify the person by case number (URLs) or id (placements, notifications). */
  person: { caseNumber: string } | { id: number };
  /** 「ケース記録の閲覧」「アセスメントの記録」…: recorded in the audit log. */
  purpose: string;
  action: AuditAction;
  /** The record the audit row names; the person's case number when absent. */
  record?: { type: string; id: string | number };
  context?: AccessContext;
  audit?: AuditMeta;
  /** Writes lock the person row so a consent change cannot interleave. */
  mode?: "read" | "write";
}

async function loadFacts(tx: Executor, actor: Actor, where: SQL, mode: "read" | "write") {
  const query = tx
    .select({
      id: people.id,
      caseNumber: people.caseNumber,
      latestConsent: latestConsentSql(),
      assigned: sql<boolean>`${assignedSql(actor)}`,
    })
    .from(people)
    .where(where)
    .limit(1);
  // FOR SHARE / FOR UPDATE on the person row: recordConsent takes FOR UPDATE, so a read never sees
  // data under a consent that has just been withdrawn in another transaction.
  const [row] = await (mode === "write" ? query.for("update") : query.for("share"));
  return row;
}

/** The viewer's standing in a meeting for one person (same transaction as the consent read). */
async function loadMeetingFacts(tx: Executor, actor: Actor, personId: number, meetingId: number): Promise<VisibilityFacts["meeting"]> {
  const [meeting] = await tx.select({ kind: meetings.kind }).from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting || (meeting.kind !== "support" && meeting.kind !== "jusouteki")) return null;
  const [member] = await tx
    .select({ pledgeAcceptedAt: meetingMembers.pledgeAcceptedAt })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, actor.id)));
  const [onAgenda] = await tx
    .select({ id: meetingCases.id })
    .from(meetingCases)
    .where(and(eq(meetingCases.meetingId, meetingId), eq(meetingCases.personId, personId)));
  return { kind: meeting.kind, isMember: Boolean(member), pledged: Boolean(member?.pledgeAcceptedAt), onAgenda: Boolean(onAgenda) };
}

/**
 * Runs `work` for one person if the actor may see them, in one transaction with the visibility
 * check and the audit row. Not visible (or no such case) → `not-found`, with a denied audit row.
 */
export async function withPerson<T>(db: Database, request: PersonAccessRequest, work: (tx: Executor, person: PersonRef) => Promise<T>): Promise<PersonAccessResult<T>> {
  const context = request.context ?? CASEWORK;
  const mode = request.mode ?? "read";
  const where = "caseNumber" in request.person ? eq(people.caseNumber, request.person.caseNumber) : eq(people.id, request.person.id);
  const requested = "caseNumber" in request.person ? request.person.caseNumber : `id:${request.person.id}`;
  const auditBase = {
    actor: request.actor,
    purpose: request.purpose,
    requestId: request.audit?.requestId ?? null,
    ipHash: request.audit?.ipHash ?? null,
  };
  // Set inside the transaction callback (a holder object: TypeScript does not track closures).
  const state: { refused: PersonWriteRefused | null; hidden: boolean; recordId: string } = { refused: null, hidden: false, recordId: requested };
  const outcome = await db
    .transaction(async (tx) => {
      const row = await loadFacts(tx, request.actor, where, mode);
      const facts: VisibilityFacts = { assigned: Boolean(row?.assigned), latestConsent: isConsentState(row?.latestConsent) ? row.latestConsent : null };
      if (row && context.kind === "meeting") facts.meeting = await loadMeetingFacts(tx, request.actor, row.id, context.meetingId);
      if (!row || !decideVisibility(request.actor, facts, context)) {
        state.hidden = true;
        return null;
      }
      const person: PersonRef = { id: row.id, caseNumber: row.caseNumber, ...facts };
      state.recordId = row.caseNumber;
      const value = await work(tx, person);
      await recordAudit(tx, {
        ...auditBase,
        action: request.action,
        recordType: request.record?.type ?? "person",
        recordId: request.record?.id ?? row.caseNumber,
      });
      return { value, person };
    })
    .catch((error: unknown) => {
      // A refusal rolls back whatever the work wrote; it is audited below, outside.
      if (error instanceof PersonWriteRefused) {
        state.refused = error;
        return null;
      }
      throw error;
    });
  if (state.hidden) {
    await recordAudit(db, { ...auditBase, action: request.action, outcome: "denied", recordType: "person", recordId: requested });
    return { kind: "not-found" };
  }
  if (state.refused) {
    await recordAudit(db, { ...auditBase, action: request.action, outcome: "failure", recordType: request.record?.type ?? "person", recordId: state.recordId });
    return { kind: "refused", error: state.refused };
  }
  if (!outcome) throw new Error("withPerson: no outcome");
  return { kind: "ok", value: outcome.value, person: outcome.person };
}

/** Writes the audit row of a list read (one row per list, with its purpose). */
export async function auditPersonList(tx: Executor, actor: Actor, purpose: string, shown: number, audit?: AuditMeta): Promise<void> {
  await recordAudit(tx, {
    action: "person.list",
    actor,
    recordType: "person",
    recordId: `${shown}件`,
    purpose,
    requestId: audit?.requestId ?? null,
    ipHash: audit?.ipHash ?? null,
  });
}

/** The staff assigned to a person (for notifications; not a read of the person's record). */
export async function assignedStaffOf(tx: Executor, personId: number): Promise<number[]> {
  const rows = await tx.select({ userId: personAssignments.userId }).from(personAssignments).where(eq(personAssignments.personId, personId));
  return rows.map((r) => r.userId);
}

/** The latest consent event of a person (inside a gate's transaction). */
export async function latestConsentEvent(tx: Executor, personId: number) {
  const [row] = await tx.select().from(consentEvents).where(eq(consentEvents.personId, personId)).orderBy(desc(consentEvents.id)).limit(1);
  return row ?? null;
}
