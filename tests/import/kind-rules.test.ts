// The kind table: first match wins, several services pick the highest-priority kind.
import { expect, test } from "vitest";
import { SKIP_REASONS, classifyRow, splitServices } from "../../app/import/kind-rules";

const yohairyosya = (services: string[], name = "テスト事業所", category = "1障害福祉サービス等提供施設") =>
  classifyRow({ source: "yaizu-yohairyosya", name, services, columns: { 地域防災計画分類: category } });

test("several services in one 区分 cell are split on every separator Yaizu uses", () => {
  expect(splitServices("就労継続支援B型\n生活介護")).toEqual(["就労継続支援B型", "生活介護"]);
  expect(splitServices("介護老人福祉施設・居宅介護・短期入所生活介護\n\n\n\n")).toEqual(["介護老人福祉施設", "居宅介護", "短期入所生活介護"]);
  expect(splitServices("共同生活援助/短期入所")).toEqual(["共同生活援助", "短期入所"]);
  expect(splitServices("共同生活援助 短期入所")).toEqual(["共同生活援助", "短期入所"]);
  expect(splitServices("小規模多機能型居宅介護、認知症対応型共同生活介護")).toEqual(["小規模多機能型居宅介護", "認知症対応型共同生活介護"]);
});

test("a B型 workplace that also offers 生活介護 is a B型 workplace", () => {
  expect(yohairyosya(["就労継続支援B型", "生活介護"])).toMatchObject({ kind: "shuro_b" });
  expect(yohairyosya(["就労継続支援B型", "就労移行支援"])).toMatchObject({ kind: "shuro_b" });
  expect(yohairyosya(["生活介護"])).toMatchObject({ kind: "disability_day" });
});

test("a nursing home that runs a day service is a day service; one that does not is skipped", () => {
  const category = "2老人福祉施設";
  expect(yohairyosya(["介護老人福祉施設", "短期入所生活介護", "通所介護"], "あおい荘", category)).toMatchObject({ kind: "day_service" });
  expect(yohairyosya(["住宅型有料老人ホーム"], "ハートリンク", category)).toMatchObject({ skip: SKIP_REASONS.residential });
  expect(yohairyosya(["共同生活援助"])).toMatchObject({ skip: SKIP_REASONS.residential });
  // 特定施設入居者生活介護 contains 生活介護 but is residential.
  expect(yohairyosya(["特定施設入居者生活介護"], "有料老人ホーム", category)).toMatchObject({ skip: SKIP_REASONS.residential });
});

test("schools, kindergartens and hospitals in 要配慮者利用施設 are skipped by 地域防災計画分類", () => {
  expect(yohairyosya(["小学校"], "焼津東小学校", "6学校")).toMatchObject({ skip: SKIP_REASONS.school });
  expect(yohairyosya(["幼稚園(私立)"], "ひかり幼稚園", "5幼稚園")).toMatchObject({ skip: SKIP_REASONS.nursery });
  expect(yohairyosya(["病院"], "焼津病院", "3医療関係施設")).toMatchObject({ skip: SKIP_REASONS.medical });
  expect(yohairyosya(["保育所"], "さくら保育園(子育て支援センター「さくら」含む)", "4児童福祉施設")).toMatchObject({
    skip: SKIP_REASONS.nursery,
  });
});

test("公共施設一覧 rows are told apart by name: disaster stores before anything else", () => {
  const facility = (name: string, columns: Record<string, string> = {}) =>
    classifyRow({ source: "yaizu-public-facility", name, services: [], columns });
  expect(facility("石津コミュニティ防災センター")).toMatchObject({ skip: SKIP_REASONS.communityDisasterCenter });
  expect(facility("保健センター防災倉庫（黒石小学校）")).toMatchObject({ skip: SKIP_REASONS.disasterFacility });
  expect(facility("大井川地域交流センター")).toMatchObject({ kind: "kominkan" });
  expect(facility("総合福祉会館（ウェルシップ）")).toMatchObject({ kind: "welfare_center" });
  expect(facility("宮島会館")).toMatchObject({ skip: SKIP_REASONS.rentalHall });
  expect(facility("ゆりかご西クラブ・かもめ", { 団体名: "家庭・子ども支援課" })).toMatchObject({ kind: "after_school" });
  expect(facility("焼津図書館")).toMatchObject({ kind: "library" });
  expect(facility("陶芸センター")).toEqual({ skip: SKIP_REASONS.unclassified, ruleIndex: null });
});

test("a 児童センター that hosts a 子育て支援センター is listed as the latter", () => {
  const childCare = (name: string, remark: string) =>
    classifyRow({ source: "yaizu-child-rearing-support-center", name, services: [], columns: { 備考: remark } });
  expect(childCare("大井川児童センター（とまとぴあ）", "児童センター（子育て支援センター、子育てコンシェルジュ併設）")).toMatchObject({
    kind: "kosodate_shien",
  });
  expect(childCare("ターントクルこども館", "こども館")).toMatchObject({ kind: "jido_center" });
});

test("Kudamatsu: 地域包括支援センター is where to ask; other care providers are care services", () => {
  const care = (name: string, services: string[]) => classifyRow({ source: "kudamatsu-care-service", name, services, columns: {} });
  expect(care("下松市地域包括支援センター", ["介護予防支援事業所"])).toMatchObject({ kind: "consultation" });
  expect(care("ニチイケアセンター下松", ["訪問介護", "訪問入浴", "通所介護(デイサービス)"])).toMatchObject({ kind: "day_service" });
  expect(care("指定訪問介護事業所げんき", ["訪問介護"])).toMatchObject({ kind: "care_service" });
  expect(care("特別養護老人ホーム松寿苑", ["介護福祉施設サービス(特別養護老人ホーム)", "短期入所生活介護"])).toMatchObject({
    skip: SKIP_REASONS.residential,
  });
});
