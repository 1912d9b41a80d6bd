// The search engine contract as a test suite: the same documents, queries and expectations for
// every engine (the embedded one now, Meilisearch in issue 3). Call runEngineContract from a
// *.test.ts file with a factory that returns a fresh, empty engine.
import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import { SearchQueryError, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from "../../search/types";

const collator = new Intl.Collator("ja", { numeric: true });

// Landmarks around Yaizu (焼津市) and Nerima (練馬区); coordinates are close to the real places.
export const YAIZU_STATION = { lat: 34.8672, lon: 138.3237 };

function place(fields: Partial<SearchDocument> & Pick<SearchDocument, "id" | "name" | "kind" | "kindLabel">): SearchDocument {
  return {
    reading: "",
    services: [],
    activities: [],
    description: "",
    targetGroups: [],
    conditions: [],
    area: null,
    address: "",
    weekdays: [],
    timeBands: [],
    costBand: "unknown",
    status: "active",
    location: null,
    schedules: [],
    hoursNote: null,
    updatedAt: Date.UTC(2026, 0, 1),
    ...fields,
  };
}

const SALON = { kind: "salon", kindLabel: "サロン・通いの場" };
const KOSODATE = { kind: "kosodate_shien", kindLabel: "子育て支援センター・つどいの広場" };
const SHOKUDO = { kind: "kodomo_shokudo", kindLabel: "子ども食堂" };
const KAIGO = { kind: "kaigo_yobo", kindLabel: "介護予防・体操教室" };

/** ~30 realistic directory entries: kanji, kana and mixed names, some without location or reading. */
export const CONTRACT_DOCUMENTS: SearchDocument[] = [
  place({
    id: "1", name: "子育て支援センターわかば", reading: "コソダテシエンセンターワカバ", ...KOSODATE,
    activities: ["親子遊び", "育児相談"], description: "0歳から3歳の子どもと保護者が自由に遊べる広場です。",
    targetGroups: ["parents"], conditions: ["kengaku", "free"], area: "中部", address: "静岡県焼津市本町2丁目16-32",
    weekdays: ["MO", "TU", "WE", "TH", "FR"], timeBands: ["morning", "afternoon"], costBand: "free",
    location: { lat: 34.8668, lon: 138.3245 }, updatedAt: Date.UTC(2026, 2, 1),
  }),
  place({
    id: "2", name: "大井川子育て支援センター", reading: "オオイガワコソダテシエンセンター", ...KOSODATE,
    activities: ["親子遊び"], targetGroups: ["parents"], conditions: ["free"], area: "南部",
    address: "静岡県焼津市宗高900", weekdays: ["MO", "WE", "FR"], timeBands: ["morning"], costBand: "free",
    location: { lat: 34.8226, lon: 138.2905 }, updatedAt: Date.UTC(2026, 1, 10),
  }),
  place({
    id: "3", name: "つどいの広場 ひまわり", reading: "ツドイノヒロバ ヒマワリ", ...KOSODATE,
    targetGroups: ["parents"], area: "北部", address: "静岡県焼津市大覚寺2-1", weekdays: ["TU", "TH"],
    timeBands: ["morning"], costBand: "free", location: { lat: 34.895, lon: 138.319 },
  }),
  place({
    id: "4", name: "ワークセンターあおぞら", reading: "ワークセンターアオゾラ", kind: "shuro_b", kindLabel: "就労継続支援B型",
    services: ["就労継続支援B型", "生活介護"], activities: ["軽作業", "パン製造"],
    description: "パンの製造と販売、軽作業をしています。見学・体験を受け付けています。",
    targetGroups: ["disability"], conditions: ["kengaku", "taiken"], area: "中部", address: "静岡県焼津市栄町3丁目5-1",
    weekdays: ["MO", "TU", "WE", "TH", "FR"], timeBands: ["morning", "afternoon"], costBand: "free",
    location: { lat: 34.87, lon: 138.31 },
  }),
  place({
    id: "5", name: "焼津みなと作業所", reading: "ヤイヅミナトサギョウショ", kind: "shuro_b", kindLabel: "就労継続支援B型",
    // Written as the source wrote it, with a full-width Ｂ.
    services: ["就労継続支援Ｂ型"], activities: ["水産加工の軽作業"], targetGroups: ["disability"], area: "北部",
    address: "静岡県焼津市中港1丁目", location: { lat: 34.8905, lon: 138.33 },
  }),
  place({
    id: "6", name: "ラビット工房", reading: "ラビットコウボウ", kind: "shuro_a", kindLabel: "就労継続支援A型",
    services: ["就労継続支援A型"], activities: ["印刷", "封入作業"], targetGroups: ["disability"], area: "南部",
    address: "静岡県焼津市小川新町1-2-3", location: { lat: 34.849, lon: 138.316 },
  }),
  place({
    id: "7", name: "ふれあいいきいきサロン本町", reading: "フレアイイキイキサロンホンマチ", ...SALON,
    activities: ["お茶会", "体操"], description: "地域の高齢者がお茶を飲みながらおしゃべりを楽しみます。",
    targetGroups: ["elderly"], conditions: ["kengaku"], area: "中部", address: "静岡県焼津市本町5丁目1-1 本町公民館",
    weekdays: ["WE"], timeBands: ["morning"], costBand: "under500", location: { lat: 34.8685, lon: 138.325 },
    updatedAt: Date.UTC(2026, 3, 1),
  }),
  place({
    id: "8", name: "いきいきサロン浜当目", reading: "イキイキサロンハマトウメ", ...SALON,
    activities: ["体操", "手芸"], targetGroups: ["elderly"], area: "北部", address: "静岡県焼津市浜当目3丁目",
    weekdays: ["MO"], timeBands: ["afternoon"], costBand: "free", location: { lat: 34.899, lon: 138.336 },
  }),
  place({
    id: "9", name: "通いの場 さくら", reading: "カヨイノバ サクラ", ...SALON,
    activities: ["体操", "脳トレ"], targetGroups: ["elderly"], area: "南部", address: "静岡県焼津市田尻1500",
    weekdays: ["TU"], timeBands: ["afternoon"], costBand: "free", location: { lat: 34.83, lon: 138.295 },
  }),
  place({
    id: "10", name: "ねりま子ども食堂", reading: "ネリマコドモショクドウ", ...SHOKUDO,
    description: "毎月第2土曜日に夕食を提供しています。", targetGroups: ["youth", "anyone"], area: "練馬区",
    address: "東京都練馬区豊玉北6丁目", weekdays: ["SA"], timeBands: ["evening"], costBand: "under500",
  }),
  place({
    id: "11", name: "みんなの食堂 こもれび", ...SHOKUDO,
    description: "子どもも大人も300円で夕食を食べられます。", targetGroups: ["youth", "anyone"], area: "練馬区",
    address: "東京都練馬区石神井町3丁目", weekdays: ["FR"], timeBands: ["evening"], costBand: "under500",
  }),
  place({
    id: "12", name: "地域活動支援センター かがやき", reading: "チイキカツドウシエンセンター カガヤキ",
    kind: "chiiki_katsudo", kindLabel: "地域活動支援センター", services: ["地域活動支援センターⅢ型"],
    activities: ["創作活動", "軽作業"], targetGroups: ["disability"], conditions: ["techo_fuyo"], area: "中部",
    address: "静岡県焼津市東小川1丁目", location: { lat: 34.86, lon: 138.318 },
  }),
  place({
    id: "13", name: "焼津市地域包括支援センター中部", reading: "ヤイヅシチイキホウカツシエンセンターチュウブ",
    kind: "consultation", kindLabel: "相談窓口", description: "高齢者の介護・福祉・健康の総合相談窓口です。",
    targetGroups: ["elderly"], area: "中部", address: "静岡県焼津市本町2丁目", location: { lat: 34.8673, lon: 138.3235 },
  }),
  place({
    id: "14", name: "焼津市ボランティアセンター", reading: "ヤイヅシボランティアセンター", kind: "volunteer",
    kindLabel: "ボランティア活動", description: "ボランティアをしたい人と求める人をつなぎます。", targetGroups: ["anyone"],
    area: "中部", address: "静岡県焼津市総合福祉会館内", location: { lat: 34.862, lon: 138.314 },
  }),
  place({
    id: "15", name: "筋力アップ体操教室 和田公民館", reading: "キンリョクアップタイソウキョウシツ ワダコウミンカン", ...KAIGO,
    activities: ["筋力アップ体操"], targetGroups: ["elderly"], area: "北部", address: "静岡県焼津市和田500",
    weekdays: ["TU"], timeBands: ["morning"], costBand: "free", location: { lat: 34.892, lon: 138.305 },
  }),
  place({
    id: "16", name: "健脚体操の会", reading: "ケンキャクタイソウノカイ", ...KAIGO,
    activities: ["健脚体操"], targetGroups: ["elderly"], area: "南部", address: "静岡県焼津市吉永",
    weekdays: ["FR"], timeBands: ["morning"], costBand: "under500", location: { lat: 34.82, lon: 138.28 },
  }),
  place({
    id: "17", name: "フリースペース ここから", reading: "フリースペース ココカラ", kind: "ibasho", kindLabel: "居場所・フリースペース",
    description: "ひきこもりの若者が安心して過ごせる居場所です。話さなくても大丈夫。", targetGroups: ["youth"],
    conditions: ["shizuka", "shoninzu"], area: "中部", address: "静岡県焼津市栄町1丁目",
    weekdays: ["WE", "SA"], timeBands: ["afternoon"], costBand: "free", location: { lat: 34.8695, lon: 138.3205 },
  }),
  place({
    id: "18", name: "焼津市立焼津図書館", reading: "ヤイヅシリツヤイヅトショカン", kind: "library", kindLabel: "図書館",
    targetGroups: ["anyone"], area: "中部", address: "静岡県焼津市三ケ名1550", location: { lat: 34.8615, lon: 138.3095 },
  }),
  place({
    id: "19", name: "焼津市総合福祉会館", reading: "ヤイヅシソウゴウフクシカイカン", kind: "welfare_center",
    kindLabel: "福祉センター・福祉会館", area: "中部", address: "静岡県焼津市三ケ名1550", location: { lat: 34.862, lon: 138.314 },
  }),
  place({
    id: "20", name: "大井川公民館", reading: "オオイガワコウミンカン", kind: "kominkan", kindLabel: "公民館・地域交流センター",
    area: "南部", address: "静岡県焼津市宗高", location: { lat: 34.821, lon: 138.289 },
  }),
  place({
    id: "21", name: '<script>alert("x")</script>サロン & カフェ', ...SALON,
    description: "<b>太字</b>は使えません", targetGroups: ["anyone"], area: "中部", address: "静岡県焼津市駅北1丁目",
    weekdays: ["SU"], timeBands: ["afternoon"], costBand: "paid", location: { lat: 34.8705, lon: 138.3235 },
  }),
  place({
    id: "22", name: "放課後児童クラブ なかよし", reading: "ホウカゴジドウクラブ ナカヨシ", kind: "after_school",
    kindLabel: "放課後児童クラブ・放課後等デイサービス", targetGroups: ["youth"], area: "北部", address: "静岡県焼津市大村",
    location: { lat: 34.885, lon: 138.31 },
  }),
  place({
    id: "23", name: "デイサービスセンター和田", reading: "デイサービスセンターワダ", kind: "day_service",
    kindLabel: "デイサービス（通所介護）", targetGroups: ["elderly"], area: "北部", address: "静岡県焼津市和田",
    status: "closed", location: { lat: 34.893, lon: 138.306 },
  }),
  place({
    id: "24", name: "サロン田尻（休止中）", reading: "サロンタジリ", ...SALON, targetGroups: ["elderly"], area: "南部",
    address: "静岡県焼津市田尻", status: "paused", location: { lat: 34.831, lon: 138.296 },
  }),
  place({
    id: "25", name: "児童館 あそびの森", reading: "ジドウカン アソビノモリ", kind: "jido_center", kindLabel: "児童館・児童センター",
    targetGroups: ["youth", "parents"], area: "練馬区", address: "東京都練馬区光が丘2丁目", location: { lat: 35.7606, lon: 139.6286 },
  }),
  place({
    id: "26", name: "フードバンク焼津", reading: "フードバンクヤイヅ", kind: "other", kindLabel: "その他",
    description: "食品の寄付を受け付け、生活に困っている方へお届けします。", targetGroups: ["hardship"], area: "中部",
    address: "静岡県焼津市本町6丁目", location: { lat: 34.866, lon: 138.3265 },
  }),
  place({
    id: "27", name: "職場体験 焼津水産加工", reading: "ショクバタイケン ヤイヅスイサンカコウ", kind: "work_experience",
    kindLabel: "職場体験の受け入れ先", targetGroups: ["youth", "disability"], conditions: ["taiken", "doko"], area: "北部",
    address: "静岡県焼津市中港5丁目", location: { lat: 34.888, lon: 138.331 },
  }),
  place({
    id: "28", name: "子育てサロン ぴよぴよ", reading: "コソダテサロン ピヨピヨ", ...SALON,
    targetGroups: ["parents"], area: "中部", address: "静岡県焼津市栄町4丁目", weekdays: ["TH"], timeBands: ["morning"],
    costBand: "free", location: { lat: 34.8712, lon: 138.3151 },
  }),
  place({
    id: "29", name: "練馬つどいの広場", reading: "ネリマツドイノヒロバ", ...KOSODATE,
    targetGroups: ["parents"], area: "練馬区", address: "東京都練馬区豊玉北5丁目", weekdays: ["MO", "TU"],
    timeBands: ["morning"], costBand: "free", location: { lat: 35.7356, lon: 139.6517 },
  }),
  place({
    id: "30", name: "ふれあい・いきいきサロン 東小川", reading: "フレアイイキイキサロン ヒガシオガワ", ...SALON,
    activities: ["体操", "カラオケ"], targetGroups: ["elderly"], area: "南部", address: "静岡県焼津市東小川5丁目",
    weekdays: ["TH"], timeBands: ["morning"], costBand: "under500", location: { lat: 34.852, lon: 138.318 },
  }),
];

// Independent reference implementations for the expectations (not the engine's own code).
function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

function idsWhere(predicate: (d: SearchDocument) => boolean): string[] {
  return CONTRACT_DOCUMENTS.filter(predicate)
    .map((d) => d.id)
    .sort(byNumber);
}

function byNumber(a: string, b: string): number {
  return Number(a) - Number(b);
}

const ids = (result: SearchResult) => result.hits.map((h) => h.document.id);
const sortedIds = (result: SearchResult) => ids(result).sort(byNumber);

export function runEngineContract(engineName: string, makeEngine: () => SearchEngine | Promise<SearchEngine>): void {
  describe(`${engineName}: search engine contract`, () => {
    describe("reading", () => {
      let engine: SearchEngine;
      const search = (query: SearchQuery) => engine.search({ limit: 100, ...query });

      beforeAll(async () => {
        engine = await makeEngine();
        await engine.replaceAll(CONTRACT_DOCUMENTS);
      });

      test("health reports the engine and its document count", async () => {
        const health = await engine.health();
        expect(health.ok).toBe(true);
        expect(health.documents).toBe(CONTRACT_DOCUMENTS.length);
        expect(typeof health.engine).toBe("string");
      });

      test("get returns a document by id, null for an unknown id", async () => {
        expect((await engine.get("7"))?.name).toBe("ふれあいいきいきサロン本町");
        expect(await engine.get("9999")).toBeNull();
      });

      test("kanji: 子育て finds every place with 子育て in its name or kind", async () => {
        const result = await search({ text: "子育て" });
        expect(sortedIds(result)).toEqual(["1", "2", "3", "28", "29"]);
        // Names with the word come before places that only share the kind (3 and 29).
        expect(ids(result).slice(0, 3).sort(byNumber)).toEqual(["1", "2", "28"]);
      });

      test("hiragana finds kanji names through the reading: こそだて", async () => {
        const result = await search({ text: "こそだて" });
        expect(sortedIds(result)).toEqual(["1", "2", "28"]);
      });

      test("katakana and hiragana are the same: コソダテ, らびっと", async () => {
        expect(sortedIds(await search({ text: "コソダテ" }))).toEqual(["1", "2", "28"]);
        expect(ids(await search({ text: "らびっと" }))).toEqual(["6"]);
      });

      test("half-width katakana and full-width Latin are folded: ﾗﾋﾞｯﾄ, Ｂ型", async () => {
        expect(ids(await search({ text: "ﾗﾋﾞｯﾄ" }))).toEqual(["6"]);
        expect(sortedIds(await search({ text: "Ｂ型" }))).toEqual(["4", "5"]);
        expect(sortedIds(await search({ text: "b型" }))).toEqual(["4", "5"]);
      });

      test("kind words match services and kind labels: B型, 子ども食堂, サロン", async () => {
        expect(sortedIds(await search({ text: "B型" }))).toEqual(["4", "5"]);
        expect(sortedIds(await search({ text: "就労継続支援B型" }))).toEqual(["4", "5"]);
        expect(sortedIds(await search({ text: "子ども食堂" }))).toEqual(["10", "11"]);
        expect(sortedIds(await search({ text: "サロン" }))).toEqual(idsWhere((d) => d.kind === "salon"));
      });

      test("every word must match (AND): サロン 北部, 子育て センター, ひきこもり 居場所", async () => {
        expect(ids(await search({ text: "サロン 北部" }))).toEqual(["8"]);
        expect(sortedIds(await search({ text: "子育て センター" }))).toEqual(["1", "2", "3", "29"]);
        expect(ids(await search({ text: "ひきこもり　居場所" }))).toEqual(["17"]);
      });

      test("an exact name comes first", async () => {
        const result = await search({ text: "健脚体操の会" });
        expect(ids(result)[0]).toBe("16");
      });

      test("words found nowhere give an honest empty result", async () => {
        const result = await search({ text: "存在しない言葉", facets: ["kind"] });
        expect(result.total).toBe(0);
        expect(result.hits).toEqual([]);
      });

      test("search by address and area words", async () => {
        expect(ids(await search({ text: "浜当目" }))).toEqual(["8"]);
        expect(sortedIds(await search({ text: "練馬区" }))).toEqual(["10", "11", "25", "29"]);
      });

      test("a filter keeps only the chosen values; OR within a field", async () => {
        expect(sortedIds(await search({ filters: { kind: ["salon"] } }))).toEqual(idsWhere((d) => d.kind === "salon"));
        expect(sortedIds(await search({ filters: { kind: ["salon", "kaigo_yobo"] } }))).toEqual(
          idsWhere((d) => d.kind === "salon" || d.kind === "kaigo_yobo"),
        );
      });

      test("filters on several fields are ANDed, and combine with text", async () => {
        const result = await search({ filters: { kind: ["salon"], area: ["中部"] } });
        expect(sortedIds(result)).toEqual(idsWhere((d) => d.kind === "salon" && d.area === "中部"));
        expect(sortedIds(await search({ text: "体操", filters: { weekdays: ["TU"] } }))).toEqual(["9", "15"]);
        expect(sortedIds(await search({ filters: { targetGroups: ["parents"], timeBands: ["morning"] } }))).toEqual(
          idsWhere((d) => d.targetGroups.includes("parents") && d.timeBands.includes("morning")),
        );
      });

      test("a filter value nobody has matches nothing", async () => {
        const result = await search({ filters: { kind: ["no-such-kind"] } });
        expect(result.total).toBe(0);
      });

      test("facet counts honour every filter except their own field", async () => {
        const result = await search({ filters: { kind: ["salon"], area: ["中部"] }, facets: ["kind", "area", "weekdays"] });
        // kind counts: all kinds within 中部 (the kind filter is ignored for its own facet).
        const inChubu = CONTRACT_DOCUMENTS.filter((d) => d.area === "中部");
        const kindCounts: Record<string, number> = {};
        for (const d of inChubu) kindCounts[d.kind] = (kindCounts[d.kind] ?? 0) + 1;
        expect(result.facets.kind).toEqual(kindCounts);
        // area counts: salons in every area (the area filter is ignored for its own facet).
        const areaCounts: Record<string, number> = {};
        for (const d of CONTRACT_DOCUMENTS.filter((d) => d.kind === "salon")) areaCounts[d.area!] = (areaCounts[d.area!] ?? 0) + 1;
        expect(result.facets.area).toEqual(areaCounts);
        // weekdays is not filtered: it counts the hits themselves.
        const weekdayCounts: Record<string, number> = {};
        for (const d of CONTRACT_DOCUMENTS.filter((d) => d.kind === "salon" && d.area === "中部")) {
          for (const w of d.weekdays) weekdayCounts[w] = (weekdayCounts[w] ?? 0) + 1;
        }
        expect(result.facets.weekdays).toEqual(weekdayCounts);
      });

      test("facets without filters count every document, and follow the text", async () => {
        const all = await search({ facets: ["status", "costBand"], limit: 0 });
        expect(all.hits).toEqual([]);
        expect(all.total).toBe(CONTRACT_DOCUMENTS.length);
        expect(all.facets.status).toEqual({ active: 28, paused: 1, closed: 1 });
        const salons = await search({ text: "サロン", facets: ["kind"] });
        expect(salons.facets.kind).toEqual({ salon: idsWhere((d) => d.kind === "salon").length });
      });

      test("radius keeps documents within the distance; places without coordinates are left out", async () => {
        const radius = { center: YAIZU_STATION, radiusMeters: 1000 };
        const result = await search({ radius });
        const expected = idsWhere((d) => d.location !== null && metresBetween(YAIZU_STATION, d.location) <= 1000);
        expect(expected.length).toBeGreaterThan(3);
        expect(sortedIds(result)).toEqual(expected);
      });

      test("radius combines with text and filters", async () => {
        const result = await search({ text: "サロン", radius: { center: YAIZU_STATION, radiusMeters: 3000 }, filters: { status: ["active"] } });
        expect(sortedIds(result)).toEqual(["7", "21", "28", "30"]);
      });

      test("bounding box keeps documents inside it", async () => {
        const box = { south: 34.85, west: 138.3, north: 34.88, east: 138.33 };
        const result = await search({ boundingBox: box });
        const expected = idsWhere(
          (d) => d.location !== null && d.location.lat >= box.south && d.location.lat <= box.north && d.location.lon >= box.west && d.location.lon <= box.east,
        );
        expect(expected.length).toBeGreaterThan(5);
        expect(sortedIds(result)).toEqual(expected);
      });

      test("distance sort orders by distance from the origin and reports distanceMeters", async () => {
        const result = await search({ origin: YAIZU_STATION, sort: "distance", filters: { area: ["中部", "北部"] } });
        const distances = result.hits.map((h) => h.distanceMeters);
        for (const hit of result.hits) {
          expect(hit.distanceMeters).toBeDefined();
          const expected = metresBetween(YAIZU_STATION, hit.document.location!);
          expect(Math.abs(hit.distanceMeters! - expected)).toBeLessThanOrEqual(Math.max(5, expected * 0.005));
        }
        expect(distances).toEqual([...distances].sort((a, b) => a! - b!));
        expect(ids(result)[0]).toBe("13"); // 地域包括支援センター中部, a few dozen metres from the station
      });

      test("distance sort puts places without coordinates last", async () => {
        const result = await search({ text: "食堂", origin: YAIZU_STATION, sort: "distance" });
        expect(sortedIds(result)).toEqual(["10", "11"]);
        expect(result.hits.every((h) => h.distanceMeters === undefined)).toBe(true);
        const mixed = await search({ filters: { area: ["練馬区"] }, origin: YAIZU_STATION, sort: "distance" });
        expect(ids(mixed).slice(0, 2).sort(byNumber)).toEqual(["25", "29"]);
        expect(ids(mixed).slice(2).sort(byNumber)).toEqual(["10", "11"]);
      });

      test("name sort follows the reading in Japanese order; it is the default without text", async () => {
        const query: SearchQuery = { filters: { kind: ["salon", "kaigo_yobo"] } };
        const expected = CONTRACT_DOCUMENTS.filter((d) => d.kind === "salon" || d.kind === "kaigo_yobo")
          .sort((a, b) => collator.compare(a.reading || a.name, b.reading || b.name))
          .map((d) => d.id);
        expect(ids(await search({ ...query, sort: "name" }))).toEqual(expected);
        expect(ids(await search(query))).toEqual(expected);
      });

      test("updated sort shows the most recently changed first", async () => {
        const result = await search({ sort: "updated", limit: 3 });
        expect(ids(result)).toEqual(["7", "1", "2"]);
      });

      test("offset and limit page through the same order", async () => {
        const query: SearchQuery = { filters: { status: ["active"] } };
        const all = await engine.search({ ...query, limit: 20 });
        const first = await engine.search({ ...query, limit: 7 });
        const second = await engine.search({ ...query, limit: 7, offset: 7 });
        expect(first.total).toBe(28);
        expect([...ids(first), ...ids(second)]).toEqual(ids(all).slice(0, 14));
        const beyond = await engine.search({ ...query, offset: 100 });
        expect(beyond.hits).toEqual([]);
        expect(beyond.total).toBe(28);
      });

      test("limit defaults to 20", async () => {
        const result = await engine.search({});
        expect(result.hits).toHaveLength(20);
        expect(result.total).toBe(CONTRACT_DOCUMENTS.length);
      });

      test("highlights wrap the match in <mark> and escape the rest", async () => {
        const result = await search({ text: "サロン", filters: { area: ["中部"] } });
        const hit = result.hits.find((h) => h.document.id === "21")!;
        expect(hit.highlights?.name).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<mark>サロン</mark> &amp; カフェ");
        expect(hit.highlights?.name).not.toContain("<script>");
        const rabbit = await search({ text: "ﾗﾋﾞｯﾄ" });
        expect(rabbit.hits[0].highlights?.name).toBe("<mark>ラビット</mark>工房");
      });

      test("hostile input returns a result or SearchQueryError, never anything else", async () => {
        const inputs = [
          "あ".repeat(10_000),
          "😀",
          "サロン\u0000\u0007\u001b[31m",
          '"サロン',
          "'; DROP TABLE resources; --",
          'kind = "x" OR 1=1',
          "\ud800",
          "%_*?[]{}()\\",
          "   \u3000  ",
          "<script>",
        ];
        for (const text of inputs) {
          try {
            const result = await engine.search({ text, facets: ["kind"] });
            expect(Array.isArray(result.hits)).toBe(true);
            expect(result.total).toBeGreaterThanOrEqual(0);
          } catch (error) {
            expect(error).toBeInstanceOf(SearchQueryError);
          }
        }
        // Control characters are dropped, so the word still works.
        expect((await search({ text: "サロン\u0000\u0007" })).total).toBeGreaterThan(0);
        // A query-language injection is just words that match nothing.
        expect((await search({ text: 'kind = "x" OR 1=1' })).total).toBe(0);
      });

      test("invalid queries are refused with SearchQueryError", async () => {
        const bad: SearchQuery[] = [
          { limit: 101 },
          { limit: -1 },
          { offset: -5 },
          { limit: 1.5 },
          { radius: { center: { lat: Number.NaN, lon: 138 }, radiusMeters: 100 } },
          { radius: { center: YAIZU_STATION, radiusMeters: -1 } },
          { origin: { lat: 95, lon: 0 } },
          { boundingBox: { south: 35, west: 138, north: 34, east: 139 } },
          { sort: "distance" },
          { facets: ["nope" as never] },
          { filters: { nope: ["x"] } as never },
          { sort: "random" as never },
        ];
        for (const query of bad) {
          await expect(engine.search(query), JSON.stringify(query)).rejects.toBeInstanceOf(SearchQueryError);
        }
      });
    });

    describe("writing", () => {
      let engine: SearchEngine;

      beforeEach(async () => {
        engine = await makeEngine();
        await engine.replaceAll(CONTRACT_DOCUMENTS);
      });

      test("upsert replaces a document by id", async () => {
        const salon = CONTRACT_DOCUMENTS.find((d) => d.id === "7")!;
        await engine.upsert([{ ...salon, name: "本町ひだまりカフェ", reading: "ホンマチヒダマリカフェ", kind: "ibasho", kindLabel: "居場所・フリースペース" }]);
        expect((await engine.search({ text: "ふれあいいきいきサロン本町" })).total).toBe(0);
        expect(ids(await engine.search({ text: "ひだまり" }))).toEqual(["7"]);
        expect((await engine.get("7"))?.name).toBe("本町ひだまりカフェ");
        expect((await engine.health()).documents).toBe(CONTRACT_DOCUMENTS.length);
        const facets = await engine.search({ facets: ["kind"], limit: 0 });
        expect(facets.facets.kind?.ibasho).toBe(2);
      });

      test("upsert adds new documents", async () => {
        await engine.upsert([
          place({ id: "100", name: "新しい居場所 ひなた", reading: "アタラシイイバショ ヒナタ", kind: "ibasho", kindLabel: "居場所・フリースペース", area: "北部" }),
        ]);
        expect(ids(await engine.search({ text: "ひなた" }))).toEqual(["100"]);
        expect((await engine.health()).documents).toBe(CONTRACT_DOCUMENTS.length + 1);
      });

      test("remove deletes documents from results, facets and get", async () => {
        await engine.remove(["10", "11", "does-not-exist"]);
        expect((await engine.search({ text: "食堂" })).total).toBe(0);
        expect(await engine.get("10")).toBeNull();
        const facets = await engine.search({ facets: ["kind"], limit: 0 });
        expect(facets.facets.kind?.kodomo_shokudo).toBeUndefined();
        expect((await engine.health()).documents).toBe(CONTRACT_DOCUMENTS.length - 2);
      });

      test("replaceAll swaps the whole index", async () => {
        await engine.replaceAll(CONTRACT_DOCUMENTS.filter((d) => d.id === "1" || d.id === "6"));
        expect((await engine.health()).documents).toBe(2);
        expect((await engine.search({ text: "サロン" })).total).toBe(0);
        expect(sortedIds(await engine.search({}))).toEqual(["1", "6"]);
      });
    });
  });
}
