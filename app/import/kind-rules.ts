// Which kind of resource a source row is, or why it is not imported: ONE ordered table, first
// match wins. Residents look for places to join and for where to ask for help; disaster stores,
// schools, nurseries, hospitals and places people live in are not that, and are skipped with a reason.
// Values are matched after NFKC (①→1, Ａ→A, （）→()), as the CSV reader normalises them.
import type { ResourceKind } from "../../db/vocabulary";
import type { SourceKey } from "./sources";

/** What a rule looks at: the row's name, its services (区分 / 実施サービス, split), or any column. */
export type RuleColumn = "name" | "services" | (string & {});

export type KindRule = {
  /** Sources the rule applies to; every source when omitted. */
  sources?: readonly SourceKey[];
  /** Tested columns; the rule matches when the pattern matches any of them (each service for `services`). */
  columns: readonly RuleColumn[];
  pattern: RegExp;
  /** Why the rule exists, for the next person who edits this table. */
  note?: string;
} & ({ kind: ResourceKind } | { skip: string });

export interface KindRuleInput {
  source: SourceKey;
  name: string;
  services: readonly string[];
  /** The row's other cells by normalised header name. */
  columns: Readonly<Record<string, string>>;
}

export type KindDecision = { kind: ResourceKind; ruleIndex: number } | { skip: string; ruleIndex: number | null };

const YAIZU_FACILITY_FILES = [
  "yaizu-public-facility",
  "yaizu-child-rearing-support-center",
  "yaizu-community-center",
] as const satisfies readonly SourceKey[];

export const SKIP_REASONS = {
  disasterFacility: "防災・消防の施設（参加や相談の場ではない）",
  communityDisasterCenter: "コミュニティ防災センター（防災施設）",
  school: "学校（参加や相談の場として扱わない）",
  nursery: "保育所・幼稚園・こども園（在園児のための施設）",
  medical: "医療機関（病院・診療所）",
  residential: "入所・居住系のサービスのみ（通って参加する場ではない）",
  infrastructure: "行政・インフラの施設（参加や相談の場ではない）",
  sports: "スポーツ施設（参加できる活動の情報がない）",
  culture: "文化・観光施設（参加できる活動の情報がない）",
  rentalHall: "貸館・集会施設（参加できる活動の情報がない）",
  unclassified: "参加や相談の場として分類できない",
} as const;

