// The domain vocabulary of DESIGN §3: resource kinds, target groups, participation conditions,
// statuses and weekdays. Codes are stored in the database; labels are what people read.
// Shared by db/, search/ and app/ (it has no imports, so the browser may use it too).

export const RESOURCE_KINDS = [
  { code: "salon", label: "サロン・通いの場", group: "place" },
  { code: "kaigo_yobo", label: "介護予防・体操教室", group: "place" },
  { code: "ibasho", label: "居場所・フリースペース", group: "place" },
  { code: "kodomo_shokudo", label: "子ども食堂", group: "place" },
  { code: "kosodate_shien", label: "子育て支援センター・つどいの広場", group: "place" },
  { code: "jido_center", label: "児童館・児童センター", group: "place" },
  { code: "chiiki_katsudo", label: "地域活動支援センター", group: "place" },
  { code: "shuro_b", label: "就労継続支援B型", group: "place" },
  { code: "shuro_a", label: "就労継続支援A型", group: "place" },
  { code: "shuro_ikou", label: "就労移行支援", group: "place" },
  { code: "work_experience", label: "職場体験の受け入れ先", group: "place" },
  { code: "volunteer", label: "ボランティア活動", group: "place" },
  { code: "kominkan", label: "公民館・地域交流センター", group: "place" },
  { code: "welfare_center", label: "福祉センター・福祉会館", group: "place" },
  { code: "library", label: "図書館", group: "place" },
  { code: "day_service", label: "デイサービス（通所介護）", group: "care" },
  { code: "disability_day", label: "障がい福祉の日中活動（生活介護など）", group: "care" },
  { code: "after_school", label: "放課後児童クラブ・放課後等デイサービス", group: "care" },
  { code: "care_service", label: "介護サービス事業所", group: "care" },
  { code: "consultation", label: "相談窓口", group: "consultation" },
  { code: "other", label: "その他", group: "place" },
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number]["code"];
export const RESOURCE_KIND_CODES = RESOURCE_KINDS.map((k) => k.code) as [ResourceKind, ...ResourceKind[]];

const kindLabels = new Map<string, string>(RESOURCE_KINDS.map((k) => [k.code, k.label]));
export function kindLabel(code: string): string {
  return kindLabels.get(code) ?? code;
}

export const TARGET_GROUPS = [
  { code: "elderly", label: "高齢者" },
  { code: "disability", label: "障がいのある人" },
  { code: "parents", label: "子育て中の親子" },
  { code: "youth", label: "子ども・若者" },
  { code: "hardship", label: "生活困窮" },
  { code: "anyone", label: "誰でも" },
] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number]["code"];
export const TARGET_GROUP_CODES = TARGET_GROUPS.map((t) => t.code) as [TargetGroup, ...TargetGroup[]];

export const CONDITIONS = [
  { code: "kengaku", label: "見学可" },
  { code: "taiken", label: "体験可" },
  { code: "doko", label: "同行可" },
  { code: "techo_fuyo", label: "手帳不要" },
  { code: "tanjikan", label: "短時間可" },
  { code: "shoninzu", label: "少人数" },
  { code: "shizuka", label: "静か" },
  { code: "sougei", label: "送迎あり" },
  { code: "barrier_free", label: "バリアフリー" },
  { code: "parking", label: "駐車場あり" },
  { code: "online", label: "オンライン" },
  { code: "reservation", label: "予約が必要" },
  { code: "free", label: "無料" },
] as const;
export type Condition = (typeof CONDITIONS)[number]["code"];
export const CONDITION_CODES = CONDITIONS.map((c) => c.code) as [Condition, ...Condition[]];

export const RESOURCE_STATUSES = [
  { code: "active", label: "活動中" },
  { code: "paused", label: "休止中" },
  { code: "closed", label: "閉鎖" },
] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number]["code"];

/** RFC 5545 weekday codes in calendar order (Monday first, as Japanese calendars at work are). */
export const WEEKDAYS = [
  { code: "MO", label: "月", long: "月曜" },
  { code: "TU", label: "火", long: "火曜" },
  { code: "WE", label: "水", long: "水曜" },
  { code: "TH", label: "木", long: "木曜" },
  { code: "FR", label: "金", long: "金曜" },
  { code: "SA", label: "土", long: "土曜" },
  { code: "SU", label: "日", long: "日曜" },
] as const;
export type Weekday = (typeof WEEKDAYS)[number]["code"];
export const WEEKDAY_CODES = WEEKDAYS.map((w) => w.code) as [Weekday, ...Weekday[]];

export const COST_KINDS = [
  { code: "free", label: "無料" },
  { code: "amount", label: "有料" },
  { code: "actual", label: "実費" },
  { code: "unknown", label: "不明" },
] as const;
export type CostKind = (typeof COST_KINDS)[number]["code"];

function labelOf(list: readonly { code: string; label: string }[], code: string): string {
  return list.find((item) => item.code === code)?.label ?? code;
}
export const targetGroupLabel = (code: string) => labelOf(TARGET_GROUPS, code);
export const conditionLabel = (code: string) => labelOf(CONDITIONS, code);
export const statusLabel = (code: string) => labelOf(RESOURCE_STATUSES, code);
export const weekdayLabel = (code: string) => labelOf(WEEKDAYS, code);
