// One zod schema per staff-side form, shared by the pages (input limits) and the actions. Messages
// are Japanese; the action returns the field errors with status 400 and each form shows them next
// to its field. Browser-safe (no `.server`).
import { z } from "zod";
import { TARGET_GROUPS, WEEKDAY_CODES, type Weekday } from "../../db/vocabulary";
import { CERTIFICATES, INTERESTS, LADDER_STEPS, TRANSPORTS, WANTS } from "~/matching/vocabulary";
import { hasControlCharacter } from "~/utils/account-validation";
import { CONSENT_STATE_CODES } from "./consent";
import { PLACEMENT_STATUS_CODES } from "./placement";

export const NAME_MAX_CHARS = 100;
export const TEXT_MAX_CHARS = 200;
export const NOTE_MAX_CHARS = 2000;
export const HOUSEHOLD_MEMBER_ROWS = 3;
export const CASE_NUMBER_PATTERN = /^\d{4}-\d{4,}$/;

/** Control characters other than line breaks and tabs (which textareas may hold). */
function hasStrayControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

function optionalText(max: number, what: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(max, `${what}は${max}文字以内で入力してください`)
      .refine((v) => !hasStrayControl(v), `${what}に使えない文字が含まれています`)
      .optional(),
  );
}

function requiredText(max: number, what: string) {
  return z
    .string({ error: `${what}を入力してください` })
    .trim()
    .min(1, `${what}を入力してください`)
    .max(max, `${what}は${max}文字以内で入力してください`)
    .refine((v) => !hasControlCharacter(v), `${what}に使えない文字が含まれています`);
}

function optionalNumber(what: string, min: number, max: number, integer = false) {
  return z.preprocess(
    (v) => {
      const blank = blankToUndefined(v);
      if (typeof blank !== "string") return blank;
      const text = blank.normalize("NFKC").replace(/,/g, "").trim();
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    },
    z
      .number({ error: `${what}は数字で入力してください` })
      .min(min, `${what}は${min}以上で入力してください`)
      .max(max, `${what}は${max}以下で入力してください`)
      .refine((n) => !integer || Number.isInteger(n), `${what}は整数で入力してください`)
      .optional(),
  );
}

