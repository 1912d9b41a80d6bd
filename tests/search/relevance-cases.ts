// The relevance table: Japanese queries a resident or staff member would type, over the bundled
// real open data (db/open-data: 焼津市, 下松市, 東京都の子ども食堂 — 1,003 resources), with what
// must come back. Expectations come from the data itself (the `why` of each case says which rows),
// never from an engine's output. Used by tests/search/relevance.test.ts for every engine and by
// `npm run bench:search` for a relevance score per engine. No vitest import here, so plain scripts
// can use it.
//
// What the data does not have, and what stands in for it:
// - no 体操 anywhere and no サロン kind: weekday cases use 子育て / 図書館 / 子ども食堂 sessions, and
//   the サロン cases use the two names that contain サロン;
// - no ひきこもり anywhere: the multi-word 「居場所」 case uses 不登校 (にじまちキッチン says
//   「不登校・行き渋りの子どもと保護者、支える人の居場所です」);
// - no わかば: the 「わか」 prefix case finds 若木 (reading ワカギ);
// - no half-width katakana or full-width Latin in the data: those cases type them in the query.
import { interpretQueryWords } from "../../search/query-words";
import type { SearchDocument, SearchEngine, SearchHit } from "../../search/types";

export type RelevanceCategory =
  | "kanji"
  | "hiragana"
  | "katakana"
  | "half-width"
  | "full-width"
  | "typo"
  | "multi-word"
  | "kind word"
  | "weekday"
  | "prefix"
  | "synonym"
  | "generated reading";

type EveryField = "kind" | "area" | "weekdays" | "timeBands";

export interface RelevanceCase {
  query: string;
  category: RelevanceCategory;
  /** How many top hits the expectations look at. */
  n: number;
  /** Resource names that must all be among the top n hits. */
  expectTop?: string[];
  /** Every one of the top n hits has one of these values in each listed field (and there are n). */
  every?: Partial<Record<EveryField, string[]>>;
  /** At least this many hits in all. */
  minTotal?: number;
  /** Names that must be somewhere in the whole result (not only the top n). */
  included?: string[];
  /** What in the data makes this the right answer. */
  why: string;
}

const KOSODATE_CENTERS = [
  "子育て支援センター みなみ",
  "子育て支援センター さくら",
  "子育て支援センター 1・2・3",
  "子育て支援センター 子育て広場なかよし",
  "子育て支援センター たかくさ",
  "子育てサポートルーム(つどいの広場)",
];
const KOMINKAN = [
  "港地域交流センター",
  "焼津地域交流センター",
  "小川地域交流センター",
  "和田地域交流センター",
  "豊田地域交流センター",
  "大富地域交流センター",
  "大井川地域交流センター",
  "大村地域交流センター",
  "東益津地域交流センター",
];
const LIBRARIES = ["大井川図書館", "焼津図書館"];
const CHIIKI_KATSUDO = ["大井川精神障害者地域活動支援センター", "大井川心愛", "花・はな"];
const CONSULTATION = ["大井川保健相談センター", "保健センター", "下松市地域包括支援センター"];
const KODOMO_SHOKUDO_NAMED_子供食堂 = ["馬ノ丈の子供食堂", "子供食堂", "まなび部子供食堂", "もぐもぐ子供食堂", "にこにこ子供食堂"];
const JA = ["JA介護支援センター下松", "JA訪問介護ふれあい下松", "JAデイサービス久保", "JAデイサービス生野屋", "JA小規模多機能おひさま下松", "JAまごころ食堂"];
const SALON_NAMES = ["渋谷おやこサロン", "シンシア焼津西(デイサロン)"];
/** The 8 names containing 子育て: six 子育て支援センター rows (焼津市) and two 子ども食堂 (練馬区). */
const KOSODATE_NAMES = [...KOSODATE_CENTERS, "さくら子育てステーション", "桜台子育て応援食堂"];
/** Resources named …子ども食堂/こども食堂/子供食堂 (347 rows), 68 of them without 名称_カナ. */
const SHOKUDO_NAMED = 347;

