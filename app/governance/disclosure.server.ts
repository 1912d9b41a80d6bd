// 本人開示 (issue 7): everything the portal holds about one person, for a disclosure request under
// the personal information protection rules, as one JSON document. Only administrators, through
// the people gate's disclosure context (any consent state: consent governs sharing with others,
// not the person's own access), with the request as the audited purpose. Encrypted fields are
// decrypted; staff are named by role only in the access history.
import { asc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.server";
import {
  assessments,
  auditLog,
  consentEvents,
  contactAttempts,
  followUps,
  householdMembers,
  households,
  meetingCases,
  meetings,
  people,
  placementEvents,
  placements,
  planEvents,
  plans,
  planVersions,
  resources,
  unmetNeeds,
} from "../../db/schema";
import { withPerson, type Actor, type AuditMeta } from "~/people/access.server";
import { AUDIT_ACTIONS } from "~/utils/audit-actions";
import { decryptField } from "~/utils/field-crypto.server";

const decryptJson = (value: string | null) => {
  const text = decryptField(value);
  return text === null ? null : (JSON.parse(text) as unknown);
};

export async function exportPersonRecords(db: Database, input: { actor: Actor; caseNumber: string; purpose: string; now?: Date; audit?: AuditMeta }) {
  return withPerson(
    db,
    {
      actor: input.actor,
      person: { caseNumber: input.caseNumber },
      purpose: input.purpose,
      action: "person.disclosure-export",
      context: { kind: "disclosure" },
      audit: input.audit,
    },
    async (tx, ref) => {
      const [person] = await tx.select().from(people).where(eq(people.id, ref.id));
      const household = person!.householdId ? (await tx.select().from(households).where(eq(households.id, person!.householdId)))[0] ?? null : null;
      const members = person!.householdId ? await tx.select().from(householdMembers).where(eq(householdMembers.householdId, person!.householdId)) : [];
      const consents = await tx.select().from(consentEvents).where(eq(consentEvents.personId, ref.id)).orderBy(asc(consentEvents.id));
      const assessmentRows = await tx.select().from(assessments).where(eq(assessments.personId, ref.id)).orderBy(asc(assessments.version));
      const placementRows = await tx
        .select({ placement: placements, resourceName: resources.name })
        .from(placements)
        .innerJoin(resources, eq(resources.id, placements.resourceId))
        .where(eq(placements.personId, ref.id))
        .orderBy(asc(placements.id));
      const placementIds = placementRows.map((p) => p.placement.id);
      const events = placementIds.length ? await tx.select().from(placementEvents).where(inArray(placementEvents.placementId, placementIds)).orderBy(asc(placementEvents.id)) : [];
      const follow = await tx.select().from(followUps).where(eq(followUps.personId, ref.id)).orderBy(asc(followUps.dueOn), asc(followUps.id));
      const planRows = await tx.select().from(plans).where(eq(plans.personId, ref.id)).orderBy(asc(plans.id));
      const planIds = planRows.map((p) => p.id);
      const versions = planIds.length ? await tx.select().from(planVersions).where(inArray(planVersions.planId, planIds)).orderBy(asc(planVersions.planId), asc(planVersions.version)) : [];
      const planEventRows = planIds.length ? await tx.select().from(planEvents).where(inArray(planEvents.planId, planIds)).orderBy(asc(planEvents.id)) : [];
      const attempts = await tx.select().from(contactAttempts).where(eq(contactAttempts.personId, ref.id)).orderBy(asc(contactAttempts.on));
      const cases = await tx
        .select({ kind: meetings.kind, heldOn: meetings.heldOn, reason: meetingCases.reason, decision: meetingCases.decision })
        .from(meetingCases)
        .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
        .where(eq(meetingCases.personId, ref.id))
        .orderBy(asc(meetings.heldOn));
      const needs = await tx.select().from(unmetNeeds).where(eq(unmetNeeds.personId, ref.id)).orderBy(asc(unmetNeeds.id));
      const access = await tx
        .select({ at: auditLog.at, action: auditLog.action, actorRole: auditLog.actorRole, purpose: auditLog.purpose, outcome: auditLog.outcome })
        .from(auditLog)
        .where(or(eq(auditLog.recordId, ref.caseNumber)))
        .orderBy(asc(auditLog.seq));
      return {
        caseNumber: ref.caseNumber,
        exportedAt: (input.now ?? new Date()).toISOString(),
        purpose: input.purpose,
        person: {
          ...person!,
          healthNote: decryptField(person!.healthNote),
          disabilityNote: decryptField(person!.disabilityNote),
          diagnosis: decryptField(person!.diagnosis),
        },
        household: household ? { ...household, members: members.map((m) => ({ ...m, note: decryptField(m.note) })) } : null,
        consentEvents: consents.map((c) => ({ ...c, note: decryptField(c.note) })),
        assessments: assessmentRows.map((a) => ({ ...a, freeText: decryptField(a.freeText) })),
        placements: placementRows.map(({ placement, resourceName }) => ({
          ...placement,
          resourceName,
          events: events.filter((e) => e.placementId === placement.id).map((e) => ({ ...e, note: decryptField(e.note) })),
        })),
        followUps: follow.map((f) => ({ ...f, issues: decryptField(f.issues), note: decryptField(f.note) })),
        plans: planRows.map((p) => ({
          ...p,
          evaluationSheet: decryptJson(p.evaluationSheet),
          versions: versions.filter((v) => v.planId === p.id).map((v) => ({ ...v, content: decryptJson(v.content) })),
          events: planEventRows.filter((e) => e.planId === p.id).map((e) => ({ ...e, note: decryptField(e.note) })),
        })),
        contactAttempts: attempts.map((a) => ({ ...a, note: decryptField(a.note) })),
        meetings: cases.map((c) => ({ ...c, decision: decryptField(c.decision) })),
        unmetNeeds: needs.map((n) => ({ ...n, note: decryptField(n.note) })),
        accessHistory: access.map((a) => ({ ...a, actionLabel: AUDIT_ACTIONS[a.action as keyof typeof AUDIT_ACTIONS] ?? a.action })),
      };
    }
  );
}
