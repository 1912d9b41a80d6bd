// The open-data files the portal ships in db/open-data/, with the publisher, licence and the
// credit line each licence requires (see db/open-data/ATTRIBUTION.md, which says the same for people).
// The importer upserts these into the `sources` table by key.

export type OpenDataLayout =
  /** 推奨データセット 公共施設一覧 (24 columns), used by Yaizu for its per-category files too. */
  | "yaizu-facility"
  /** Yaizu 要配慮者利用施設: the city's own 16 columns. */
  | "yaizu-yohairyosya"
  /** 自治体標準オープンデータセット 介護サービス事業所一覧 (36 columns). */
  | "care-service-standard"
  /** Tokyo 子ども食堂一覧 merged by kitchen-baton (43 columns). */
  | "tokyo-kodomo-shokudo";

export interface OpenDataSource {
  key: string;
  /** Path under db/open-data/. */
  file: string;
  layout: OpenDataLayout;
  publisher: string;
  dataset: string;
  licence: string;
  licenceUrl: string;
  /** Shown with every resource from this source. Includes 「…を加工して作成」: the portal edits the data. */
  attribution: string;
  sourceUrl: string;
  /** Commit of the repository the bytes were copied from. */
  commit: string;
  /** When the publisher last changed the data (YYYY-MM-DD): the resources' last verified date. */
  dataDate: string | null;
  /** The municipality, when the whole file is about one (Tokyo rows name their own). */
  municipality: { prefecture: string; city: string } | null;
  /**
   * Sources with richer rows about the same places. A row of this source that describes the same
   * facility as an imported row of one of these is skipped as a duplicate.
   */
  supersededBy: readonly string[];
}

const YAIZU_CREDIT = "出典：焼津市オープンデータ（焼津市）https://github.com/yaizu-city/opendata";
const YAIZU_LICENCE = "公共データ利用規約（第1.0版）（PDL1.0、CC BY 4.0 互換）";
const PDL_URL = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0";
const CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja";
const YAIZU = { prefecture: "静岡県", city: "焼津市" } as const;

