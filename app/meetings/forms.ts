// The meeting pages' forms (browser-safe): one zod schema per form, used by the actions, and the
// agenda reasons the selects list. meetings.server.ts re-exports what it used to define itself.
import { z } from "zod";
import { caseNumberField, isoDateField } from "~/people/forms";

export const AGENDA_REASONS = [
  { code: "evaluation", label: "プランの評価" },
  { code: "replan", label: "再プラン" },
  { code: "termination", label: "終結の判断" },
  { code: "interruption", label: "中断の決定" },
  { code: "discussion", label: "支援内容の検討" },
] as const;
export type AgendaReason = (typeof AGENDA_REASONS)[number]["code"];
export const agendaReasonLabel = (code: string) => AGENDA_REASONS.find((r) => r.code === code)?.label ?? code;
const AGENDA_REASON_CODES = AGENDA_REASONS.map((r) => r.code) as [AgendaReason, ...AgendaReason[]];

export const MEETING_TITLE_MAX_CHARS = 200;
export const MEMBER_NAME_MAX_CHARS = 100;
export const MINUTES_MAX_CHARS = 20_000;

export const meetingSchema = z.object({
  kind: z.enum(["support", "jusouteki"], { message: "会議の種類を選んでください" }),
  heldOn: z.string({ error: "日付を YYYY-MM-DD で入力してください" }).regex(/^\d{4}-\d{2}-\d{2}$/, "日付を YYYY-MM-DD で入力してください").pipe(isoDateField),
  title: z
    .string({ error: "会議名を入力してください" })
    .trim()
    .min(1, "会議名を入力してください")
    .max(MEETING_TITLE_MAX_CHARS, `${MEETING_TITLE_MAX_CHARS}文字以内で入力してください`),
});

/** A member's (or the organiser's) case for the agenda. */
export const AgendaCaseSchema = z.object({
  caseNumber: caseNumberField,
  reason: z.enum(AGENDA_REASON_CODES, { message: "議題にする理由を選んでください" }),
});

export const UserMemberSchema = z.object({
  userId: z.coerce.number({ error: "追加する職員を選んでください" }).int().positive("追加する職員を選んでください"),
});

export const ExternalMemberSchema = z.object({
  externalName: z
    .string({ error: "氏名を入力してください" })
    .trim()
    .min(1, "氏名を入力してください")
    .max(MEMBER_NAME_MAX_CHARS, `${MEMBER_NAME_MAX_CHARS}文字以内で入力してください`),
  externalOrganisation: z
    .string({ error: "所属を入力してください" })
    .trim()
    .min(1, "所属（機関・団体名）を入力してください")
    .max(MEMBER_NAME_MAX_CHARS, `${MEMBER_NAME_MAX_CHARS}文字以内で入力してください`),
});

export const ExternalPledgeSchema = z.object({
  memberId: z.coerce.number({ error: "構成員を選んでください" }).int().positive("構成員を選んでください"),
});

export const MinutesSchema = z.object({
  minutes: z.string({ error: "議事録を入力してください" }).max(MINUTES_MAX_CHARS, `${MINUTES_MAX_CHARS}文字以内で入力してください`),
  decisions: z.string({ error: "決定事項を入力してください" }).max(MINUTES_MAX_CHARS, `${MINUTES_MAX_CHARS}文字以内で入力してください`),
}).refine((v) => v.minutes.trim() !== "" || v.decisions.trim() !== "", { message: "議事録か決定事項のどちらかを入力してください", path: ["minutes"] });
