// The real files in db/open-data/, read and mapped without a database. The expected counts were
// worked out by hand from the files (distinct values of 区分 / 地域防災計画分類 / 実施サービス / names,
// see the comment on each test) and then compared with what the importer produces.
import { readFileSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { readCsv } from "../../app/import/csv";
import { SKIP_REASONS } from "../../app/import/kind-rules";
import { TOKYO_DUPLICATE_REASON } from "../../app/import/map-tokyo";
import { NO_NAME_REASON } from "../../app/import/map-yaizu";
import { DUPLICATE_REASON, planOpenDataImport, type PlannedFile } from "../../app/import/open-data.server";

const openData = (file: string) => readFileSync(new URL(`../../db/open-data/${file}`, import.meta.url));
let plans: Map<string, PlannedFile>;

beforeAll(async () => {
  const planned = await planOpenDataImport({ dir: new URL("../../db/open-data/", import.meta.url).pathname });
  plans = new Map(planned.map((plan) => [plan.source?.key ?? plan.file, plan]));
});

function kindsOf(plan: PlannedFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const draft of plan.drafts) counts[draft.resource.kind] = (counts[draft.resource.kind] ?? 0) + 1;
  return counts;
}

function reasonsOf(plan: PlannedFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const skip of plan.skipped) counts[skip.reason] = (counts[skip.reason] ?? 0) + 1;
  return counts;
}

test("the CP932 files decode: known names read correctly", () => {
  const yohairyosya = readCsv(openData("yaizu/yohairyosya.csv"));
  expect(yohairyosya.encoding).toBe("cp932");
  expect(yohairyosya.records).toHaveLength(277);
  expect(yohairyosya.records.map((record) => record.values["要配慮者利用施設名称"])).toContain("就労継続支援B型事業所 いっぽ西焼津");

  const kudamatsu = readCsv(openData("kudamatsu/352071_care_service.csv"));
  expect(kudamatsu.encoding).toBe("cp932");
  expect(kudamatsu.records).toHaveLength(90);
  expect(kudamatsu.records[0].values["地方公共団体名"]).toBe("山口県下松市");
  expect(kudamatsu.records.map((record) => record.values["介護サービス事業所名称"])).toContain("ニチイケアセンター下松");
});

test("the UTF-8 files are told apart by their BOM", () => {
  expect(readCsv(openData("yaizu/222127_public_facility-59773.csv")).encoding).toBe("utf-8");
  expect(readCsv(openData("yaizu/222127_community_center.csv")).encoding).toBe("utf-8-bom");
  expect(readCsv(openData("tokyo-kodomoshokudo/tokyo_kodomoshokudo_final.csv")).encoding).toBe("utf-8-bom");
});

test("no real file has a malformed row", () => {
  for (const plan of plans.values()) {
    expect(plan.skipped.filter((skip) => /引用符|列の数|CSV/.test(skip.reason))).toEqual([]);
  }
});

test("Yaizu 要配慮者利用施設: kinds and skips", () => {
  // From the 区分 counts: 通所介護 37 + the 22 rows that name 通所介護 / 通所リハビリテーション /
  // 通所型サービスA / 認知症対応型通所介護 among other services = 59; 放課後児童クラブ 26 +
  // 放課後等デイサービス 13 + 児童発達支援&放課後等デイ 2 = 41; B型 in 17 rows; A型 (Ａ/A, alone or with
  // 就労選択支援) 4; 小規模多機能・看護小規模多機能・居宅介護/同行援護 … 13; 生活介護 alone 7 + 大井川寮 +
  // 児童発達支援 2 = 10; 地域活動支援センター 2. The 4 子育て rows are the same places as in 子育て支援施設.
  const plan = plans.get("yaizu-yohairyosya")!;
  expect(plan.rowsRead).toBe(277);
  expect(kindsOf(plan)).toEqual({
    day_service: 59,
    after_school: 41,
    shuro_b: 17,
    shuro_a: 4,
    care_service: 13,
    disability_day: 10,
    chiiki_katsudo: 2,
  });
  // ⑥学校 22; ⑤幼稚園 16 + 39 保育所/小規模保育/認可外 in ④; ③医療関係施設 9; 41 residential only.
  expect(reasonsOf(plan)).toEqual({
    [SKIP_REASONS.school]: 22,
    [SKIP_REASONS.nursery]: 55,
    [SKIP_REASONS.medical]: 9,
    [SKIP_REASONS.residential]: 41,
    [DUPLICATE_REASON]: 4,
  });
});