export const RELEVANCE_CASES: RelevanceCase[] = [
  // --- kanji
  { query: "子育て支援センター", category: "kanji", n: 5, expectTop: KOSODATE_CENTERS.slice(0, 5), every: { kind: ["kosodate_shien"] }, why: "five names are 子育て支援センター + a suffix (焼津市 子育て支援センター)" },
  { query: "地域交流センター", category: "kanji", n: 9, expectTop: KOMINKAN, every: { kind: ["kominkan"] }, why: "焼津市's nine 公民館 are named …地域交流センター" },
  { query: "図書館", category: "kanji", n: 2, expectTop: LIBRARIES, why: "two libraries, 大井川図書館 and 焼津図書館" },
  { query: "保健センター", category: "kanji", n: 1, expectTop: ["保健センター"], why: "a resource is named exactly 保健センター (an exact name comes first)" },
  { query: "子育て", category: "kanji", n: 8, expectTop: KOSODATE_NAMES, why: "eight names contain 子育て" },
  { query: "練馬区", category: "kanji", n: 20, every: { area: ["練馬区"] }, minTotal: 55, why: "55 resources are in 練馬区 (area and address)" },
  { query: "福祉会館", category: "kanji", n: 1, expectTop: ["総合福祉会館(ウェルシップ)"], why: "one name contains 福祉会館" },
  // --- hiragana (readings)
  { query: "こそだて", category: "hiragana", n: 8, expectTop: KOSODATE_NAMES, why: "the eight 子育て names have readings with コソダテ" },
  { query: "ちいきかつどう", category: "hiragana", n: 1, expectTop: ["大井川精神障害者地域活動支援センター"], why: "its reading is …チイキカツドウシエンセンター" },
  { query: "としょかん", category: "hiragana", n: 2, expectTop: LIBRARIES, why: "readings オオイガワトショカン, ヤイヅトショカン" },
  { query: "じどうせんたー", category: "hiragana", n: 1, expectTop: ["大井川児童センター(とまとぴあ)"], why: "reading オオイガワジドウセンタートマトピア" },
  { query: "しゃくじい", category: "hiragana", n: 5, expectTop: ["石神井ゆうやけ子ども食堂", "石神井台かめさん食堂", "石神井だれでも食堂"], minTotal: 5, why: "five 練馬区 readings contain シャクジイ; three start with it" },
  { query: "ふくしせんたー", category: "hiragana", n: 1, expectTop: ["大井川福祉センター(ほほえみ)"], why: "reading オオイガワフクシセンターホホエミ" },
  // --- katakana
  { query: "コソダテ", category: "katakana", n: 8, expectTop: KOSODATE_NAMES, why: "katakana and hiragana are one: the same eight as こそだて" },
  { query: "サロン", category: "katakana", n: 2, expectTop: SALON_NAMES, why: "two names contain サロン" },
  { query: "トショカン", category: "katakana", n: 2, expectTop: LIBRARIES, why: "library readings" },
  { query: "デイサービス", category: "katakana", n: 20, every: { kind: ["day_service", "after_school"] }, minTotal: 47, why: "47 names contain デイサービス (45 day_service, 2 放課後等デイサービス)" },
  // --- half-width katakana (typed; the data has none)
  { query: "ｺｿﾀﾞﾃ", category: "half-width", n: 8, expectTop: KOSODATE_NAMES, why: "half-width folds to コソダテ" },
  { query: "ﾄｼｮｶﾝ", category: "half-width", n: 2, expectTop: LIBRARIES, why: "half-width folds to トショカン" },
  { query: "ﾃﾞｲｻｰﾋﾞｽ", category: "half-width", n: 20, every: { kind: ["day_service", "after_school"] }, why: "half-width folds to デイサービス" },
  // --- full-width Latin
  { query: "Ｂ型", category: "full-width", n: 17, every: { kind: ["shuro_b"] }, why: "17 就労継続支援B型 resources; Ｂ folds to b" },
  { query: "ＪＡ", category: "full-width", n: 6, expectTop: JA, why: "six names start with JA" },
  { query: "ＳＯＭＰＯ", category: "full-width", n: 20, every: { kind: ["kodomo_shokudo"] }, minTotal: 30, why: "SOMPO流 子ども食堂 chain: dozens of names contain SOMPO" },
  // --- one typo (from four characters)
  { query: "デイサービズ", category: "typo", n: 20, every: { kind: ["day_service", "after_school"] }, why: "one substitution (ス→ズ) from デイサービス" },
  { query: "sonpo", category: "typo", n: 20, every: { kind: ["kodomo_shokudo"] }, why: "one substitution (m→n) from SOMPO" },
  { query: "ワークすばろ", category: "typo", n: 1, expectTop: ["ワークすばる"], why: "one substitution from ワークすばる (就労継続支援B型, 焼津市)" },
  { query: "ウェルシプ", category: "typo", n: 1, expectTop: ["総合福祉会館(ウェルシップ)"], why: "one deletion from ウェルシップ" },
  { query: "こそだで", category: "typo", n: 8, expectTop: KOSODATE_NAMES, why: "one substitution from こそだて" },
  // --- several words (every word must match)
  { query: "子ども食堂 練馬", category: "multi-word", n: 10, every: { area: ["練馬区"], kind: ["kodomo_shokudo"] }, expectTop: ["SOMPO流こども食堂そんぽの家練馬", "SOMPO流こども食堂ラヴィーレ練馬", "SOMPO流こども食堂そんぽの家S練馬土支田"], minTotal: 50, why: "練馬区 has 55 子ども食堂; three names hold both words (こども食堂 = 子ども食堂)" },
  { query: "不登校 居場所", category: "multi-word", n: 1, expectTop: ["にじまちキッチン"], why: "にじまちキッチン: 「不登校・行き渋りの子どもと保護者…の居場所です」 (no ひきこもり in the data)" },
  { query: "大井川 図書館", category: "multi-word", n: 1, expectTop: ["大井川図書館"], why: "both words in one name" },
  { query: "焼津 子育て支援センター", category: "multi-word", n: 5, every: { kind: ["kosodate_shien"] }, expectTop: KOSODATE_CENTERS.slice(0, 5), why: "all 子育て支援センター rows are in 焼津市" },
  { query: "こどもの 居場所", category: "multi-word", n: 3, expectTop: ["あおばこどもの居場所", "こどもの居場所作り@府中", "子どもの居場所inまちや"], why: "three names hold both words (子どもの居場所inまちや through its reading コドモノイバショ…)" },
  // --- kind words
  { query: "B型", category: "kind word", n: 17, every: { kind: ["shuro_b"] }, why: "17 就労継続支援B型 (service 就労継続支援B型)" },
  { query: "地域活動支援センター", category: "kind word", n: 3, expectTop: CHIIKI_KATSUDO, every: { kind: ["chiiki_katsudo"] }, why: "three rows: one by name, two by service 地域活動支援センター" },
  { query: "公民館", category: "kind word", n: 9, expectTop: KOMINKAN, every: { kind: ["kominkan"] }, why: "the nine 地域交流センター are 公民館 (description and kind)" },
  { query: "相談", category: "kind word", n: 4, expectTop: [...CONSULTATION, "桜町介護相談室"], why: "three 相談窓口 (kind) and one name with 相談 (桜町介護相談室)" },
  { query: "放課後", category: "kind word", n: 8, expectTop: ["放課後児童クラブThe Nest", "大井川南放課後児童クラブ", "放課後等デイサービス(くれよん)", "放課後キッチン・ごろごろ"], why: "eight names contain 放課後" },
  { query: "児童発達支援", category: "kind word", n: 4, expectTop: ["ヒーローズきっず焼津教室", "てん おおいがわ", "色えんぴつ", "ぽぷら"], why: "four rows list the service 児童発達支援" },
  { query: "通所介護", category: "kind word", n: 20, every: { kind: ["day_service"] }, minTotal: 72, why: "72 day_service rows list 通所介護" },
  // --- weekday and time words (become filters; no 体操 sessions in the data)
  { query: "火曜 午前 子育て", category: "weekday", n: 6, expectTop: KOSODATE_CENTERS, every: { weekdays: ["TU"], timeBands: ["morning"] }, why: "the six 子育て支援センター rows open Tuesday mornings" },
  { query: "月曜 子育て", category: "weekday", n: 6, expectTop: KOSODATE_CENTERS, every: { weekdays: ["MO"] }, why: "open Mondays; 大井川児童センター (closed Mondays) is left out" },
  { query: "日曜 図書館", category: "weekday", n: 1, expectTop: ["大井川図書館"], every: { weekdays: ["SU"] }, why: "only 大井川図書館 has Sunday hours in the data" },
  { query: "土曜 午前 こども食堂", category: "weekday", n: 10, every: { weekdays: ["SA"], timeBands: ["morning"], kind: ["kodomo_shokudo"] }, minTotal: 14, included: ["こども食堂 げんき", "SOMPO流 子ども食堂(八坂)", "わいわいクッキング", "初台クラブ"], why: "14 子ども食堂 have Saturday-morning sessions, whatever their name says (こども食堂 = 子ども食堂, and the kind)" },
  { query: "夜 子ども食堂", category: "weekday", n: 10, every: { timeBands: ["evening"], kind: ["kodomo_shokudo"] }, minTotal: 20, why: "33 子ども食堂 have evening sessions" },
  // --- prefixes as you type
  { query: "こそだ", category: "prefix", n: 8, expectTop: KOSODATE_NAMES, why: "prefix of こそだて" },
  { query: "さろ", category: "prefix", n: 2, expectTop: SALON_NAMES, why: "prefix of サロン" },
  { query: "わか", category: "prefix", n: 1, expectTop: ["SOMPO流こども食堂 若木"], why: "prefix of ワカギ (no わかば in the data)" },
  { query: "としょ", category: "prefix", n: 4, expectTop: LIBRARIES, why: "prefix of トショカン (まると食堂's reading マルトショクドウ and まちの図書室's トショシツ also contain トショ)" },
  { query: "ちいきこう", category: "prefix", n: 9, expectTop: KOMINKAN, why: "prefix of チイキコウリュウセンター" },
  // --- synonyms (search/synonyms.ts)
  { query: "通いの場", category: "synonym", n: 2, expectTop: SALON_NAMES, why: "通いの場 = サロン; two names contain サロン" },
  { query: "育児", category: "synonym", n: 8, expectTop: KOSODATE_NAMES, why: "育児 = 子育て; 育児 itself occurs nowhere" },
  { query: "子供食堂", category: "synonym", n: 5, expectTop: KODOMO_SHOKUDO_NAMED_子供食堂, minTotal: SHOKUDO_NAMED, why: "five names say 子供食堂 (direct first); the synonyms reach the other 子ども食堂/こども食堂" },
  { query: "こども食堂", category: "synonym", n: 20, every: { kind: ["kodomo_shokudo"] }, minTotal: SHOKUDO_NAMED, included: ["子供食堂", "みなと子ども食堂"], why: "こども食堂 = 子ども食堂 = 子供食堂" },
  { query: "地域食堂", category: "synonym", n: 3, expectTop: ["東村山地域食堂ふたば", "なべよこ地域食堂", "地域食堂しずか"], minTotal: 100, why: "three names say 地域食堂; as a synonym of 子ども食堂 it reaches the rest" },
  // --- readings generated with kuromoji where the data has no 名称_カナ
  { query: "こどもしょくどう", category: "generated reading", n: 20, every: { kind: ["kodomo_shokudo"] }, minTotal: SHOKUDO_NAMED, included: ["みなと子ども食堂", "グリーンタイガーこども食堂", "にこにこ子供食堂"], why: "347 names say 子ども食堂/こども食堂/子供食堂; 68 of them have no 名称_カナ" },
  { query: "みなとこどもしょくどう", category: "generated reading", n: 1, expectTop: ["みなと子ども食堂"], why: "みなと子ども食堂 (港区) has no 名称_カナ in the data" },
  { query: "しゅうろうけいぞく", category: "generated reading", n: 3, expectTop: ["就労継続支援B型事業所 〇△□(まるさんかくしかく)", "就労継続支援B型事業所 いっぽ西焼津", "就労継続支援B型事業所 からふる工房やぐす"], why: "three names start with 就労継続支援, none has a reading in the data" },
  { query: "わーくすばる", category: "generated reading", n: 1, expectTop: ["ワークすばる"], why: "ワークすばる has no 名称_カナ; its generated reading is ワークスバル" },
];