export const OPEN_DATA_SOURCES = [
  {
    key: "yaizu-child-rearing-support-center",
    file: "yaizu/222127_child_rearing_support_center.csv",
    layout: "yaizu-facility",
    publisher: "焼津市",
    dataset: "子育て支援施設",
    licence: YAIZU_LICENCE,
    licenceUrl: PDL_URL,
    attribution: `『焼津市オープンデータ 子育て支援施設』（焼津市）を加工して作成。${YAIZU_CREDIT}`,
    sourceUrl:
      "https://github.com/yaizu-city/opendata/blob/e2393df49f76c121b65e95650222f99d329e349c/data/%E5%AD%90%E8%82%B2%E3%81%A6%E6%94%AF%E6%8F%B4%E6%96%BD%E8%A8%AD/222127_child_rearing_support_center.csv",
    commit: "e2393df49f76c121b65e95650222f99d329e349c",
    dataDate: "2025-03-12",
    municipality: YAIZU,
    supersededBy: [],
  },
  {
    key: "yaizu-community-center",
    file: "yaizu/222127_community_center.csv",
    layout: "yaizu-facility",
    publisher: "焼津市",
    dataset: "地域交流センター",
    licence: YAIZU_LICENCE,
    licenceUrl: PDL_URL,
    attribution: `『焼津市オープンデータ 地域交流センター』（焼津市）を加工して作成。${YAIZU_CREDIT}`,
    sourceUrl:
      "https://github.com/yaizu-city/opendata/blob/e2393df49f76c121b65e95650222f99d329e349c/data/%E5%9C%B0%E5%9F%9F%E4%BA%A4%E6%B5%81%E3%82%BB%E3%83%B3%E3%82%BF%E3%83%BC/222127_community_center.csv",
    commit: "e2393df49f76c121b65e95650222f99d329e349c",
    dataDate: "2026-06-30",
    municipality: YAIZU,
    supersededBy: [],
  },
  {
    key: "yaizu-yohairyosya",
    file: "yaizu/yohairyosya.csv",
    layout: "yaizu-yohairyosya",
    publisher: "焼津市",
    dataset: "要配慮者利用施設",
    licence: YAIZU_LICENCE,
    licenceUrl: PDL_URL,
    attribution: `『焼津市オープンデータ 要配慮者利用施設』（焼津市）を加工して作成。${YAIZU_CREDIT}`,
    sourceUrl:
      "https://github.com/yaizu-city/opendata/blob/e2393df49f76c121b65e95650222f99d329e349c/data/%E8%A6%81%E9%85%8D%E6%85%AE%E8%80%85%E5%88%A9%E7%94%A8%E6%96%BD%E8%A8%AD/yohairyosya.csv",
    commit: "e2393df49f76c121b65e95650222f99d329e349c",
    dataDate: "2026-07-07",
    municipality: YAIZU,
    supersededBy: ["yaizu-child-rearing-support-center", "yaizu-community-center"],
  },
  {
    key: "yaizu-public-facility",
    file: "yaizu/222127_public_facility-59773.csv",
    layout: "yaizu-facility",
    publisher: "焼津市",
    dataset: "公共施設一覧",
    licence: YAIZU_LICENCE,
    licenceUrl: PDL_URL,
    attribution: `『焼津市オープンデータ 公共施設一覧』（焼津市）を加工して作成。${YAIZU_CREDIT}`,
    sourceUrl:
      "https://github.com/yaizu-city/opendata/blob/566a5b62cd9260bc0e2c6daea966cc717c481c7a/data/%E5%85%AC%E5%85%B1%E6%96%BD%E8%A8%AD%E4%B8%80%E8%A6%A7/222127_public_facility-59773.csv",
    commit: "566a5b62cd9260bc0e2c6daea966cc717c481c7a",
    dataDate: "2024-12-16",
    municipality: YAIZU,
    // The oldest and thinnest Yaizu list: the per-category files describe the same places better.
    supersededBy: ["yaizu-child-rearing-support-center", "yaizu-community-center", "yaizu-yohairyosya"],
  },
  {
    key: "kudamatsu-care-service",
    file: "kudamatsu/352071_care_service.csv",
    layout: "care-service-standard",
    publisher: "下松市",
    dataset: "【下松市】介護サービス事業所一覧",
    licence: "CC BY 4.0",
    licenceUrl: CC_BY_URL,
    attribution:
      "「【下松市】介護サービス事業所一覧」（下松市）を加工して作成。出典：「【下松市】介護サービス事業所一覧」（下松市）山口県オープンデータカタログ https://yamaguchi-opendata.jp/ckan/dataset/352071_care_service（CC BY 4.0）",
    sourceUrl: "https://yamaguchi-opendata.jp/ckan/dataset/352071_care_service",
    commit: "ac089cdede73cb596f58b6d2b7e7cf3c4402cd89",
    // CKAN version 202501 gives only the month.
    dataDate: "2025-01-01",
    municipality: { prefecture: "山口県", city: "下松市" },
    supersededBy: [],
  },
  {
    key: "tokyo-kodomo-shokudo",
    file: "tokyo-kodomoshokudo/tokyo_kodomoshokudo_final.csv",
    layout: "tokyo-kodomo-shokudo",
    publisher: "東京都内の区市町村・東京都福祉局（kitchen-baton による統合）",
    dataset: "子ども食堂一覧（各区市町村）・子供食堂推進事業(R4実績)（東京都福祉局）",
    licence: "CC BY 4.0",
    licenceUrl: CC_BY_URL,
    attribution:
      "「子ども食堂一覧」（各区市町村）および「子供食堂推進事業(R4実績)」（東京都福祉局）、東京都オープンデータカタログ（CC BY 4.0）。kitchen-baton（https://github.com/rikukaiku/kitchen-baton）が統合したデータを加工して作成",
    sourceUrl:
      "https://github.com/rikukaiku/kitchen-baton/blob/58f54d060106808bd1a3e0f17a0958ba77ac679f/data/tokyo_kodomoshokudo_final.csv",
    commit: "58f54d060106808bd1a3e0f17a0958ba77ac679f",
    // The rows come from lists of different dates (R4 実績 and later); no one date is known.
    dataDate: null,
    municipality: null,
    supersededBy: [],
  },
] as const satisfies readonly OpenDataSource[];

export type SourceKey = (typeof OPEN_DATA_SOURCES)[number]["key"];

export function findSource(keyOrFile: string): OpenDataSource | undefined {
  const wanted = keyOrFile.replace(/\\/g, "/");
  return OPEN_DATA_SOURCES.find(
    (source) => source.key === wanted || source.file === wanted || source.file.endsWith(`/${wanted}`),
  );
}