test("several services in one 区分 cell are kept as a list", () => {
  const plan = plans.get("yaizu-yohairyosya")!;
  const byName = (name: string) => plan.drafts.find((draft) => draft.resource.name === name)!.resource;
  expect(byName("焼津の空と大地と")).toMatchObject({ kind: "shuro_b", services: ["就労継続支援B型", "生活介護"] });
  expect(byName("高麓").services).toEqual(["介護老人福祉施設", "居宅介護", "重度訪問介護", "短期入所生活介護", "通所介護", "認知症対応型通所介護"]);
  expect(byName("ミライ/ミライプラス")).toMatchObject({ kind: "shuro_a", services: ["就労継続支援A型", "就労選択支援"] });
});

test("Yaizu addresses get their prefecture and city; phones and postcodes are normalised", () => {
  const plan = plans.get("yaizu-yohairyosya")!;
  const shinai = plan.drafts.find((draft) => draft.resource.name === "大井川心愛")!.resource;
  expect(shinai).toMatchObject({
    prefecture: "静岡県",
    city: "焼津市",
    addressLine: "宗高950-1",
    phone: "054-662-0076",
    postalCode: "421-0205",
    area: "焼津市",
    targetGroups: ["disability"],
  });
  const paused = plan.drafts.find((draft) => draft.resource.name === "デイサービスゆうあい")!.resource;
  expect(paused.status).toBe("paused");
});

test("Yaizu 子育て支援施設 and 地域交流センター", () => {
  // 7 rows say 子育て支援センター in 備考 (とまとぴあ too); ターントクルこども館 is a こども館. All 9
  // 地域交流センター rows have 備考 公民館.
  const childCare = plans.get("yaizu-child-rearing-support-center")!;
  expect(childCare.encoding).toBe("utf-8-bom");
  expect(kindsOf(childCare)).toEqual({ kosodate_shien: 8, jido_center: 1 });
  const minami = childCare.drafts.find((draft) => draft.resource.name === "子育て支援センター みなみ")!;
  expect(minami.resource).toMatchObject({ costKind: "free", conditions: ["free"], targetGroups: ["parents"], phone: "054-293-7474" });
  expect(minami.schedules.map((schedule) => [schedule.rrule, schedule.startTime, schedule.endTime])).toEqual([
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "09:30", "12:00"],
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "13:00", "15:30"],
  ]);
  expect(kindsOf(plans.get("yaizu-community-center")!)).toEqual({ kominkan: 9 });
});

test("Yaizu 公共施設一覧: mostly not places to join, and repeats of the richer lists", () => {
  // 74 of the 230 rows are 地域防災課 (防災センター, 倉庫, 消防団); 22 schools and a high-school store;
  // parking, toilets, housing … The 8 kept: 2 保健センター, 放課後等デイサービス（くれよん）, 2 図書館,
  // 2 福祉センター, 大井川精神障害者地域活動支援センター.
  const plan = plans.get("yaizu-public-facility")!;
  expect(plan.rowsRead).toBe(230);
  expect(kindsOf(plan)).toEqual({ consultation: 2, after_school: 1, library: 2, welfare_center: 2, chiiki_katsudo: 1 });
  expect(reasonsOf(plan)).toEqual({
    [SKIP_REASONS.disasterFacility]: 75,
    [SKIP_REASONS.infrastructure]: 34,
    [SKIP_REASONS.school]: 23,
    [DUPLICATE_REASON]: 20,
    [SKIP_REASONS.communityDisasterCenter]: 17,
    [SKIP_REASONS.sports]: 16,
    [SKIP_REASONS.rentalHall]: 12,
    [SKIP_REASONS.nursery]: 11,
    [SKIP_REASONS.culture]: 10,
    [SKIP_REASONS.unclassified]: 2,
    [SKIP_REASONS.residential]: 1,
    [SKIP_REASONS.medical]: 1,
  });
  const duplicate = plan.skipped.find((skip) => skip.reason === DUPLICATE_REASON && skip.row === 2);
  expect(duplicate?.detail).toBe("『子育て支援施設』の「親子ふれあい広場」");
});

