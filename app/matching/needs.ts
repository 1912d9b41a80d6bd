// The needs given to the matching engine: what an assessment (アセスメント) records in structured
// form, in English camelCase. Used by the assessment form, by scripts/match.ts (--needs FILE.json)
// and stored in assessments.data. Values of targetGroups / interests / wants / transport accept the
// codes or the Japanese labels (「障がいのある人」, 「手芸・創作」, 「居場所」); the parsed result holds codes.
// Unknown fields are errors (a misspelt constraint must not be silently ignored). Browser-safe.
import { z } from "zod";
import { TARGET_GROUPS, WEEKDAY_CODES, type TargetGroup } from "../../db/vocabulary";
import {
  CERTIFICATES,
  INTERESTS,
  TRANSPORTS,
  WANTS,
  type Certificate,
  type Interest,
  type LadderStep,
  type Transport,
  type Want,
} from "./vocabulary";

/** A schema for one vocabulary value given as its code or its label; parses to the code. */
function codeOrLabel<T extends string>(list: readonly { code: T; label: string }[], what: string) {
  const byText = new Map<string, T>();
  for (const item of list) {
    byText.set(item.code, item.code);
    byText.set(item.label, item.code);
  }
  const known = list.map((item) => item.label).join("、");
  return z.string().transform((value, ctx) => {
    const code = byText.get(value.trim().normalize("NFKC")) ?? byText.get(value.trim());
    if (!code) {
      ctx.addIssue({ code: "custom", message: `${what}「${value}」は使えません。使える値: ${known} (unknown ${what})` });
      return z.NEVER;
    }
    return code;
  });
}

const time = z
  .string()
  .regex(/^([01]?\d|2[0-4]):[0-5]\d$/, "時刻は HH:MM で入力してください (time must be HH:MM)")
  .transform((t) => t.padStart(5, "0"));

/** A window in which the person can go out, e.g. {weekday: "TU", from: "09:00", to: "12:00"}. */
export const availabilitySchema = z
  .strictObject({
    weekday: z.enum(WEEKDAY_CODES, { message: "曜日は MO〜SU で指定してください (weekday must be MO..SU)" }),
    from: time,
    to: time,
  })
  .refine((w) => w.from < w.to, { message: "終了時刻は開始時刻より後にしてください (to must be after from)", path: ["to"] });
export type Availability = z.infer<typeof availabilitySchema>;

export const needsConditionsSchema = z.strictObject({
  /** 少人数の場がよい */
  smallGroup: z.boolean().optional(),
  /** 静かな場がよい（騒音が苦手） */
  quiet: z.boolean().optional(),
  /** 人混みが苦手 */
  avoidCrowds: z.boolean().optional(),
  /** 同行支援が必要: places that accept a companion (同行可) */
  needsAccompaniment: z.boolean().optional(),
  /** 障害者手帳がない: places requiring one are excluded */
  noCertificate: z.boolean().optional(),
  /** 初めてでも参加しやすい場（見学可・体験可）がよい */
  firstTimeFriendly: z.boolean().optional(),
  /** 短時間から */
  shortTime: z.boolean().optional(),
  /** 子どもの預け先・子連れ可が必要 */
  childcareNeeded: z.boolean().optional(),
  /** 車いす等: バリアフリーが必要 */
  barrierFree: z.boolean().optional(),
});
export type NeedsConditions = z.infer<typeof needsConditionsSchema>;

const lat = z.number().min(20).max(46);
const lon = z.number().min(122).max(154);

export const needsSchema = z.strictObject({
  /** Where distance is measured from (home or nearest station; approximate is fine). */
  location: z.strictObject({ lat, lon }).optional(),
  /** 圏域・地区 or municipality, used when no location is given. */
  area: z.string().trim().min(1).max(100).optional(),
  maxDistanceKm: z.number().positive().max(200).optional(),
  /** Travel limit in minutes, converted with the transport's speed. */
  maxMinutes: z.number().int().positive().max(600).optional(),
  transport: z.array(codeOrLabel(TRANSPORTS, "移動手段")).max(TRANSPORTS.length).optional(),
  targetGroups: z.array(codeOrLabel(TARGET_GROUPS, "対象")).max(TARGET_GROUPS.length).default([]),
  interests: z.array(codeOrLabel(INTERESTS, "興味・関心")).max(INTERESTS.length).default([]),
  wants: z.array(codeOrLabel(WANTS, "参加の形")).max(WANTS.length).default([]),
  /** Time windows per weekday in which the person can go out; empty = any time. */
  availability: z.array(availabilitySchema).max(50).default([]),
  /** How many times a week the person can go out (外出できる頻度). */
  outingsPerWeek: z.number().min(0).max(7).optional(),
  conditions: needsConditionsSchema.default({}),
  certificate: codeOrLabel(CERTIFICATES, "手帳").optional(),
  /** Cost limit per session in yen (0 = free only). */
  maxCostYen: z.number().int().min(0).max(1_000_000).optional(),
  /** The ladder step the assessment points to (1 見学・短時間から … 5 就労); derived when absent. */
  startStep: z.number().int().min(1).max(5).optional(),
  shortTermGoal: z.string().max(2000).optional(),
  longTermGoal: z.string().max(2000).optional(),
});

export type NeedsInput = z.input<typeof needsSchema>;
export interface Needs {
  location?: { lat: number; lon: number };
  area?: string;
  maxDistanceKm?: number;
  maxMinutes?: number;
  transport?: Transport[];
  targetGroups: TargetGroup[];
  interests: Interest[];
  wants: Want[];
  availability: Availability[];
  outingsPerWeek?: number;
  conditions: NeedsConditions;
  certificate?: Certificate;
  maxCostYen?: number;
  startStep?: LadderStep;
  shortTermGoal?: string;
  longTermGoal?: string;
}

export type NeedsParse = { ok: true; needs: Needs } | { ok: false; errors: string[] };

/** Parses needs from JSON-like input; errors name the field path and say what is wrong, in Japanese. */
export function parseNeeds(input: unknown): NeedsParse {
  const result = needsSchema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((issue) => {
        const where = issue.path.length ? issue.path.join(".") : "(全体)";
        const message =
          issue.code === "unrecognized_keys"
            ? `知らない項目です: ${issue.keys.join(", ")} (unknown field)`
            : issue.message;
        return `${where}: ${message}`;
      }),
    };
  }
  return { ok: true, needs: result.data as Needs };
}
