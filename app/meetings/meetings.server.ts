// 支援会議 and 重層的支援会議 in the database (issue 7): the meeting record, its members (portal
// users, or external members by name and organisation), the confidentiality pledge, the agenda and
// the minutes. Which case content a member may see is decided by app/meetings/rules.ts, applied in
// the people access gate's meeting context; this module never returns case content itself — only
// case labels (initials + case number unless the viewer is authorised outside the meeting).
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database, Executor } from "../../db/client.server";
import { assessments, followUps, meetingCases, meetingMembers, meetings, organisations, people, placements, plans, planVersions, resources, users } from "../../db/schema";
import { decideVisibility, latestConsentSql, PersonWriteRefused, withPerson, type Actor, type AuditMeta } from "~/people/access.server";
import { isConsentState } from "~/people/consent";
import { aggregateUnmetNeeds } from "~/people/unmet-needs.server";
import { recordAudit } from "~/utils/audit.server";
import { decryptField, encryptField } from "~/utils/field-crypto.server";
import { can } from "~/utils/permissions";
import { type AgendaReason, type meetingSchema } from "./forms";
import { mayPutOnAgenda, meetingCaseAccess, meetingCaseLabel, meetingKindLabel, type MeetingKind } from "./rules";

export { AGENDA_REASONS, agendaReasonLabel, meetingSchema, type AgendaReason } from "./forms";

/** The purpose recorded in the audit log for reads in a meeting (「支援会議 2026-12-03」). */
export function meetingPurpose(meeting: { kind: string; heldOn: string }): string {
  return `${meetingKindLabel(meeting.kind)} ${meeting.heldOn}`;
}

function requireOrganiser(actor: Actor): void {
  if (!can(actor.role, "decide:support")) throw new PersonWriteRefused("会議を作成・運営できるのは管理者（市町村）です。", "Only administrators run meetings.");
}

export async function createMeeting(db: Database, input: { actor: Actor; meeting: z.infer<typeof meetingSchema>; audit?: AuditMeta }): Promise<number> {
  requireOrganiser(input.actor);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(meetings).values({ ...input.meeting, createdBy: input.actor.id }).returning({ id: meetings.id });
    // The organiser is a member; a 支援会議 organiser still accepts the pledge like everyone else.
    await tx.insert(meetingMembers).values({ meetingId: row!.id, userId: input.actor.id });
    await recordAudit(tx, { action: "meeting.create", actor: input.actor, recordType: "meeting", recordId: row!.id, purpose: meetingPurpose(input.meeting), requestId: input.audit?.requestId, ipHash: input.audit?.ipHash });
    return row!.id;
  });
}

export async function addMember(
  db: Database,
  input: { actor: Actor; meetingId: number; member: { userId: number } | { externalName: string; externalOrganisation: string }; audit?: AuditMeta }
): Promise<void> {
  requireOrganiser(input.actor);
  await db.transaction(async (tx) => {
    if ("userId" in input.member) {
      const [existing] = await tx.select({ id: meetingMembers.id }).from(meetingMembers).where(and(eq(meetingMembers.meetingId, input.meetingId), eq(meetingMembers.userId, input.member.userId)));
      if (existing) return;
      await tx.insert(meetingMembers).values({ meetingId: input.meetingId, userId: input.member.userId });
    } else {
      await tx.insert(meetingMembers).values({ meetingId: input.meetingId, externalName: input.member.externalName, externalOrganisation: input.member.externalOrganisation });
    }
    await recordAudit(tx, { action: "meeting.member.add", actor: input.actor, recordType: "meeting", recordId: input.meetingId, requestId: input.audit?.requestId, ipHash: input.audit?.ipHash });
  });
}

/** A portal user accepts the confidentiality pledge for one meeting (recorded and audited). */
export async function acceptPledge(db: Database, input: { actor: Actor; meetingId: number; now?: Date; audit?: AuditMeta }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(meetingMembers)
      .set({ pledgeAcceptedAt: input.now ?? new Date() })
      .where(and(eq(meetingMembers.meetingId, input.meetingId), eq(meetingMembers.userId, input.actor.id), isNull(meetingMembers.pledgeAcceptedAt)))
      .returning({ id: meetingMembers.id });
    if (updated.length > 0) {
      await recordAudit(tx, { action: "meeting.pledge", actor: input.actor, recordType: "meeting", recordId: input.meetingId, purpose: "守秘義務の誓約", requestId: input.audit?.requestId, ipHash: input.audit?.ipHash });
    }
    return updated.length > 0;
  });
}

