// What a source row becomes before it reaches the database: the resource fields the importer owns
// (checked with zod, the one validation path for imports) and its schedules. Also the shared
// judgements every mapper makes the same way: target groups by kind, status from the row's words.
import { z } from "zod";
import {
  CONDITION_CODES,
  RESOURCE_KIND_CODES,
  TARGET_GROUP_CODES,
  type Condition,
  type ResourceKind,
  type TargetGroup,
} from "../../db/vocabulary";
import type { SkippedRow } from "./csv";
import { JAPAN_BOUNDS } from "./normalize";
import type { DerivedSchedule } from "./schedule-text";

const optionalText = (max: number) => z.string().min(1).max(max).nullable();

/** Every resource column the importer writes; a re-import compares exactly these. */
export const importedResourceSchema = z.object({
  name: z.string().min(1).max(200),
  nameKana: optionalText(300),
  kind: z.enum(RESOURCE_KIND_CODES),
  services: z.array(z.string().min(1).max(200)).max(50),
  description: optionalText(5000),
  activities: z.array(z.string().min(1).max(200)).max(50),
  targetGroups: z.array(z.enum(TARGET_GROUP_CODES)),
  conditions: z.array(z.enum(CONDITION_CODES)),
  costKind: z.enum(["free", "amount", "actual", "unknown"]),
  costYen: z.number().int().min(0).max(100_000).nullable(),
  costNote: optionalText(2000),
  capacity: z.number().int().min(0).max(100_000).nullable(),
  postalCode: z.string().regex(/^\d{3}-\d{4}$/).nullable(),
  prefecture: optionalText(10),
  city: optionalText(50),
  addressLine: optionalText(300),
  building: optionalText(300),
  latitude: z.number().min(JAPAN_BOUNDS.south).max(JAPAN_BOUNDS.north).nullable(),
  longitude: z.number().min(JAPAN_BOUNDS.west).max(JAPAN_BOUNDS.east).nullable(),
  area: optionalText(50),
  operator: optionalText(300),
  phone: optionalText(200),
  email: z.email().nullable(),
  url: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  hoursNote: optionalText(3000),
  accessNote: optionalText(2000),
  status: z.enum(["active", "paused", "closed"]),
  lastVerifiedOn: z.iso.date().nullable(),
  sourceNote: optionalText(500),
});

export type ImportedResource = z.infer<typeof importedResourceSchema>;

export interface ScheduleDraft extends DerivedSchedule {
  note: string | null;
}

/** One resource to upsert: its stable id within the source, the row(s) it came from, its fields. */
export interface ResourceDraft {
  sourceRowId: string;
  /** The first source row (spreadsheet numbering), for reports. */
  row: number;
  resource: ImportedResource;
  schedules: ScheduleDraft[];
}

export interface MappedFile {
  drafts: ResourceDraft[];
  skipped: SkippedRow[];
  rowsRead: number;
}

/** Checks a draft; the first problems become a skip reason instead of a failed import. */
export function validateDraft(draft: ResourceDraft): SkippedRow | null {
  const result = importedResourceSchema.safeParse(draft.resource);
  if (result.success) {
    draft.resource = result.data;
    return null;
  }
  const fields = result.error.issues.map((issue) => issue.path.join(".")).slice(0, 3).join(", ");
  return { row: draft.row, reason: `値が不正（${fields}）`, detail: draft.resource.name };
}

/** The people a kind is for, before a row's own words add to it. */
const TARGETS_BY_KIND: Record<ResourceKind, TargetGroup[]> = {
  salon: ["elderly"],
  kaigo_yobo: ["elderly"],
  ibasho: ["anyone"],
  kodomo_shokudo: ["youth"],
  kosodate_shien: ["parents"],
  jido_center: ["youth", "parents"],
  chiiki_katsudo: ["disability"],
  shuro_b: ["disability"],
  shuro_a: ["disability"],
  shuro_ikou: ["disability"],
  work_experience: ["anyone"],
  volunteer: ["anyone"],
  kominkan: ["anyone"],
  welfare_center: ["anyone"],
  library: ["anyone"],
  day_service: ["elderly"],
  disability_day: ["disability"],
  after_school: ["youth"],
  care_service: ["elderly"],
  consultation: ["anyone"],
  other: ["anyone"],
};

/** Words in a row that widen or correct who a resource is for. */
const TARGET_HINTS: readonly { pattern: RegExp; add: TargetGroup }[] = [
  { pattern: /放課後等デイサービス|児童発達支援|障害|障がい/, add: "disability" },
  { pattern: /保護者|家族|親子|子育て|ママ|お母さん/, add: "parents" },
  { pattern: /どなたでも|誰でも|だれでも|多世代|地域の人|おとな食堂|大人食堂|こども・おとな|子ども・大人|みんなの|みんなで|地域食堂/, add: "anyone" },
  { pattern: /高齢者|お年寄り|シニア|地域包括|介護予防/, add: "elderly" },
  { pattern: /困窮|ひとり親|生活に困|母子家庭|経済的/, add: "hardship" },
];

export function targetGroupsFor(kind: ResourceKind, hints: readonly string[], base?: TargetGroup[]): TargetGroup[] {
  const groups = new Set<TargetGroup>(base ?? TARGETS_BY_KIND[kind]);
  const text = hints.join("\n");
  for (const hint of TARGET_HINTS) if (hint.pattern.test(text)) groups.add(hint.add);
  // A consultation body for one group is not 「誰でも」.
  if (kind === "consultation" && groups.size > 1) groups.delete("anyone");
  return TARGET_GROUP_CODES.filter((code) => groups.has(code));
}

export function sortedConditions(conditions: Iterable<Condition>): Condition[] {
  const set = new Set(conditions);
  return CONDITION_CODES.filter((code) => set.has(code));
}

const CLOSED_WORDS = /閉店|閉鎖|廃止|活動を終了|活動終了|閉所/;
const PAUSED_WORDS = /休止|休業中|活動休止|一時休止/;

/** 「（※休止）デイサービス…」「…(令和4年8月閉店）」「休止中」: the status the row states. */
export function statusFromWords(texts: readonly (string | null | undefined)[]): "active" | "paused" | "closed" {
  const text = texts.filter(Boolean).join("\n");
  if (CLOSED_WORDS.test(text)) return "closed";
  if (PAUSED_WORDS.test(text)) return "paused";
  return "active";
}

/** A name without the status or list markers some sources put in brackets: 「(※休止)」「(対象外)」「(令和4年8月閉店)」. */
export function cleanResourceName(name: string): string {
  return name
    .replace(/[(（][^()（）]*(?:休止|閉店|閉鎖|廃止|終了|対象外)[^()（）]*[)）]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
