// The staff dashboard (/staff, issue 7): what needs doing now, for the people the viewer may see
// (every query joins through the people gate's visiblePeopleWhere, so a hidden person is neither
// listed nor counted). Case numbers and venue names only; no names on the dashboard.
import { and, asc, eq, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.server";
import { followUps, people, placements, plans, resources } from "../../db/schema";
import { auditPersonList, latestConsentSql, visiblePeopleWhere, type Actor, type AuditMeta } from "~/people/access.server";
import { countUnreadNotifications } from "~/people/people.server";
import { missedAttendancePlacements } from "./attendance.server";
import { dueContacts, fallingPlacements } from "./followups.server";
import { getSettledRule } from "~/governance/settings.server";
import { addDays, shouldProposeSettled, type Evaluation } from "./schedule";

export interface PlanDue {
  planId: number;
  caseNumber: string;
  status: string;
  proposedStatus: string | null;
  nextReviewOn: string | null;
}

export async function staffDashboard(db: Database, input: { actor: Actor; today: string; audit?: AuditMeta }) {
  const { actor, today } = input;
  return db.transaction(async (tx) => {
    const due = await dueContacts(tx, actor, today);
    const falling = await fallingPlacements(tx, actor);
    const plansDue: PlanDue[] = await tx
      .select({ planId: plans.id, caseNumber: people.caseNumber, status: plans.status, proposedStatus: plans.proposedStatus, nextReviewOn: plans.nextReviewOn })
      .from(plans)
      .innerJoin(people, eq(people.id, plans.personId))
      .where(
        and(
          visiblePeopleWhere(actor),
          sql`${latestConsentSql()} = 'agree'`,
          or(
            inArray(plans.status, ["draft", "replanning"]),
            isNotNull(plans.proposedStatus),
            and(inArray(plans.status, ["evaluated", "decided", "in_progress"]), lte(plans.nextReviewOn, addDays(today, 14)))
          )
        )
      )
      .orderBy(asc(plans.nextReviewOn), asc(people.caseNumber));

    // 定着の提案: placements 参加中 whose つながり評価 stayed good for the set period.
    const active = await tx
      .select({ placementId: placements.id, caseNumber: people.caseNumber, resourceName: resources.name })
      .from(placements)
      .innerJoin(people, eq(people.id, placements.personId))
      .innerJoin(resources, eq(resources.id, placements.resourceId))
      .where(and(eq(placements.status, "active"), visiblePeopleWhere(actor)));
    const evaluations = active.length
      ? await tx
          .select({ placementId: followUps.placementId, doneOn: followUps.doneOn, evaluation: followUps.evaluation })
          .from(followUps)
          .where(and(eq(followUps.status, "done"), inArray(followUps.placementId, active.map((a) => a.placementId))))
      : [];
    const byPlacement = new Map<number, Evaluation[]>();
    for (const e of evaluations) {
      if (e.placementId === null || !e.doneOn) continue;
      byPlacement.set(e.placementId, [...(byPlacement.get(e.placementId) ?? []), { on: e.doneOn, ...(e.evaluation as Partial<Record<string, number>>) }]);
    }
    const rule = await getSettledRule(tx);
    const settledProposals = active.filter((a) => shouldProposeSettled(byPlacement.get(a.placementId) ?? [], today, rule));

    const missed = await missedAttendancePlacements(tx, actor, today);
    const unread = await countUnreadNotifications(tx, actor.id);
    const cases = new Set([...due.map((d) => d.caseNumber), ...falling.map((f) => f.caseNumber), ...plansDue.map((p) => p.caseNumber), ...settledProposals.map((s) => s.caseNumber), ...missed.map((m) => m.caseNumber)]);
    await auditPersonList(tx, actor, "ダッシュボード（定着支援・プラン）", cases.size, input.audit);
    return {
      overdue: due.filter((d) => d.bucket === "overdue"),
      dueToday: due.filter((d) => d.bucket === "today"),
      thisWeek: due.filter((d) => d.bucket === "this_week"),
      falling,
      missed,
      plansDue,
      settledProposals,
      settledRule: rule,
      unread,
    };
  });
}
