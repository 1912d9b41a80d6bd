// 参加の記録 (issue 7 §2): whether the person came to the place on a session date, recorded by staff
// from what the host or the person tells them. A recent 来なかった with no attendance after it puts
// the placement on the dashboard (「参加が途切れている」), beside falling つながり評価.
import { and, desc, eq, gte, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "../../db/client.server";
import { attendance, people, placements, resources } from "../../db/schema";
import { visiblePeopleWhere, withPerson, type Actor, type AuditMeta } from "~/people/access.server";
import { addDays } from "./schedule";
import { FOLLOW_UP_STATUSES } from "./followups.server";

export const attendanceSchema = z.object({
  on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日付を YYYY-MM-DD で入力してください"),
  attended: z.enum(["yes", "no"], { message: "参加したかどうかを選んでください" }).transform((v) => v === "yes"),
});

/** How far back a missed session keeps the placement on the dashboard. */
export const MISSED_WINDOW_DAYS = 21;

async function personOfPlacement(db: Executor, placementId: number): Promise<number | null> {
  const [row] = await db.select({ personId: placements.personId }).from(placements).where(eq(placements.id, placementId));
  return row?.personId ?? null;
}

/** Records (or corrects) one date's attendance, through the gate. */
export async function recordAttendance(db: Database, input: { actor: Actor; placementId: number; on: string; attended: boolean; audit?: AuditMeta }) {
  const personId = await personOfPlacement(db, input.placementId);
  if (personId === null) return { kind: "not-found" } as const;
  return withPerson(
    db,
    { actor: input.actor, person: { id: personId }, purpose: "参加の記録", action: "attendance.record", record: { type: "placement", id: input.placementId }, mode: "write", audit: input.audit },
    async (tx) => {
      await tx
        .insert(attendance)
        .values({ placementId: input.placementId, on: input.on, attended: input.attended, recordedBy: input.actor.id })
        .onConflictDoUpdate({ target: [attendance.placementId, attendance.on], set: { attended: input.attended, recordedBy: input.actor.id } });
      return { on: input.on, attended: input.attended };
    }
  );
}

/** The latest records of one placement (call inside the gate's transaction). */
export async function attendanceOf(tx: Executor, placementId: number, limit = 12) {
  return tx.select({ on: attendance.on, attended: attendance.attended }).from(attendance).where(eq(attendance.placementId, placementId)).orderBy(desc(attendance.on)).limit(limit);
}

/**
 * Placements (見学/体験/参加中) of visible people whose latest record in the window is 来なかった.
 */
export async function missedAttendancePlacements(db: Executor, actor: Actor, today: string): Promise<{ placementId: number; caseNumber: string; resourceName: string; missedOn: string }[]> {
  const open = await db
    .select({ placementId: placements.id, caseNumber: people.caseNumber, resourceName: resources.name })
    .from(placements)
    .innerJoin(people, eq(people.id, placements.personId))
    .innerJoin(resources, eq(resources.id, placements.resourceId))
    .where(and(inArray(placements.status, [...FOLLOW_UP_STATUSES]), visiblePeopleWhere(actor)));
  if (open.length === 0) return [];
  const records = await db
    .select({ placementId: attendance.placementId, on: attendance.on, attended: attendance.attended })
    .from(attendance)
    .where(and(inArray(attendance.placementId, open.map((o) => o.placementId)), gte(attendance.on, addDays(today, -MISSED_WINDOW_DAYS))))
    .orderBy(desc(attendance.on));
  const latest = new Map<number, { on: string; attended: boolean | null }>();
  for (const r of records) if (!latest.has(r.placementId) && r.on <= today) latest.set(r.placementId, r);
  return open.flatMap((o) => {
    const last = latest.get(o.placementId);
    return last && last.attended === false ? [{ ...o, missedOn: last.on }] : [];
  });
}