/** The organiser records the pledge of an external member (signed on paper at the meeting). */
export async function recordExternalPledge(db: Database, input: { actor: Actor; meetingId: number; memberId: number; now?: Date; audit?: AuditMeta }): Promise<boolean> {
  requireOrganiser(input.actor);
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(meetingMembers)
      .set({ pledgeAcceptedAt: input.now ?? new Date() })
      // Once recorded, the date of the signature is kept (a second press changes nothing).
      .where(and(eq(meetingMembers.id, input.memberId), eq(meetingMembers.meetingId, input.meetingId), isNull(meetingMembers.userId), isNull(meetingMembers.pledgeAcceptedAt)))
      .returning({ id: meetingMembers.id });
    if (updated.length > 0) await recordAudit(tx, { action: "meeting.pledge", actor: input.actor, recordType: "meeting_member", recordId: input.memberId, purpose: "外部構成員の守秘義務の誓約（書面）", requestId: input.audit?.requestId, ipHash: input.audit?.ipHash });
    return updated.length > 0;
  });
}

/**
 * Puts a case on the agenda. The actor must be able to see the person in casework (assigned staff,
 * or an admin for a 同意 case); a 重層的支援会議 takes only 同意 cases (consent read in the same
 * transaction, under the gate's lock).
 */
export async function addCase(db: Database, input: { actor: Actor; meetingId: number; caseNumber: string; reason: AgendaReason; planId?: number | null; audit?: AuditMeta }) {
  const [meeting] = await db.select().from(meetings).where(eq(meetings.id, input.meetingId));
  if (!meeting) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: `${meetingPurpose(meeting)} への提出`, action: "meeting.case.add", mode: "write", audit: input.audit },
    async (tx, person) => {
      if (!mayPutOnAgenda(meeting.kind as MeetingKind, person.latestConsent)) {
        throw new PersonWriteRefused("重層的支援会議では、本人の同意（同意）がある事例だけを扱えます。同意がない場合は支援会議で検討してください。", "Only cases with consent may go to a 重層的支援会議.");
      }
      await tx.insert(meetingCases).values({ meetingId: meeting.id, personId: person.id, planId: input.planId ?? null, reason: input.reason }).onConflictDoNothing();
      return { meetingId: meeting.id };
    }
  );
}

/**
 * The 重層的支援会議's agenda, built from the plans that need it: 作成 (評価), 再プラン, proposed
 * 終結 / 中断, and plans in progress whose review date has come. Only 同意 cases. Returns how many
 * cases were added (existing ones are kept).
 */
export async function buildJusoutekiAgenda(db: Database, input: { actor: Actor; meetingId: number; audit?: AuditMeta }): Promise<number> {
  requireOrganiser(input.actor);
  return db.transaction(async (tx) => {
    const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, input.meetingId));
    if (!meeting || meeting.kind !== "jusouteki") throw new PersonWriteRefused("重層的支援会議ではありません。", "Not a 重層的支援会議.");
    const due = await tx
      .select({ planId: plans.id, personId: plans.personId, status: plans.status, proposed: plans.proposedStatus })
      .from(plans)
      .where(
        and(
          sql`(select ce.state from consent_events ce where ce.person_id = ${plans.personId} order by ce.id desc limit 1) = 'agree'`,
          or(
            inArray(plans.status, ["draft", "replanning"]),
            inArray(plans.proposedStatus, ["closed", "interrupted"]),
            and(eq(plans.status, "in_progress"), lte(plans.nextReviewOn, meeting.heldOn))
          )
        )
      )
      .orderBy(asc(plans.id));
    const reasonOf = (p: (typeof due)[number]): AgendaReason =>
      p.proposed === "closed" ? "termination" : p.proposed === "interrupted" ? "interruption" : p.status === "replanning" ? "replan" : "evaluation";
    let added = 0;
    for (const p of due) {
      const inserted = await tx
        .insert(meetingCases)
        .values({ meetingId: meeting.id, personId: p.personId, planId: p.planId, reason: reasonOf(p) })
        .onConflictDoNothing()
        .returning({ id: meetingCases.id });
      added += inserted.length;
    }
    await recordAudit(tx, { action: "meeting.agenda.build", actor: input.actor, recordType: "meeting", recordId: meeting.id, purpose: `${added}件を議題に追加`, requestId: input.audit?.requestId, ipHash: input.audit?.ipHash });
    return added;
  });
}

