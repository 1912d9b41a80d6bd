// 「次回の予定」 on the registration form: the schedule editor's rows, as typed, turned into the
// next dates with the code the place pages use (app/utils/schedule.ts). Browser-safe: the form
// recomputes it on every change, and the server renders the same list for the no-JS path.
import {
  ruleDatesBetween,
  scheduleRule,
  ScheduleSlotSchema,
} from "~/utils/resource-form";
import { isoDate, nextOccurrencesOfAll, tokyoNow, type Occurrence, type ScheduleSummary } from "~/utils/schedule";

export const PREVIEW_DATES = 5;

export interface SchedulePreview {
  dates: Occurrence[];
  /** Rows that cannot give dates yet, with the first reason (「開催日時 1: 曜日を選んでください」). */
  problems: string[];
  /** Whether any row is in use at all. */
  used: boolean;
}

/** The rows as the form holds them (strings, `nths` as a list) → the next `count` dates from `from`. */
export function previewSchedule(rows: unknown, from: Date, count = PREVIEW_DATES): SchedulePreview {
  const list = Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  const today = isoDate(tokyoNow(from).date);
  const summaries: ScheduleSummary[] = [];
  const problems: string[] = [];
  let used = false;
  list.forEach((row, index) => {
    const raw = { ...row, kind: row?.kind || "none", nths: Array.isArray(row?.nths) ? row.nths : [] };
    const stringsOnly = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, k === "nths" ? v : typeof v === "string" ? v : ""]));
    if (stringsOnly.kind === "none") return;
    used = true;
    const parsed = ScheduleSlotSchema.safeParse(stringsOnly);
    if (!parsed.success) {
      problems.push(`開催日時 ${index + 1}: ${parsed.error.issues[0]?.message ?? "入力を確認してください"}`);
      return;
    }
    const slot = parsed.data;
    const rule = scheduleRule(slot);
    if (!rule) return;
    const startsOn = slot.startsOn ?? today;
    // A 休止 period removes its sessions, as the stored schedule does (resource-editor.server.ts).
    const exceptions = new Set(slot.exceptionDates);
    if (slot.pausedFrom && slot.pausedUntil) for (const d of ruleDatesBetween(rule, startsOn, slot.pausedFrom, slot.pausedUntil)) exceptions.add(d);
    summaries.push({ rrule: rule, startsOn, startTime: slot.startTime, endTime: slot.endTime, exceptionDates: [...exceptions] });
  });
  return { dates: summaries.length > 0 ? nextOccurrencesOfAll(summaries, from, count) : [], problems, used };
}