export interface CaseOutcome {
  case: RelevanceCase;
  passed: boolean;
  problems: string[];
  /** Names of the top n hits, for the failure message. */
  top: string[];
  total: number;
}

const nameOf = (hit: SearchHit) => hit.document.name;

function fieldValues(document: SearchDocument, field: EveryField): string[] {
  const value = document[field];
  return Array.isArray(value) ? value : value == null ? [] : [value];
}

/**
 * Runs one case the way the app does: weekday/time words become filters (interpretQueryWords),
 * then the engine searches. Returns what failed, if anything.
 */
export async function evaluateRelevanceCase(engine: SearchEngine, relevanceCase: RelevanceCase): Promise<CaseOutcome> {
  const { query: interpreted } = interpretQueryWords({ text: relevanceCase.query });
  const result = await engine.search({ ...interpreted, limit: Math.min(100, Math.max(relevanceCase.n, 1)) });
  const top = result.hits.slice(0, relevanceCase.n);
  const topNames = top.map(nameOf);
  const problems: string[] = [];
  for (const name of relevanceCase.expectTop ?? []) {
    if (!topNames.includes(name)) problems.push(`「${name}」 is not in the top ${relevanceCase.n}`);
  }
  if (relevanceCase.every) {
    if (top.length < relevanceCase.n) problems.push(`only ${top.length} hits, expected at least ${relevanceCase.n}`);
    for (const hit of top) {
      for (const [field, allowed] of Object.entries(relevanceCase.every) as [EveryField, string[]][]) {
        if (!fieldValues(hit.document, field).some((value) => allowed.includes(value))) {
          problems.push(`「${hit.document.name}」 has ${field} ${JSON.stringify(fieldValues(hit.document, field))}, expected one of ${allowed.join("/")}`);
        }
      }
    }
  }
  const minTotal = relevanceCase.minTotal ?? 1;
  if (result.total < minTotal) problems.push(`total ${result.total}, expected at least ${minTotal}`);
  if (relevanceCase.included && relevanceCase.included.length > 0) {
    const all = new Set<string>();
    for (let offset = 0; offset < Math.min(result.total, 2000); offset += 100) {
      const page = await engine.search({ ...interpreted, limit: 100, offset });
      for (const hit of page.hits) all.add(hit.document.name);
    }
    for (const name of relevanceCase.included) if (!all.has(name)) problems.push(`「${name}」 is not in the result`);
  }
  return { case: relevanceCase, passed: problems.length === 0, problems, top: topNames, total: result.total };
}

/** Every case against one filled engine, in table order. */
export async function evaluateRelevanceTable(engine: SearchEngine, cases: readonly RelevanceCase[] = RELEVANCE_CASES): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const relevanceCase of cases) outcomes.push(await evaluateRelevanceCase(engine, relevanceCase));
  return outcomes;
}