test("Kudamatsu: 90 rows, one resource per facility with all its services", () => {
  // 90 rows, 77 distinct (name, address) pairs. 15 of them only house people (8 グループホーム, 4 特養,
  // 2 特定施設, 1 ショートステイ: 18 rows). Of the other 62: 22 通所介護 + ふくしの里 and 成幸苑
  // (通所リハビリテーション) = 24 day services, the 地域包括支援センター, 37 other care services.
  const plan = plans.get("kudamatsu-care-service")!;
  expect(plan.rowsRead).toBe(90);
  expect(plan.drafts).toHaveLength(62);
  expect(kindsOf(plan)).toEqual({ care_service: 37, day_service: 24, consultation: 1 });
  expect(reasonsOf(plan)).toEqual({ [SKIP_REASONS.residential]: 18 });

  const nichii = plan.drafts.filter((draft) => draft.resource.name === "ニチイケアセンター下松");
  expect(nichii).toHaveLength(1);
  expect(nichii[0]).toMatchObject({ sourceRowId: "KD0000900040", resource: { kind: "day_service", services: ["訪問介護", "訪問入浴", "通所介護(デイサービス)"] } });

  const center = plan.drafts.find((draft) => draft.resource.name === "下松市地域包括支援センター")!.resource;
  expect(center).toMatchObject({ kind: "consultation", targetGroups: ["elderly"], building: "下松市役所内", addressLine: "大手町3-3-3" });
  // 「潮音朝3」 in 所在地_町字 is the publisher's typo for 潮音町3.
  expect(plan.drafts.find((draft) => draft.resource.name === "白石プランニング")!.resource.addressLine).toBe("潮音町3-11-27");
});

test("Tokyo 子ども食堂: 798 rows read, rows without coordinates kept as list-only entries", () => {
  // 798 rows; 9 have no name at all; 20 rows of 東京都福祉局's R4 list repeat a ward's row.
  const plan = plans.get("tokyo-kodomo-shokudo")!;
  expect(plan.rowsRead).toBe(798);
  expect(kindsOf(plan)).toEqual({ kodomo_shokudo: 769 });
  expect(reasonsOf(plan)).toEqual({ [NO_NAME_REASON]: 9, [TOKYO_DUPLICATE_REASON]: 20 });
  const withoutCoordinates = plan.drafts.filter((draft) => draft.resource.latitude === null);
  expect(withoutCoordinates).toHaveLength(171);
  expect(withoutCoordinates.every((draft) => draft.resource.longitude === null)).toBe(true);
  // Still findable by municipality: 158 of them know their ward or city.
  expect(withoutCoordinates.filter((draft) => draft.resource.area !== null)).toHaveLength(158);
});

test("Tokyo rows credit their own publisher and keep unclear schedules as text", () => {
  const plan = plans.get("tokyo-kodomo-shokudo")!;
  const nerima = plan.drafts.find((draft) => draft.sourceRowId === "練馬区:1")!;
  expect(nerima.resource.sourceNote).toBe("出典：練馬区「子ども食堂一覧」（クリエイティブ・コモンズ 表示(CC BY)）");
  // 開催頻度 is a bare code here: 土 12:00 is kept as text, not guessed as weekly.
  expect(nerima.schedules).toEqual([]);
  expect(nerima.resource.hoursNote).toBe("開催曜日：土\n時間：12:00~");

  const monthly = plan.drafts.filter((draft) => draft.schedules.some((schedule) => schedule.rrule === "FREQ=MONTHLY;BYDAY=3SA"));
  expect(monthly.length).toBeGreaterThan(0);
  const closed = plan.drafts.filter((draft) => draft.resource.status === "closed").map((draft) => draft.resource.name);
  expect(closed).toContain("うさぎワンダーワールド");
});

test("every source row id is unique within its file", () => {
  for (const plan of plans.values()) {
    const ids = plan.drafts.map((draft) => draft.sourceRowId);
    expect(new Set(ids).size).toBe(ids.length);
  }
});