export interface MeetingCaseRow {
  caseId: number;
  caseNumber: string;
  label: string;
  reason: string;
  planId: number | null;
  /** The viewer may open the case content in this meeting. */
  visible: boolean;
  /** Why not, in Japanese (pledge first, consent …). */
  hiddenReason: string | null;
}

const HIDDEN_REASONS = {
  "not-member": "この会議の構成員ではありません。",
  "not-on-agenda": "この会議の議題ではありません。",
  "consent-required": "本人の同意がないため、重層的支援会議では扱えません。",
  "pledge-required": "守秘義務の誓約をすると、事例の内容が表示されます。",
} as const;

/**
 * A meeting as one viewer sees it: members (with pledge status), the agenda as labels, and, for a
 * 重層的支援会議, the unmet-needs aggregate (no personal identifiers). Non-members get null (404).
 * Audited with the meeting as purpose.
 */
export async function meetingView(db: Database, input: { actor: Actor; meetingId: number; audit?: AuditMeta }) {
  return db.transaction(async (tx) => {
    const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, input.meetingId));
    if (!meeting) return null;
    const members = await tx
      .select({
        id: meetingMembers.id,
        userId: meetingMembers.userId,
        displayName: users.displayName,
        userOrganisation: organisations.name,
        externalName: meetingMembers.externalName,
        externalOrganisation: meetingMembers.externalOrganisation,
        pledgeAcceptedAt: meetingMembers.pledgeAcceptedAt,
      })
      .from(meetingMembers)
      .leftJoin(users, eq(users.id, meetingMembers.userId))
      .leftJoin(organisations, eq(organisations.id, users.organisationId))
      .where(eq(meetingMembers.meetingId, meeting.id))
      .orderBy(asc(meetingMembers.id));
    const me = members.find((m) => m.userId === input.actor.id);
    if (!me && !can(input.actor.role, "decide:support")) return null;
    const rows = await tx
      .select({
        caseId: meetingCases.id,
        personId: people.id,
        caseNumber: people.caseNumber,
        name: people.name,
        nameKana: people.nameKana,
        reason: meetingCases.reason,
        planId: meetingCases.planId,
        consent: latestConsentSql(),
        assigned: sql<boolean>`exists (select 1 from person_assignments a where a.person_id = ${people.id} and a.user_id = ${input.actor.id})`,
      })
      .from(meetingCases)
      .innerJoin(people, eq(people.id, meetingCases.personId))
      .where(eq(meetingCases.meetingId, meeting.id))
      .orderBy(asc(meetingCases.id));
    const cases: MeetingCaseRow[] = rows.map((r) => {
      const consent = isConsentState(r.consent) ? r.consent : null;
      const access = meetingCaseAccess({ meetingKind: meeting.kind as MeetingKind, consent, isMember: Boolean(me), pledged: Boolean(me?.pledgeAcceptedAt), onAgenda: true });
      const authorised = decideVisibility(input.actor, { assigned: Boolean(r.assigned), latestConsent: consent });
      return {
        caseId: r.caseId,
        caseNumber: r.caseNumber,
        // Before the pledge (or without the right), not even initials: the case number only.
        label: access.visible || authorised ? meetingCaseLabel(r, authorised) : `（${r.caseNumber}）`,
        reason: r.reason,
        planId: r.planId,
        visible: access.visible,
        hiddenReason: access.visible ? null : HIDDEN_REASONS[access.reason],
      };
    });
    await recordAudit(tx, { action: "meeting.read", actor: input.actor, recordType: "meeting", recordId: meeting.id, purpose: meetingPurpose(meeting), requestId: input.audit?.requestId, ipHash: input.audit?.ipHash });
    // Minutes and decisions are case content: for members who may see the cases (a 支援会議
    // member after the pledge, any member of a 重層的支援会議, whose cases all have 同意) — also when
    // the agenda is still empty, so the organiser's form never overwrites minutes it cannot show.
    const contentVisible = minutesVisible(meeting.kind, me ? { pledged: Boolean(me.pledgeAcceptedAt) } : null);
    return {
      meeting: {
        ...meeting,
        minutes: contentVisible ? decryptField(meeting.minutes) : null,
        decisions: contentVisible ? decryptField(meeting.decisions) : null,
      },
      me: me ? { memberId: me.id, pledged: Boolean(me.pledgeAcceptedAt) } : null,
      members: members.map((m) => ({ id: m.id, name: m.displayName ?? m.externalName ?? "", organisation: m.externalOrganisation ?? m.userOrganisation ?? null, external: m.userId === null, pledged: Boolean(m.pledgeAcceptedAt) })),
      cases,
      unmetNeeds: meeting.kind === "jusouteki" ? await aggregateUnmetNeeds(tx) : null,
    };
  });
}