export const KIND_RULES: readonly KindRule[] = [
  // Every row of the Tokyo list is a 子ども食堂 (or a pantry run by one).
  { sources: ["tokyo-kodomo-shokudo"], columns: ["name"], pattern: /[\s\S]/, kind: "kodomo_shokudo" },

  // 要配慮者利用施設 says what a facility is in 地域防災計画分類 (⑥学校, ⑤幼稚園, ③医療関係施設).
  { sources: ["yaizu-yohairyosya"], columns: ["地域防災計画分類"], pattern: /学校/, skip: SKIP_REASONS.school },
  { sources: ["yaizu-yohairyosya"], columns: ["地域防災計画分類"], pattern: /幼稚園/, skip: SKIP_REASONS.nursery },
  { sources: ["yaizu-yohairyosya"], columns: ["地域防災計画分類"], pattern: /医療/, skip: SKIP_REASONS.medical },

  // The 公共施設一覧 layout has no category column: the name decides. Disaster facilities first,
  // because 「保健センター防災倉庫（黒石小学校）」 must not become a 保健センター or a school.
  { sources: YAIZU_FACILITY_FILES, columns: ["name"], pattern: /コミュニティ防災センター/, skip: SKIP_REASONS.communityDisasterCenter },
  { sources: YAIZU_FACILITY_FILES, columns: ["name"], pattern: /防災|消防|水防|避難地|倉庫|分団/, skip: SKIP_REASONS.disasterFacility },
  { sources: YAIZU_FACILITY_FILES, columns: ["name"], pattern: /小学校|中学校|高校|高等学校|特別支援学校/, skip: SKIP_REASONS.school },
  { sources: YAIZU_FACILITY_FILES, columns: ["name"], pattern: /病院|診療所|医院|クリニック/, skip: SKIP_REASONS.medical },
  { sources: YAIZU_FACILITY_FILES, columns: ["name"], pattern: /保育園|保育所|幼稚園|こども園/, skip: SKIP_REASONS.nursery },

  // A nursery that also hosts a 子育て支援センター (「さくら保育園(子育て支援センター「さくら」含む)」) is
  // listed by its 区分 保育所; the 子育て支援センター itself has its own row in 子育て支援施設.
  { columns: ["services"], pattern: /^(?!.*訪問支援).*(?:保育所|保育事業|保育施設|こども園|幼稚園)/, skip: SKIP_REASONS.nursery },

  // Kinds, most specific first. A row naming several services gets the first kind listed here:
  // 就労継続支援B型 + 生活介護 is a B型 workplace; 介護老人福祉施設 + 通所介護 is a day service.
  { columns: ["name", "services"], pattern: /地域包括支援センター/, kind: "consultation" },
  { columns: ["services"], pattern: /相談支援/, kind: "consultation", note: "計画相談支援・障害児相談支援" },
  { columns: ["services"], pattern: /就労継続支援B型/, kind: "shuro_b" },
  { columns: ["services"], pattern: /就労継続支援A型/, kind: "shuro_a" },
  { columns: ["services"], pattern: /就労移行支援/, kind: "shuro_ikou" },
  { columns: ["name", "services"], pattern: /地域活動支援センター/, kind: "chiiki_katsudo" },
  {
    columns: ["name", "備考", "services"],
    pattern: /子育て支援センター|つどいの広場|子育てサポートルーム|親子ふれあい広場/,
    kind: "kosodate_shien",
    note: "a 児童センター that hosts a 子育て支援センター is listed as the latter: that is what parents look for",
  },
  { columns: ["name", "備考", "services"], pattern: /児童センター|児童館|こども館|子育て支援施設/, kind: "jido_center" },
  { columns: ["name", "services"], pattern: /子育てコンシェルジュ/, kind: "consultation" },
  { columns: ["name", "services"], pattern: /放課後児童クラブ|学童|児童クラブ|放課後等デイサービス/, kind: "after_school" },
  {
    sources: ["yaizu-public-facility"],
    columns: ["団体名"],
    pattern: /家庭・子ども支援課/,
    kind: "after_school",
    note: "that department lists only 放課後児童クラブ, some named just 「…クラブ・かもめ」",
  },
  { columns: ["services"], pattern: /^生活介護$|^児童発達支援$/, kind: "disability_day" },
  { columns: ["name"], pattern: /障害福祉サービス事業所/, kind: "disability_day" },
  { columns: ["name"], pattern: /福祉センター|福祉会館/, kind: "welfare_center" },
  { columns: ["name"], pattern: /図書館/, kind: "library" },
  { columns: ["name", "備考"], pattern: /地域交流センター|公民館/, kind: "kominkan" },
  { columns: ["services"], pattern: /通所介護|通所リハビリ|通所型サービス|デイサービス/, kind: "day_service" },
  { columns: ["name"], pattern: /デイサービス/, kind: "day_service" },
  { columns: ["name"], pattern: /保健センター|保健相談センター/, kind: "consultation", note: "健康相談・育児相談の窓口" },
  {
    columns: ["services"],
    pattern: /居宅介護支援|介護予防支援|訪問介護|訪問看護|訪問入浴|訪問リハビリ|福祉用具|小規模多機能|居宅介護|重度訪問介護|同行援護/,
    kind: "care_service",
  },

  // What is left of a care or childcare list is residential or a nursery.
  {
    columns: ["name", "services"],
    pattern: /共同生活援助|共同生活介護|グループホーム|入所|老人ホーム|老人福祉施設|老人保健施設|介護医療院|特定施設|高齢者向け住宅|障害者支援施設|養護施設/,
    skip: SKIP_REASONS.residential,
  },
  { columns: ["services"], pattern: /小学校|中学校/, skip: SKIP_REASONS.school },

  // The rest of 公共施設一覧: buildings, not places with something to join.
  {
    sources: YAIZU_FACILITY_FILES,
    columns: ["name"],
    pattern: /駐車場|駐輪|トイレ|団地|庁舎|市役所|消防署|医師住宅|給食センター|脱塩施設|保管庫|水車小屋|展望台|港湾会館|用地|販売提供施設|休憩所/,
    skip: SKIP_REASONS.infrastructure,
  },
  {
    sources: YAIZU_FACILITY_FILES,
    columns: ["name"],
    pattern: /体育館|グラウンド|グランド|プール|テニス場|競技場|野球場|スポーツ広場|運動公園|相撲場|海水浴場/,
    skip: SKIP_REASONS.sports,
  },
  {
    sources: YAIZU_FACILITY_FILES,
    columns: ["name"],
    pattern: /文化会館|資料館|記念館|科学館|ミュージアム|ギャラリー|ビジターセンター|服部家|体験施設|交流施設/,
    skip: SKIP_REASONS.culture,
  },
  {
    sources: YAIZU_FACILITY_FILES,
    columns: ["name"],
    pattern: /会館|公会堂|学習等供用施設|集落センター|研修センター|サンライフ/,
    skip: SKIP_REASONS.rentalHall,
  },
];

function valuesOf(input: KindRuleInput, column: RuleColumn): readonly string[] {
  if (column === "name") return [input.name];
  if (column === "services") return input.services;
  const value = input.columns[column];
  return value ? [value] : [];
}

/** The first rule of KIND_RULES that matches the row decides; no match is a skip. */
export function classifyRow(input: KindRuleInput, rules: readonly KindRule[] = KIND_RULES): KindDecision {
  for (const [ruleIndex, rule] of rules.entries()) {
    if (rule.sources && !(rule.sources as readonly string[]).includes(input.source)) continue;
    const matches = rule.columns.some((column) => valuesOf(input, column).some((value) => rule.pattern.test(value)));
    if (!matches) continue;
    return "kind" in rule ? { kind: rule.kind, ruleIndex } : { skip: rule.skip, ruleIndex };
  }
  return { skip: SKIP_REASONS.unclassified, ruleIndex: null };
}

/**
 * Splits a 区分 cell that names several services. Yaizu separates them with newlines, 、, ・, /
 * or (full-width) spaces, inconsistently; duplicates and empty items are dropped.
 */
export function splitServices(cell: string): string[] {
  const services = cell
    .split(/[\n、,・/]|\s+/)
    .map((service) => service.trim())
    .filter(Boolean);
  return [...new Set(services)];
}
