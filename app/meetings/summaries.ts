// What a meeting case page shows of the stored plan and assessment, picked field by field so the
// raw JSON (coordinates, health constraints, anything added later) never reaches the page.
import { interestLabel, wantLabel } from "~/matching/vocabulary";

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Goals, 役割分担 and monitoring dates of a plan version's content. */
export function planSummary(content: unknown) {
  const c = record(content);
  return {
    shortTermGoal: text(c.shortTermGoal),
    longTermGoal: text(c.longTermGoal),
    actions: list(c.actions).map((a) => ({ action: text(record(a).action), agency: text(record(a).agency) })),
    monitoringDates: list(c.monitoringDates).filter((d): d is string => typeof d === "string"),
  };
}

/** Interests and wanted participation as labels, and the goals, of an assessment's needs. */
export function assessmentSummary(data: unknown) {
  const d = record(data);
  return {
    interests: list(d.interests).filter((v): v is string => typeof v === "string").map(interestLabel),
    wants: list(d.wants).filter((v): v is string => typeof v === "string").map(wantLabel),
    shortTermGoal: text(d.shortTermGoal),
    longTermGoal: text(d.longTermGoal),
  };
}