export async function recordMinutes(db: Database, input: { actor: Actor; meetingId: number; minutes: string; decisions: string; audit?: AuditMeta }) {
  requireOrganiser(input.actor);
  await db.transaction(async (tx) => {
    // Only an organiser who may read the minutes may replace them (a 支援会議: after the pledge).
    const [meeting] = await tx.select({ kind: meetings.kind }).from(meetings).where(eq(meetings.id, input.meetingId));
    const [me] = await tx.select({ pledgeAcceptedAt: meetingMembers.pledgeAcceptedAt }).from(meetingMembers).where(and(eq(meetingMembers.meetingId, input.meetingId), eq(meetingMembers.userId, input.actor.id)));
    if (!meeting || !minutesVisible(meeting.kind, me ? { pledged: Boolean(me.pledgeAcceptedAt) } : null)) {
      throw new PersonWriteRefused("議事録を記録するには、この会議の構成員として守秘義務の誓約をしてください。", "Join the meeting and accept the pledge before recording minutes.");
    }
    await tx.update(meetings).set({ minutes: encryptField(input.minutes || null), decisions: encryptField(input.decisions || null) }).where(eq(meetings.id, input.meetingId));
    await recordAudit(tx, { action: "meeting.minutes", actor: input.actor, recordType: "meeting", recordId: input.meetingId, requestId: input.audit?.requestId, ipHash: input.audit?.ipHash });
  });
}

/** Meetings the actor is a member of (admins: all), newest first; no case content. */
export async function listMeetings(db: Executor, actor: Actor) {
  const base = db.select({ id: meetings.id, kind: meetings.kind, heldOn: meetings.heldOn, title: meetings.title }).from(meetings);
  const rows = can(actor.role, "decide:support")
    ? await base.orderBy(sql`${meetings.heldOn} desc`)
    : await base
        .where(sql`exists (select 1 from ${meetingMembers} where ${meetingMembers.meetingId} = ${meetings.id} and ${meetingMembers.userId} = ${actor.id})`)
        .orderBy(sql`${meetings.heldOn} desc`);
  return rows;
}

/**
 * One case's content in a meeting, through the people gate's meeting context: a 支援会議 member
 * sees it only after the pledge (any consent), a 重層的支援会議 member only for 同意 cases; anyone
 * else gets not-found. Audited with the meeting as the purpose (「支援会議 2026-12-03」). Shows what
 * the meeting needs (agenda reason, plan, assessment summary, placements, follow-up evaluations),
 * not the health fields; the name only to viewers authorised for the person outside the meeting.
 */
