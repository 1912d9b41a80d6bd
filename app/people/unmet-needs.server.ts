// 不足している社会資源: recording an unmet need (through the person gate), the aggregate by area ×
// kind / wanted participation that /staff/unmet-needs and issue 7's 重層的支援会議 show (no names,
// no case numbers, no free text), and the publish hook: when a resource becomes public, each
// waiting need is run through the engine against that one place, and a fit notifies the staff.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { notifications, people, resources, unmetNeeds } from "../../db/schema";
import { kindLabel } from "../../db/vocabulary";
import { encryptField } from "~/utils/field-crypto.server";
import { loadCandidates } from "~/matching/candidates.server";
import { matchNeeds } from "~/matching/engine";
import { parseNeeds, type Needs } from "~/matching/needs";
import { wantLabel } from "~/matching/vocabulary";
import { assignedStaffOf, PersonWriteRefused, withPerson, type Actor, type AuditMeta, type PersonAccessResult } from "./access.server";
import { latestAssessment } from "./casework.server";
import { todayInTokyo } from "./people.server";

export const UNMET_NEED_NOTIFICATION = "unmet-need-match";

/**
 * Records that nothing suitable was found for the person's latest assessment. The structured
 * attributes are copied out of the needs so the aggregate never needs the needs themselves.
 */
export async function recordUnmetNeed(
  db: Database,
  input: { actor: Actor; caseNumber: string; kinds?: string[]; note?: string | null; now?: Date; audit?: AuditMeta },
): Promise<PersonAccessResult<{ id: number }>> {
  const now = input.now ?? new Date();
  return withPerson(
    db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "不足している社会資源の記録", action: "unmet-need.create", mode: "write", audit: input.audit },
    async (tx, ref) => {
      const assessment = await latestAssessment(tx, ref.id);
      if (!assessment) throw new PersonWriteRefused("先にアセスメントを記録してください。", "Record an assessment first.");
      const parsed = parseNeeds(assessment.data);
      if (!parsed.ok) throw new PersonWriteRefused("アセスメントの内容を読み取れません。アセスメントを記録し直してください。", "The assessment could not be read.");
      const needs = parsed.needs;
      const [person] = await tx.select({ area: people.area }).from(people).where(eq(people.id, ref.id));
      const [row] = await tx
        .insert(unmetNeeds)
        .values({
          personId: ref.id,
          assessmentId: assessment.id,
          kinds: input.kinds ?? [],
          wants: needs.wants,
          interests: needs.interests,
          targetGroups: needs.targetGroups,
          weekdays: [...new Set(needs.availability.map((w) => w.weekday))],
          area: person.area ?? needs.area ?? null,
          needs,
          note: encryptField(input.note ?? null),
          status: "waiting",
          createdBy: input.actor.id,
          createdAt: now,
        })
        .returning({ id: unmetNeeds.id });
      return { id: row.id };
    },
  );
}

export interface UnmetNeedAggregateRow {
  area: string;
  dimension: "want" | "kind";
  code: string;
  label: string;
  /** Still waiting for a place. */
  waiting: number;
  /** Every need recorded (waiting, matched, closed). */
  total: number;
}

export const NO_AREA = "（地区の記録なし）";
const NOT_SPECIFIED = "unspecified";

/**
 * Counts by area × wanted participation and area × kind of place. Reads only the structured
 * columns (never person_id, needs or note), so nothing in the result identifies anyone.
 */
