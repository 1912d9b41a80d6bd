// The registration form of a resource (issue 5): one zod schema for the browser check and the
// server action, its limits as named constants, and the schedule editor's rows turned into RRULEs.
// No `.server`: the form page reads the labels and limits too.
import * as rruleModule from "rrule";
import { z } from "zod";
import {
  CONDITION_CODES,
  COST_KINDS,
  RESOURCE_KIND_CODES,
  RESOURCE_STATUSES,
  TARGET_GROUP_CODES,
  WEEKDAY_CODES,
  type CostKind,
  type ResourceStatus,
} from "../../db/vocabulary";
import type { FieldErrors } from "./account-validation";

// rrule ships a UMD main and an ESM module: accept both shapes (as app/utils/schedule.ts does).
type RRuleModule = typeof rruleModule;
const rrule: RRuleModule =
  "RRule" in rruleModule && rruleModule.RRule ? rruleModule : (rruleModule as unknown as { default: RRuleModule }).default;

export const NAME_MAX_CHARS = 100;
export const KANA_MAX_CHARS = 100;
export const DESCRIPTION_MAX_CHARS = 2000;
export const ACTIVITIES_MAX_CHARS = 500;
export const ACTIVITY_MAX_ITEMS = 20;
export const COST_MAX_YEN = 100_000;
export const COST_NOTE_MAX_CHARS = 200;
export const CAPACITY_MAX = 10_000;
export const CITY_MAX_CHARS = 50;
export const ADDRESS_MAX_CHARS = 200;
export const BUILDING_MAX_CHARS = 100;
export const AREA_MAX_CHARS = 50;
export const OPERATOR_MAX_CHARS = 100;
export const EMAIL_MAX_CHARS = 254;
export const URL_MAX_CHARS = 500;
export const NOTE_MAX_CHARS = 500;
export const SCHEDULE_NOTE_MAX_CHARS = 200;
export const EXCEPTION_DATES_MAX = 50;
export const RETURN_REASON_MAX_CHARS = 1000;
/** Schedule rows on the form (the form works without JavaScript, so the rows are fixed). */
export const SCHEDULE_SLOTS = 3;
/** Japan's extent with its remote islands (南鳥島 153.98°E, 沖ノ鳥島 20.42°N, 択捉島 45.5°N). */
export const JAPAN_BOUNDS = { minLat: 20, maxLat: 46, minLon: 122, maxLon: 154 } as const;

export const REVIEW_STATUSES = ["draft", "submitted", "published", "returned"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  draft: "下書き",
  submitted: "審査待ち",
  published: "公開中",
  returned: "差し戻し",
};

export const PREFECTURES = [
  "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
  "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
  "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
  "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
  "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
] as const;

export const SCHEDULE_KINDS = [
  { code: "none", label: "（使わない）" },
  { code: "weekly", label: "毎週" },
  { code: "biweekly", label: "隔週" },
  { code: "monthly_nth", label: "毎月 第n 曜日" },
  { code: "monthly_day", label: "毎月 n日" },
] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]["code"];
const SCHEDULE_KIND_CODES = SCHEDULE_KINDS.map((k) => k.code) as [ScheduleKind, ...ScheduleKind[]];
export const NTH_WEEKS = ["1", "2", "3", "4", "5"] as const;