export async function readMeetingCase(db: Database, input: { actor: Actor; meetingId: number; caseId: number; audit?: AuditMeta }) {
  const [row] = await db
    .select({ personId: meetingCases.personId, reason: meetingCases.reason, planId: meetingCases.planId, kind: meetings.kind, heldOn: meetings.heldOn, title: meetings.title })
    .from(meetingCases)
    .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
    .where(and(eq(meetingCases.id, input.caseId), eq(meetingCases.meetingId, input.meetingId)));
  if (!row) return { kind: "not-found" } as const;
  return withPerson(
    db,
    {
      actor: input.actor,
      person: { id: row.personId },
      purpose: meetingPurpose(row),
      action: "meeting.case.read",
      context: { kind: "meeting", meetingId: input.meetingId },
      audit: input.audit,
    },
    async (tx, person) => {
      const [p] = await tx.select({ name: people.name, nameKana: people.nameKana, area: people.area, birthYear: people.birthYear }).from(people).where(eq(people.id, person.id));
      const authorised = decideVisibility(input.actor, { assigned: person.assigned, latestConsent: person.latestConsent });
      // A case put on the agenda by hand names no plan: the person's latest plan is the one to discuss.
      const planId = row.planId ?? (await tx.select({ id: plans.id }).from(plans).where(eq(plans.personId, person.id)).orderBy(desc(plans.id)).limit(1))[0]?.id ?? null;
      const planRows = planId
        ? await tx.select({ status: plans.status, version: plans.version, programmes: plans.programmes }).from(plans).where(eq(plans.id, planId))
        : [];
      const [currentVersion] = planId
        ? await tx.select({ content: planVersions.content }).from(planVersions).where(eq(planVersions.planId, planId)).orderBy(desc(planVersions.version)).limit(1)
        : [];
      const [assessment] = await tx.select({ data: assessments.data, assessedOn: assessments.assessedOn }).from(assessments).where(eq(assessments.personId, person.id)).orderBy(desc(assessments.version)).limit(1);
      const placementRows = await tx
        .select({ id: placements.id, status: placements.status, resourceName: resources.name, step: placements.step })
        .from(placements)
        .innerJoin(resources, eq(resources.id, placements.resourceId))
        .where(eq(placements.personId, person.id))
        .orderBy(asc(placements.id));
      const evaluations = await tx
        .select({ doneOn: followUps.doneOn, side: followUps.side, evaluation: followUps.evaluation })
        .from(followUps)
        .where(and(eq(followUps.personId, person.id), eq(followUps.status, "done")))
        .orderBy(desc(followUps.doneOn))
        .limit(10);
      return {
        meeting: { kind: row.kind, heldOn: row.heldOn, title: row.title },
        label: meetingCaseLabel({ caseNumber: person.caseNumber, name: p!.name, nameKana: p!.nameKana }, authorised),
        consent: person.latestConsent,
        reason: row.reason,
        area: p!.area,
        birthYear: authorised ? p!.birthYear : null,
        plan: planRows[0] ? { ...planRows[0], content: currentVersion ? (JSON.parse(decryptField(currentVersion.content)!) as unknown) : null } : null,
        assessment: assessment ?? null,
        placements: placementRows,
        evaluations,
      };
    }
  );
}

/** Who may read (and so write) a meeting's minutes and decisions. */
export function minutesVisible(kind: string, me: { pledged: boolean } | null): boolean {
  if (!me) return false;
  return kind === "jusouteki" || me.pledged;
}

/** The actor's standing in a meeting (no case data, not audited): for the pages' action checks. */
export async function meetingMembership(db: Executor, input: { actor: Actor; meetingId: number }) {
  const [meeting] = await db.select({ id: meetings.id, kind: meetings.kind, heldOn: meetings.heldOn, title: meetings.title }).from(meetings).where(eq(meetings.id, input.meetingId));
  if (!meeting) return null;
  const [member] = await db
    .select({ id: meetingMembers.id, pledgeAcceptedAt: meetingMembers.pledgeAcceptedAt })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, input.meetingId), eq(meetingMembers.userId, input.actor.id)));
  return { meeting, member: member ? { id: member.id, pledged: Boolean(member.pledgeAcceptedAt) } : null };
}

/** Meetings the actor is a member of (admins: all), with the actor's own membership and pledge. */
export async function listMeetingsWithMembership(db: Executor, actor: Actor) {
  const rows = await listMeetings(db, actor);
  if (rows.length === 0) return [];
  const mine = await db
    .select({ meetingId: meetingMembers.meetingId, pledgeAcceptedAt: meetingMembers.pledgeAcceptedAt })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.userId, actor.id), inArray(meetingMembers.meetingId, rows.map((r) => r.id))));
  const byMeeting = new Map(mine.map((m) => [m.meetingId, Boolean(m.pledgeAcceptedAt)]));
  return rows.map((r) => ({ ...r, member: byMeeting.has(r.id), pledged: byMeeting.get(r.id) ?? false }));
}

/** Portal users an organiser may add: active staff and administrators not yet members. */
export async function listMemberCandidates(db: Executor, meetingId: number) {
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role, organisation: organisations.name })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(
      and(
        eq(users.status, "active"),
        inArray(users.role, ["staff", "admin"]),
        sql`not exists (select 1 from ${meetingMembers} where ${meetingMembers.meetingId} = ${meetingId} and ${meetingMembers.userId} = ${users.id})`
      )
    )
    .orderBy(asc(users.displayName));
}