export async function aggregateUnmetNeeds(db: Executor): Promise<{ rows: UnmetNeedAggregateRow[]; waiting: number; total: number }> {
  const needs = await db.select({ area: unmetNeeds.area, wants: unmetNeeds.wants, kinds: unmetNeeds.kinds, status: unmetNeeds.status }).from(unmetNeeds);
  const counts = new Map<string, UnmetNeedAggregateRow>();
  const add = (area: string, dimension: "want" | "kind", code: string, waiting: boolean) => {
    const key = `${area}\u0000${dimension}\u0000${code}`;
    let row = counts.get(key);
    if (!row) {
      const label = code === NOT_SPECIFIED ? "（指定なし）" : dimension === "want" ? wantLabel(code) : kindLabel(code);
      row = { area, dimension, code, label, waiting: 0, total: 0 };
      counts.set(key, row);
    }
    row.total += 1;
    if (waiting) row.waiting += 1;
  };
  let waiting = 0;
  for (const need of needs) {
    const area = need.area?.trim() || NO_AREA;
    const isWaiting = need.status === "waiting";
    if (isWaiting) waiting += 1;
    for (const want of need.wants.length ? need.wants : [NOT_SPECIFIED]) add(area, "want", want, isWaiting);
    for (const kind of need.kinds.length ? need.kinds : [NOT_SPECIFIED]) add(area, "kind", kind, isWaiting);
  }
  const rows = [...counts.values()].sort(
    (a, b) => a.area.localeCompare(b.area, "ja") || a.dimension.localeCompare(b.dimension) || b.total - a.total || a.label.localeCompare(b.label, "ja"),
  );
  return { rows, waiting, total: needs.length };
}

/**
 * The publish hook (called by resource-editor.server.ts inside the publishing transaction): runs
 * the engine with this one place against every waiting unmet need; each fit marks the need
 * matched and notifies the person's assigned staff (case number and venue name only).
 * Returns the number of needs matched.
 */
export async function notifyUnmetNeedsForResource(tx: Executor, input: { resourceId: number; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  const waiting = await tx
    .select({ id: unmetNeeds.id, personId: unmetNeeds.personId, needs: unmetNeeds.needs })
    .from(unmetNeeds)
    .where(eq(unmetNeeds.status, "waiting"))
    .orderBy(desc(unmetNeeds.id))
    // Wait (no SKIP LOCKED): a need locked by another publish must still be checked against this place.
    .for("update");
  if (waiting.length === 0) return 0;
  const [candidate] = await loadCandidates(tx as Database, [input.resourceId], { publishedOnly: true });
  if (!candidate) return 0;
  const today = todayInTokyo(now);
  const matched: { id: number; personId: number | null }[] = [];
  for (const need of waiting) {
    const parsed = parseNeeds(need.needs);
    if (!parsed.ok) continue;
    const result = matchNeeds(parsed.needs as Needs, [candidate], today);
    if (!result.unmet) matched.push({ id: need.id, personId: need.personId });
  }
  if (matched.length === 0) return 0;
  await tx
    .update(unmetNeeds)
    .set({ status: "matched", matchedResourceId: input.resourceId })
    .where(and(inArray(unmetNeeds.id, matched.map((m) => m.id)), eq(unmetNeeds.status, "waiting")));
  const [resource] = await tx.select({ name: resources.name }).from(resources).where(eq(resources.id, input.resourceId));
  const personIds = [...new Set(matched.map((m) => m.personId).filter((id): id is number => id !== null))];
  if (personIds.length === 0) return matched.length;
  const cases = await tx.select({ id: people.id, caseNumber: people.caseNumber }).from(people).where(inArray(people.id, personIds));
  const rows: (typeof notifications.$inferInsert)[] = [];
  for (const person of cases) {
    for (const userId of await assignedStaffOf(tx, person.id)) {
      rows.push({
        userId,
        kind: UNMET_NEED_NOTIFICATION,
        message: `ケース ${person.caseNumber}: 新しく公開された「${resource?.name ?? ""}」が、記録していた不足している社会資源（合う場所がなかったニーズ）に合う可能性があります。`,
        link: `/staff/people/${person.caseNumber}/suggestions?why=${input.resourceId}`,
        createdAt: now,
      });
    }
  }
  if (rows.length > 0) await tx.insert(notifications).values(rows);
  return matched.length;
}