/** `<script>`, `<img onerror=…>`, `</p>`: markup has no place in a directory entry. */
const TAG = /<\s*\/?\s*[a-z!?]/i;
function hasControl(value: string, allowNewlines: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (allowNewlines && (code === 0x0a || code === 0x0d || code === 0x09)) continue;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Free text: trimmed, within `max` characters, no markup, no control characters. */
function text(label: string, max: number, options: { multiline?: boolean } = {}) {
  return z
    .string()
    .trim()
    .max(max, `${label}は${max}文字以内で入力してください（現在の文字数を減らしてください）`)
    .refine((v) => !TAG.test(v), `${label}にHTMLタグ（< >で囲んだ記述）は使えません`)
    .refine((v) => !hasControl(v, options.multiline ?? false), `${label}に使えない文字（制御文字）が含まれています`);
}
const optionalText = (label: string, max: number, options?: { multiline?: boolean }) =>
  text(label, max, options).transform((v) => (v === "" ? null : v));

/** Full-width digits and hyphens typed with the IME on are forgiven. */
const nfkc = (v: string) => v.normalize("NFKC").replace(/[‐‑–—−ー－]/g, "-").trim();

export const PostalCodeSchema = z
  .string()
  .transform(nfkc)
  .refine((v) => v === "" || /^\d{3}-?\d{4}$/.test(v), "郵便番号は7桁の数字で入力してください（例: 426-0034）")
  .transform((v) => (v === "" ? null : `${v.replace("-", "").slice(0, 3)}-${v.replace("-", "").slice(3)}`));

export const PhoneSchema = z
  .string()
  .transform(nfkc)
  .refine(
    (v) => v === "" || (/^0[\d-]+$/.test(v) && /^\d+$/.test(v.replace(/-/g, "")) && [10, 11].includes(v.replace(/-/g, "").length) && !/--/.test(v)),
    "電話番号は0から始まる10桁または11桁の番号で入力してください（例: 054-626-1111）",
  )
  .transform((v) => (v === "" ? null : v));

function coordinate(label: string, min: number, max: number) {
  return z
    .string()
    .transform(nfkc)
    .refine((v) => v === "" || /^-?\d{1,3}(\.\d+)?$/.test(v), `${label}は数字で入力してください（例: 34.8670）`)
    .transform((v) => (v === "" ? null : Number(v)))
    .refine((v) => v === null || (v >= min && v <= max), `${label}が日本の範囲外です（${min}〜${max}）`);
}

function optionalInteger(label: string, min: number, max: number) {
  return z
    .string()
    .transform(nfkc)
    .refine((v) => v === "" || /^\d+$/.test(v.replace(/,/g, "")), `${label}は数字で入力してください`)
    .transform((v) => (v === "" ? null : Number(v.replace(/,/g, ""))))
    .refine((v) => v === null || (v >= min && v <= max), `${label}は${min}〜${max.toLocaleString("ja-JP")}の範囲で入力してください`);
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/;
const timeField = z
  .string()
  .transform(nfkc)
  .refine((v) => v === "" || TIME.test(v), "時刻は 10:00 のように入力してください")
  .transform((v) => {
    if (v === "") return null;
    const [hour, minute] = v.split(":");
    return `${hour.padStart(2, "0")}:${minute}`;
  });

const dateField = (label: string) =>
  z
    .string()
    .transform(nfkc)
    .refine((v) => v === "" || isCalendarDate(v), `${label}は 2026-04-01 のように入力してください`)
    .transform((v) => (v === "" ? null : v));

/** Dates a schedule may name: far-off years are typing mistakes (and would make rrule walk for long). */
export const SCHEDULE_YEARS = { min: 2000, max: 2100 } as const;

export function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const year = Number(v.slice(0, 4));
  if (year < SCHEDULE_YEARS.min || year > SCHEDULE_YEARS.max) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export const ScheduleSlotSchema = z
  .object({
    kind: z.enum(SCHEDULE_KIND_CODES, { error: "開催の種類を選んでください" }),
    weekday: z.union([z.enum(WEEKDAY_CODES), z.literal("")], { error: "曜日を選んでください" }),
    nths: z.array(z.enum(NTH_WEEKS, { error: "第何週かを選んでください" })),
    monthDay: optionalInteger("日にち", 1, 31),
    startTime: timeField,
    endTime: timeField,
    startsOn: dateField("開始日"),
    exceptionDates: z
      .string()
      .transform((v) => nfkc(v).split(/[\s,、，]+/).filter(Boolean))
      .refine((dates) => dates.every(isCalendarDate), "休みの日は 2026-05-05 のように、1行に1日ずつ入力してください")
      .refine((dates) => dates.length <= EXCEPTION_DATES_MAX, `休みの日は${EXCEPTION_DATES_MAX}日までです`),
    pausedFrom: dateField("休止の開始日"),
    pausedUntil: dateField("休止の終了日"),
    note: optionalText("補足", SCHEDULE_NOTE_MAX_CHARS),
  })
  .superRefine((slot, ctx) => {
    if (slot.kind === "none") return;
    if (slot.kind !== "monthly_day" && slot.weekday === "") ctx.addIssue({ code: "custom", path: ["weekday"], message: "曜日を選んでください" });
    if (slot.kind === "monthly_nth" && slot.nths.length === 0) ctx.addIssue({ code: "custom", path: ["nths"], message: "第何週かを1つ以上選んでください" });
    if (slot.kind === "monthly_day" && slot.monthDay === null) ctx.addIssue({ code: "custom", path: ["monthDay"], message: "日にち（1〜31）を入力してください" });
    if (slot.startTime && slot.endTime && slot.endTime <= slot.startTime) {
      ctx.addIssue({ code: "custom", path: ["endTime"], message: "終了時刻は開始時刻より後にしてください" });
    }
    if ((slot.pausedFrom === null) !== (slot.pausedUntil === null)) {
      ctx.addIssue({ code: "custom", path: [slot.pausedFrom ? "pausedUntil" : "pausedFrom"], message: "休止期間は開始日と終了日の両方を入力してください" });
    } else if (slot.pausedFrom && slot.pausedUntil && slot.pausedUntil < slot.pausedFrom) {
      ctx.addIssue({ code: "custom", path: ["pausedUntil"], message: "休止の終了日は開始日以降にしてください" });
    }
    const rule = scheduleRule(slot);
    if (rule && !isValidRule(rule)) ctx.addIssue({ code: "custom", path: ["kind"], message: "この開催日の組み合わせでは日程を作れません" });
  });
export type ScheduleSlot = z.infer<typeof ScheduleSlotSchema>;

export const ResourceFormSchema = z
  .object({
    name: text("名称", NAME_MAX_CHARS).refine((v) => v.length > 0, "名称を入力してください"),
    nameKana: optionalText("ふりがな", KANA_MAX_CHARS).refine(
      (v) => v === null || /^[\p{Script=Hiragana}\p{Script=Katakana}ー・\s\u3000]+$/u.test(v),
      "ふりがなはひらがなかカタカナで入力してください",
    ),
    kind: z.enum(RESOURCE_KIND_CODES, { error: "種類を選んでください" }),
    description: optionalText("説明", DESCRIPTION_MAX_CHARS, { multiline: true }),
    activities: text("活動内容", ACTIVITIES_MAX_CHARS, { multiline: true })
      .transform((v) => v.split(/[\n,、，]+/).map((a) => a.trim()).filter(Boolean))
      .refine((list) => list.length <= ACTIVITY_MAX_ITEMS, `活動内容は${ACTIVITY_MAX_ITEMS}項目までです`),
    targetGroups: z.array(z.enum(TARGET_GROUP_CODES, { error: "対象の選択肢が正しくありません" })),
    conditions: z.array(z.enum(CONDITION_CODES, { error: "参加条件の選択肢が正しくありません" })),
    costKind: z.enum(COST_KINDS.map((c) => c.code) as [CostKind, ...CostKind[]], { error: "費用を選んでください" }),
    costYen: optionalInteger("金額", 0, COST_MAX_YEN),
    costNote: optionalText("費用の補足", COST_NOTE_MAX_CHARS),
    capacity: optionalInteger("定員", 1, CAPACITY_MAX),
    postalCode: PostalCodeSchema,
    prefecture: z
      .string()
      .trim()
      .refine((v) => v === "" || (PREFECTURES as readonly string[]).includes(v), "都道府県を選んでください")
      .transform((v) => (v === "" ? null : v)),
    city: optionalText("市区町村", CITY_MAX_CHARS),
    addressLine: optionalText("町名・番地", ADDRESS_MAX_CHARS),
    building: optionalText("建物名", BUILDING_MAX_CHARS),
    latitude: coordinate("緯度", JAPAN_BOUNDS.minLat, JAPAN_BOUNDS.maxLat),
    longitude: coordinate("経度", JAPAN_BOUNDS.minLon, JAPAN_BOUNDS.maxLon),
    area: optionalText("圏域・地区", AREA_MAX_CHARS),
    operator: optionalText("運営者", OPERATOR_MAX_CHARS),
    phone: PhoneSchema,
    email: z
      .string()
      .trim()
      .max(EMAIL_MAX_CHARS, `メールアドレスは${EMAIL_MAX_CHARS}文字以内で入力してください`)
      .refine((v) => v === "" || z.email().safeParse(v).success, "メールアドレスの形式が正しくありません（例: salon@example.jp）")
      .transform((v) => (v === "" ? null : v.toLowerCase())),
    url: z
      .string()
      .trim()
      .max(URL_MAX_CHARS, `URLは${URL_MAX_CHARS}文字以内で入力してください`)
      .refine((v) => v === "" || isWebUrl(v), "URLは https:// から始まるアドレスを入力してください")
      .transform((v) => (v === "" ? null : v)),
    status: z.enum(RESOURCE_STATUSES.map((s) => s.code) as [ResourceStatus, ...ResourceStatus[]], { error: "状態を選んでください" }),
    hoursNote: optionalText("不定期・その他の日時", NOTE_MAX_CHARS, { multiline: true }),
    accessNote: optionalText("アクセス", NOTE_MAX_CHARS, { multiline: true }),
    schedules: z.array(ScheduleSlotSchema).max(SCHEDULE_SLOTS),
  })
  .superRefine((form, ctx) => {
    if (form.costKind === "amount" && form.costYen === null) ctx.addIssue({ code: "custom", path: ["costYen"], message: "有料の場合は金額を入力してください" });
    if ((form.latitude === null) !== (form.longitude === null)) {
      ctx.addIssue({ code: "custom", path: [form.latitude === null ? "latitude" : "longitude"], message: "緯度と経度は両方入力してください" });
    }
  });
export type ResourceFormValues = z.infer<typeof ResourceFormSchema>;

function isWebUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** The RRULE (without DTSTART) of a schedule row, or null for an unused row. */
export function scheduleRule(slot: Pick<ScheduleSlot, "kind" | "weekday" | "nths" | "monthDay">): string | null {
  switch (slot.kind) {
    case "weekly":
      return `FREQ=WEEKLY;BYDAY=${slot.weekday}`;
    case "biweekly":
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${slot.weekday}`;
    case "monthly_nth":
      return `FREQ=MONTHLY;BYDAY=${[...slot.nths].sort().map((n) => `${n}${slot.weekday}`).join(",")}`;
    case "monthly_day":
      return slot.monthDay === null ? null : `FREQ=MONTHLY;BYMONTHDAY=${slot.monthDay}`;
    default:
      return null;
  }
}

/** The rrule package parses it and finds at least one date in the next two years. */
export function isValidRule(rule: string): boolean {
  try {
    const options = rrule.RRule.parseString(rule);
    const start = new Date(Date.UTC(2026, 0, 1));
    const found = new rrule.RRule({ ...options, dtstart: start }).between(start, new Date(Date.UTC(2028, 0, 1)), true, (_, i) => i < 1);
    return found.length > 0;
  } catch {
    return false;
  }
}

/** Sessions of a rule between two dates (inclusive), as YYYY-MM-DD: the dates a 休止 period removes. */
export function ruleDatesBetween(rule: string, startsOn: string, from: string, until: string, limit = 400): string[] {
  const options = rrule.RRule.parseString(rule);
  const dtstart = new Date(`${startsOn}T00:00:00Z`);
  const dates = new rrule.RRule({ ...options, dtstart }).between(new Date(`${from}T00:00:00Z`), new Date(`${until}T00:00:00Z`), true, (_, i) => i < limit);
  return dates.map((d) => d.toISOString().slice(0, 10));
}

/** Every text field of the form, as posted (checkbox groups and schedule rows separately). */
export const RESOURCE_TEXT_FIELDS = [
  "name", "nameKana", "kind", "description", "activities", "costKind", "costYen", "costNote", "capacity",
  "postalCode", "prefecture", "city", "addressLine", "building", "latitude", "longitude", "area", "operator",
  "phone", "email", "url", "status", "hoursNote", "accessNote",
] as const;
export const SCHEDULE_TEXT_FIELDS = ["kind", "weekday", "monthDay", "startTime", "endTime", "startsOn", "exceptionDates", "pausedFrom", "pausedUntil", "note"] as const;

/** Form field name of a schedule row's field: `schedule0.weekday`. */
export const slotField = (index: number, field: string) => `schedule${index}.${field}`;

/** FormData (or URLSearchParams) → the plain object the schema reads. Files and repeats of text fields count as empty. */
export function resourceFormInput(form: { get(name: string): unknown; getAll(name: string): unknown[] }): Record<string, unknown> {
  const str = (name: string) => {
    const values = form.getAll(name);
    return values.length === 1 && typeof values[0] === "string" ? values[0] : "";
  };
  const list = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  const input: Record<string, unknown> = {};
  for (const name of RESOURCE_TEXT_FIELDS) input[name] = str(name);
  input.targetGroups = list("targetGroups");
  input.conditions = list("conditions");
  const schedules: Record<string, unknown>[] = [];
  for (let i = 0; i < SCHEDULE_SLOTS; i++) {
    const slot: Record<string, unknown> = {};
    for (const field of SCHEDULE_TEXT_FIELDS) slot[field] = str(slotField(i, field));
    if (slot.kind === "") slot.kind = "none";
    slot.nths = list(slotField(i, "nths"));
    schedules.push(slot);
  }
  input.schedules = schedules;
  return input;
}

/** Field errors keyed as the form names them (`schedule1.endTime`), in Japanese. */
export function resourceFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const [head, index, field] = issue.path;
    const key = head === "schedules" && typeof index === "number" ? slotField(index, String(field ?? "kind")) : issue.path.length > 0 ? String(head) : "form";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** Empty values of the form for a new entry. */
export function emptyResourceForm(): Record<string, unknown> {
  const values: Record<string, unknown> = Object.fromEntries(RESOURCE_TEXT_FIELDS.map((f) => [f, ""]));
  values.kind = "salon";
  values.costKind = "free";
  values.status = "active";
  values.targetGroups = [];
  values.conditions = [];
  values.schedules = Array.from({ length: SCHEDULE_SLOTS }, () => ({ ...Object.fromEntries(SCHEDULE_TEXT_FIELDS.map((f) => [f, ""])), kind: "none", nths: [] }));
  return values;
}

export const REPORT_MESSAGE_MAX_CHARS = 1000;
export const REPORT_CONTACT_MAX_CHARS = 200;
/** Left empty by people; bots fill every field. Named like a real field so they do. */
export const REPORT_HONEYPOT_FIELD = "website";

/** 「情報の修正を報告」 from a resident: what is wrong, and an optional way to reach them. */
export const CorrectionReportSchema = z.object({
  message: z
    .string({ error: "どこが違っているかを入力してください" })
    .trim()
    .min(1, "どこが違っているかを入力してください")
    .max(REPORT_MESSAGE_MAX_CHARS, `${REPORT_MESSAGE_MAX_CHARS}文字以内で入力してください`)
    .refine((v) => !hasControl(v, true), "使えない文字（制御文字）が含まれています"),
  contact: z
    .string()
    .trim()
    .max(REPORT_CONTACT_MAX_CHARS, `連絡先は${REPORT_CONTACT_MAX_CHARS}文字以内で入力してください`)
    .refine((v) => !hasControl(v, false), "使えない文字（制御文字）が含まれています")
    .transform((v) => (v === "" ? null : v)),
});
