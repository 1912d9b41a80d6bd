// The plan pages' forms, read from FormData and validated with the model's schemas
// (plans.server.ts): the plan form (new and revise), the evaluation sheet with 終結, the contact
// attempt before 中断. Errors are keyed the way the fields are named (actions.2.agency …), so each
// shows next to its input; blank 役割分担 rows and monitoring dates are dropped, not refused.
import { z } from "zod";
import { contactAttemptSchema, evaluationSheetSchema, planContentSchema, programmesSchema, type EvaluationSheet, type PlanContent } from "./plans.server";
import { MONITORING_DATE_ROWS, PLAN_ACTION_ROWS, PLAN_ACTION_ROWS_MAX, type PlanFormValues } from "./ui";

/** YYYY-MM-DD that is a real calendar day (zod runs refinements even after the regex failed). */
function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

type FieldErrors = Partial<Record<string, string[]>>;

function one(form: FormData, name: string): string {
  const values = form.getAll(name);
  return values.length === 1 && typeof values[0] === "string" ? values[0] : "";
}

function rowCount(form: FormData, name: string, fallback: number, max: number): number {
  const n = Number(one(form, name));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/** The plan form as typed (strings), to validate or to render again. */
export function planFormValues(form: FormData): PlanFormValues {
  const actionRows = rowCount(form, "actionRows", PLAN_ACTION_ROWS, PLAN_ACTION_ROWS_MAX);
  const monitoringRows = rowCount(form, "monitoringRows", MONITORING_DATE_ROWS, 24);
  return {
    shortTermGoal: one(form, "shortTermGoal"),
    longTermGoal: one(form, "longTermGoal"),
    actions: Array.from({ length: actionRows }, (_, i) => ({ action: one(form, `actions.${i}.action`), agency: one(form, `actions.${i}.agency`) })),
    placementIds: form.getAll("placementIds").filter((v): v is string => typeof v === "string"),
    programmes: form.getAll("programmes").filter((v): v is string => typeof v === "string"),
    monitoringDates: Array.from({ length: monitoringRows }, (_, i) => one(form, `monitoringDates.${i}`)),
    nextReviewOn: one(form, "nextReviewOn"),
  };
}

/** The same values with one more empty 役割分担 row (「行を追加」). */
export function withExtraActionRow(values: PlanFormValues): PlanFormValues {
  if (values.actions.length >= PLAN_ACTION_ROWS_MAX) return values;
  return { ...values, actions: [...values.actions, { action: "", agency: "" }] };
}

const nextReviewSchema = z.preprocess(
  (v) => (v === "" ? null : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "日付を YYYY-MM-DD で入力してください")
    .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isRealDate(v), "存在しない日付です")
    .nullable(),
);

export type ParsedPlanForm = { ok: true; content: PlanContent; programmes: string[]; nextReviewOn: string | null } | { ok: false; errors: FieldErrors };

export function parsePlanForm(values: PlanFormValues): ParsedPlanForm {
  const errors: FieldErrors = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);
  // Keep each row's position so an error lands on the row the person typed in.
  const actionRows = values.actions.map((a, index) => ({ ...a, index })).filter((a) => a.action.trim() !== "" || a.agency.trim() !== "");
  const dateRows = values.monitoringDates.map((d, index) => ({ d: d.trim(), index })).filter((d) => d.d !== "");
  const placementIds: number[] = [];
  for (const raw of values.placementIds) {
    if (/^\d{1,9}$/.test(raw)) placementIds.push(Number(raw));
    else add("placementIds", "つなぎの指定が正しくありません");
  }
  const content = planContentSchema.safeParse({
    shortTermGoal: values.shortTermGoal,
    longTermGoal: values.longTermGoal,
    actions: actionRows.map(({ action, agency }) => ({ action, agency })),
    placementIds: [...new Set(placementIds)],
    monitoringDates: dateRows.map((d) => d.d),
  });
  if (!content.success) {
    for (const issue of content.error.issues) {
      const [top, index, field] = issue.path;
      if (top === "actions" && typeof index === "number" && typeof field === "string") add(`actions.${actionRows[index]!.index}.${field}`, issue.message);
      else if (top === "monitoringDates" && typeof index === "number") add(`monitoringDates.${dateRows[index]!.index}`, issue.message);
      else add(String(top ?? "form"), issue.message);
    }
  }
  const programmes = programmesSchema.safeParse([...new Set(values.programmes)]);
  if (!programmes.success) add("programmes", programmes.error.issues[0]?.message ?? "事業の種類が正しくありません");
  const nextReviewOn = nextReviewSchema.safeParse(values.nextReviewOn.trim());
  if (!nextReviewOn.success) add("nextReviewOn", nextReviewOn.error.issues[0]?.message ?? "日付が正しくありません");
  if (!content.success || !programmes.success || !nextReviewOn.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, content: content.data, programmes: programmes.data, nextReviewOn: nextReviewOn.data ?? null };
}

/** 終結 with the evaluation sheet (評価シート) and the date support ended. */
export function parseClosing(form: FormData): { ok: true; sheet: EvaluationSheet; on: string; note: string } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const sheet = evaluationSheetSchema.safeParse({ goalAttainment: one(form, "goalAttainment"), supporters: one(form, "supporters"), followUpNeed: one(form, "followUpNeed") });
  if (!sheet.success) for (const issue of sheet.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
  const on = nextReviewSchema.safeParse(one(form, "on").trim());
  if (!on.success || on.data === null) (errors.on ??= []).push(on.success ? "終結日を入力してください" : (on.error.issues[0]?.message ?? "日付が正しくありません"));
  const note = one(form, "note").trim();
  if (note.length > 2000) (errors.note ??= []).push("2,000文字以内で入力してください");
  if (!sheet.success || !on.success || !on.data || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, sheet: sheet.data, on: on.data, note };
}

/** A contact attempt (連絡の試み): date, method, reached or not, note. */
export function parseContactAttempt(form: FormData): { ok: true; attempt: z.infer<typeof contactAttemptSchema> } | { ok: false; errors: FieldErrors } {
  const reached = one(form, "reached");
  const errors: FieldErrors = {};
  if (reached !== "yes" && reached !== "no") (errors.reached ??= []).push("連絡が取れたかどうかを選んでください");
  const parsed = contactAttemptSchema.safeParse({ on: one(form, "on"), method: one(form, "method"), reached: reached === "yes", note: one(form, "note") || undefined });
  if (!parsed.success) for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, attempt: parsed.data };
}