const isoDate = z
  .string({ error: "日付を入力してください" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日付は YYYY-MM-DD の形で入力してください")
  .refine((v) => {
    // Date.parse rolls 2027-02-30 over to March: compare the round trip instead.
    const date = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === v;
  }, "存在しない日付です");

const caseNumberField = z
  .string({ error: "ケース番号を入力してください" })
  .trim()
  .transform((v) => v.normalize("NFKC"))
  .pipe(z.string().regex(CASE_NUMBER_PATTERN, "ケース番号は 2026-0001 の形で入力してください"));

const currentYear = new Date().getFullYear();

// ---------------------------------------------------------------------------------------------
// Consent (intake and 「同意の記録」)

export const ConsentSchema = z.object({
  consentState: z.enum(CONSENT_STATE_CODES, { error: "同意の状況（同意・不同意・不明）を選んでください" }),
  consentDate: isoDate,
  consentScope: optionalText(TEXT_MAX_CHARS, "同意の範囲"),
  consentNote: optionalText(NOTE_MAX_CHARS, "同意の補足"),
});
export type ConsentForm = z.infer<typeof ConsentSchema>;

// ---------------------------------------------------------------------------------------------
// Intake (本人・世帯・同意)

const memberSchema = z.object({
  name: optionalText(NAME_MAX_CHARS, "世帯員の氏名"),
  relation: optionalText(50, "続柄"),
  birthYear: optionalNumber("世帯員の生まれ年", 1900, currentYear, true),
});

export const PersonFieldsSchema = z.object({
  name: requiredText(NAME_MAX_CHARS, "氏名"),
  nameKana: optionalText(NAME_MAX_CHARS, "ふりがな"),
  birthYear: optionalNumber("生まれ年", 1900, currentYear, true),
  address: optionalText(TEXT_MAX_CHARS, "住所"),
  area: optionalText(100, "圏域・地区"),
  latitude: optionalNumber("緯度", 20, 46),
  longitude: optionalNumber("経度", 122, 154),
  phone: optionalText(30, "電話番号"),
  email: z.preprocess(blankToUndefined, z.email("メールアドレスの形式が正しくありません").max(254).optional()),
  referredBy: optionalText(TEXT_MAX_CHARS, "紹介元"),
});

export const IntakeSchema = PersonFieldsSchema.extend({
  householdMode: z.enum(["none", "new", "existing"], { error: "世帯の登録方法を選んでください" }),
  householdCaseNumber: z.preprocess(blankToUndefined, caseNumberField.optional()),
  householdNote: optionalText(NOTE_MAX_CHARS, "世帯の補足"),
  members: z.array(memberSchema).max(HOUSEHOLD_MEMBER_ROWS),
  assigneeId: optionalNumber("担当者", 1, Number.MAX_SAFE_INTEGER, true),
})
  .extend(ConsentSchema.shape)
  .superRefine((v, ctx) => {
    if ((v.latitude === undefined) !== (v.longitude === undefined)) {
      ctx.addIssue({ code: "custom", path: [v.latitude === undefined ? "latitude" : "longitude"], message: "緯度と経度は両方入力してください" });
    }
    if (v.householdMode === "existing" && !v.householdCaseNumber) {
      ctx.addIssue({ code: "custom", path: ["householdCaseNumber"], message: "同じ世帯の方のケース番号を入力してください" });
    }
    v.members.forEach((m, i) => {
      if (!m.name && (m.relation || m.birthYear)) ctx.addIssue({ code: "custom", path: ["members", i, "name"], message: "世帯員の氏名を入力してください" });
    });
  });
export type IntakeForm = z.infer<typeof IntakeSchema>;

const INTAKE_FIELDS = [
  "name",
  "nameKana",
  "birthYear",
  "address",
  "area",
  "latitude",
  "longitude",
  "phone",
  "email",
  "referredBy",
  "householdMode",
  "householdCaseNumber",
  "householdNote",
  "assigneeId",
  "consentState",
  "consentDate",
  "consentScope",
  "consentNote",
] as const;

/** Only single string values; a repeated or file field counts as missing. */
function stringField(form: FormData, name: string): string | undefined {
  const values = form.getAll(name);
  return values.length === 1 && typeof values[0] === "string" ? values[0] : undefined;
}

export function intakeInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of INTAKE_FIELDS) input[name] = stringField(form, name);
  input.members = Array.from({ length: HOUSEHOLD_MEMBER_ROWS }, (_, i) => ({
    name: stringField(form, `member${i}.name`),
    relation: stringField(form, `member${i}.relation`),
    birthYear: stringField(form, `member${i}.birthYear`),
  }));
  return input;
}

export function personFieldsInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(PersonFieldsSchema.shape)) input[name] = stringField(form, name);
  return input;
}

export function consentInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(ConsentSchema.shape)) input[name] = stringField(form, name);
  return input;
}

/** Field errors keyed the way the forms name their inputs (members.1.name → member1.name). */
export function formErrorsOf(error: z.ZodError): Partial<Record<string, string[]>> {
  const errors: Partial<Record<string, string[]>> = {};
  for (const issue of error.issues) {
    let key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    if (key === "members" && issue.path.length >= 3) key = `member${String(issue.path[1])}.${String(issue.path[2])}`;
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Sensitive fields

export const SensitiveSchema = z.object({
  healthNote: optionalText(NOTE_MAX_CHARS, "健康状態"),
  disabilityNote: optionalText(NOTE_MAX_CHARS, "障がいの状況"),
  certificate: z.preprocess(blankToUndefined, z.enum(CERTIFICATES.map((c) => c.code) as [string, ...string[]], { error: "手帳の種類を選んでください" }).optional()),
  diagnosis: optionalText(TEXT_MAX_CHARS, "診断名"),
});
export type SensitiveForm = z.infer<typeof SensitiveSchema>;

export function sensitiveInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(SensitiveSchema.shape)) input[name] = stringField(form, name);
  return input;
}

// ---------------------------------------------------------------------------------------------
// Assessment: the form's inputs become the needs object of app/matching/needs.ts. Number fields
// are checked here (a typed 「三」 must say so next to the field); the needs schema checks the rest.

export const ASSESSMENT_CONDITIONS = [
  { code: "smallGroup", label: "少人数の場がよい" },
  { code: "quiet", label: "静かな場がよい（騒音が苦手）" },
  { code: "avoidCrowds", label: "人混みが苦手" },
  { code: "needsAccompaniment", label: "同行支援が必要" },
  { code: "noCertificate", label: "障害者手帳がない（手帳が必要な場は除く）" },
  { code: "firstTimeFriendly", label: "初めてでも参加しやすい場（見学・体験ができる）" },
  { code: "shortTime", label: "短時間から参加したい" },
  { code: "childcareNeeded", label: "子どもの預け先・子連れ参加が必要" },
  { code: "barrierFree", label: "バリアフリーが必要" },
] as const;

export const AssessmentMetaSchema = z.object({
  assessedOn: isoDate,
  freeText: optionalText(NOTE_MAX_CHARS * 2, "自由記述"),
  maxDistanceKm: optionalNumber("距離の上限", 0.1, 200),
  maxMinutes: optionalNumber("移動時間の上限", 1, 600, true),
  outingsPerWeek: optionalNumber("外出できる回数", 0, 7),
  maxCostYen: optionalNumber("費用の上限", 0, 1_000_000, true),
  startStep: optionalNumber("始める段階", 1, 5, true),
});

export interface AssessmentFormValues {
  assessedOn: string;
  freeText: string;
  interests: string[];
  wants: string[];
  targetGroups: string[];
  transport: string[];
  conditions: string[];
  certificate: string;
  maxDistanceKm: string;
  maxMinutes: string;
  outingsPerWeek: string;
  maxCostYen: string;
  startStep: string;
  shortTermGoal: string;
  longTermGoal: string;
  /** Per weekday: from / to ("" when the person cannot go out that day). */
  availability: Record<Weekday, { from: string; to: string }>;
}

export function emptyAssessmentForm(today: string): AssessmentFormValues {
  return {
    assessedOn: today,
    freeText: "",
    interests: [],
    wants: [],
    targetGroups: [],
    transport: [],
    conditions: [],
    certificate: "",
    maxDistanceKm: "",
    maxMinutes: "",
    outingsPerWeek: "",
    maxCostYen: "",
    startStep: "",
    shortTermGoal: "",
    longTermGoal: "",
    availability: Object.fromEntries(WEEKDAY_CODES.map((w) => [w, { from: "", to: "" }])) as AssessmentFormValues["availability"],
  };
}

function listField(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

export function assessmentFormValues(form: FormData, today: string): AssessmentFormValues {
  const values = emptyAssessmentForm(today);
  values.assessedOn = stringField(form, "assessedOn") ?? "";
  for (const key of ["freeText", "certificate", "maxDistanceKm", "maxMinutes", "outingsPerWeek", "maxCostYen", "startStep", "shortTermGoal", "longTermGoal"] as const) {
    values[key] = stringField(form, key) ?? "";
  }
  for (const key of ["interests", "wants", "targetGroups", "transport", "conditions"] as const) values[key] = listField(form, key);
  for (const w of WEEKDAY_CODES) values.availability[w] = { from: stringField(form, `avail.${w}.from`) ?? "", to: stringField(form, `avail.${w}.to`) ?? "" };
  return values;
}

/** A stored needs object back into the form (prefill from the latest version). */
export function assessmentFormFromNeeds(needs: Record<string, unknown>, meta: { assessedOn: string; freeText: string | null }): AssessmentFormValues {
  const values = emptyAssessmentForm(meta.assessedOn);
  values.freeText = meta.freeText ?? "";
  const list = (k: string) => (Array.isArray(needs[k]) ? (needs[k] as unknown[]).filter((v): v is string => typeof v === "string") : []);
  const text = (k: string) => (needs[k] === undefined || needs[k] === null ? "" : String(needs[k] as string | number));
  values.interests = list("interests");
  values.wants = list("wants");
  values.targetGroups = list("targetGroups");
  values.transport = list("transport");
  const conditions = (needs.conditions ?? {}) as Record<string, unknown>;
  values.conditions = Object.keys(conditions).filter((k) => conditions[k] === true);
  values.certificate = text("certificate");
  values.maxDistanceKm = text("maxDistanceKm");
  values.maxMinutes = text("maxMinutes");
  values.outingsPerWeek = text("outingsPerWeek");
  values.maxCostYen = text("maxCostYen");
  values.startStep = text("startStep");
  values.shortTermGoal = text("shortTermGoal");
  values.longTermGoal = text("longTermGoal");
  const windows = Array.isArray(needs.availability) ? (needs.availability as { weekday: Weekday; from: string; to: string }[]) : [];
  for (const w of windows) if (values.availability[w.weekday]) values.availability[w.weekday] = { from: w.from, to: w.to };
  return values;
}

/** Where a needs-schema error is shown: its top field, or the weekday row of an availability window. */
export function needsErrorKey(path: readonly PropertyKey[], windows: { weekday: string }[]): string {
  const top = String(path[0] ?? "form");
  if (top === "availability" && typeof path[1] === "number") return `avail.${windows[path[1]]?.weekday ?? ""}`;
  if (top === "conditions") return "conditions";
  return top;
}

/** The needs input (before the needs schema) built from the form values and the meta numbers. */
export function needsInputOf(values: AssessmentFormValues, meta: z.infer<typeof AssessmentMetaSchema>) {
  const windows: { weekday: Weekday; from: string; to: string }[] = [];
  for (const w of WEEKDAY_CODES) {
    const { from, to } = values.availability[w];
    if (from || to) windows.push({ weekday: w, from: from || "00:00", to: to || "24:00" });
  }
  const conditions: Record<string, boolean> = {};
  for (const c of values.conditions) conditions[c] = true;
  const input: Record<string, unknown> = {
    interests: values.interests,
    wants: values.wants,
    targetGroups: values.targetGroups,
    availability: windows,
    conditions,
  };
  if (values.transport.length > 0) input.transport = values.transport;
  if (values.certificate) input.certificate = values.certificate;
  if (meta.maxDistanceKm !== undefined) input.maxDistanceKm = meta.maxDistanceKm;
  if (meta.maxMinutes !== undefined) input.maxMinutes = meta.maxMinutes;
  if (meta.outingsPerWeek !== undefined) input.outingsPerWeek = meta.outingsPerWeek;
  if (meta.maxCostYen !== undefined) input.maxCostYen = meta.maxCostYen;
  if (meta.startStep !== undefined) input.startStep = meta.startStep;
  if (values.shortTermGoal.trim()) input.shortTermGoal = values.shortTermGoal.trim();
  if (values.longTermGoal.trim()) input.longTermGoal = values.longTermGoal.trim();
  return { input, windows };
}

export const ASSESSMENT_CHOICES = { INTERESTS, WANTS, TARGET_GROUPS, TRANSPORTS, CERTIFICATES, LADDER_STEPS };

// ---------------------------------------------------------------------------------------------
// Placements

export const PlacementCreateSchema = z.object({
  resourceId: z.coerce.number({ error: "場所を選んでください" }).int().positive("場所を選んでください"),
  step: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(5).optional()),
  reasons: z.array(z.string().trim().max(300)).max(20).default([]),
  note: optionalText(NOTE_MAX_CHARS, "メモ"),
});

export const PlacementTransitionSchema = z.object({
  toStatus: z.enum(PLACEMENT_STATUS_CODES, { error: "次の状況を選んでください" }),
  on: isoDate,
  note: optionalText(NOTE_MAX_CHARS, "メモ"),
});

export const PlacementDetailsSchema = z
  .object({
    hostContact: optionalText(TEXT_MAX_CHARS, "受け入れ先担当者"),
    costSupport: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
    costSupportYen: optionalNumber("移行促進費の金額", 0, 10_000_000, true),
    costSupportNote: optionalText(NOTE_MAX_CHARS, "移行促進費の内容"),
  })
  .superRefine((v, ctx) => {
    if (!v.costSupport && (v.costSupportYen !== undefined || v.costSupportNote)) {
      ctx.addIssue({ code: "custom", path: ["costSupport"], message: "金額や内容を記録するときは「移行促進費あり」にチェックしてください" });
    }
  });

export const UnmetNeedSchema = z.object({
  kinds: z.array(z.string().max(50)).max(30).default([]),
  note: optionalText(NOTE_MAX_CHARS, "メモ"),
});

export { caseNumberField, isoDate as isoDateField };
