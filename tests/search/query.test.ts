// The engine-independent query checks (search/query.ts) and query words (search/query-words.ts).
import { describe, expect, test } from "vitest";
import { interpretQueryWords } from "../../search/query-words";
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, validateSearchQuery } from "../../search/query";
import { SearchQueryError, type SearchQuery } from "../../search/types";

describe("validateSearchQuery", () => {
  test("fills in the defaults", () => {
    expect(validateSearchQuery({})).toEqual({
      text: "",
      terms: [],
      filters: [],
      facets: [],
      radius: null,
      boundingBox: null,
      origin: null,
      distanceFrom: null,
      sort: "name",
      offset: 0,
      limit: DEFAULT_LIMIT,
    });
    expect(validateSearchQuery({ text: "子育て　サロン" }).sort).toBe("relevance");
    expect(validateSearchQuery({ text: "ＳＯＭＰＯ　子育て" }).terms).toEqual(["sompo", "子育て"]);
  });

  test("normalises filters and facets: distinct values, empty lists dropped, order kept", () => {
    const v = validateSearchQuery({ filters: { kind: ["salon", "salon", "ibasho"], area: [], weekdays: undefined }, facets: ["kind", "area", "kind"] });
    expect(v.filters).toEqual([{ field: "kind", values: ["salon", "ibasho"] }]);
    expect(v.facets).toEqual(["kind", "area"]);
  });

  test("distance is measured from the origin, else from the radius centre", () => {
    const center = { lat: 34.87, lon: 138.32 };
    expect(validateSearchQuery({ radius: { center, radiusMeters: 500 }, sort: "distance" }).distanceFrom).toEqual(center);
    const origin = { lat: 35, lon: 139 };
    expect(validateSearchQuery({ radius: { center, radiusMeters: 500 }, origin }).distanceFrom).toEqual(origin);
  });

  test("refuses malformed queries with a Japanese and English message", () => {
    const bad: unknown[] = [
      null,
      "text",
      { text: 42 },
      { text: "あ".repeat(1001) },
      { filters: [] },
      { filters: { nope: ["x"] } },
      { filters: { kind: "salon" } },
      { filters: { kind: [1] } },
      { filters: { kind: Array.from({ length: 101 }, (_, i) => `k${i}`) } },
      { facets: "kind" },
      { facets: ["nope"] },
      { radius: { center: { lat: 91, lon: 0 }, radiusMeters: 10 } },
      { radius: { center: { lat: 35, lon: 139 }, radiusMeters: 0 } },
      { radius: { center: { lat: 35, lon: 139 }, radiusMeters: Infinity } },
      { boundingBox: { south: 35, west: 139, north: 34, east: 140 } },
      { boundingBox: { south: "35", west: 139, north: 36, east: 140 } },
      { origin: { lat: 35 } },
      { sort: "random" },
      { sort: "distance" },
      { offset: -1 },
      { offset: MAX_OFFSET + 1 },
      { offset: 1.5 },
      { limit: MAX_LIMIT + 1 },
      { limit: -1 },
      { limit: "10" },
    ];
    for (const query of bad) {
      let error: unknown;
      try {
        validateSearchQuery(query as SearchQuery);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(query)).toBeInstanceOf(SearchQueryError);
      expect((error as Error).message, JSON.stringify(query)).toMatch(/[\u3040-\u30ff\u4e00-\u9fff].*\(.+\)$/);
    }
  });
});

describe("interpretQueryWords", () => {
  test("weekday and time-of-day words become filters; the rest stays text", () => {
    const { query, words } = interpretQueryWords({ text: "火曜 午前 体操" });
    expect(query).toEqual({ text: "体操", filters: { weekdays: ["TU"], timeBands: ["morning"] } });
    expect(words.map((w) => w.word)).toEqual(["火曜", "午前"]);
  });

  test("joined words, long forms, hiragana and full-width spaces", () => {
    expect(interpretQueryWords({ text: "火曜日の午前　子育て" }).query).toEqual({ text: "子育て", filters: { weekdays: ["TU"], timeBands: ["morning"] } });
    expect(interpretQueryWords({ text: "どようび ゆうがた" }).query.filters).toEqual({ weekdays: ["SA"], timeBands: ["evening"] });
    expect(interpretQueryWords({ text: "平日 日中" }).query.filters).toEqual({ weekdays: ["MO", "TU", "WE", "TH", "FR"], timeBands: ["morning", "afternoon"] });
    expect(interpretQueryWords({ text: "土日" }).query).toEqual({ text: "", filters: { weekdays: ["SA", "SU"] } });
  });

  test("adds to filters already chosen and keeps the rest of the query", () => {
    const { query } = interpretQueryWords({ text: "月曜 サロン", filters: { weekdays: ["TU"], kind: ["salon"] }, limit: 5, sort: "name" });
    expect(query).toEqual({ text: "サロン", filters: { weekdays: ["TU", "MO"], kind: ["salon"] }, limit: 5, sort: "name" });
  });

  test("leaves ambiguous or partial words alone, and queries without such words unchanged", () => {
    for (const text of ["月 子育て", "朝日食堂", "かよう", "あさ", "放課後", "火曜の体操", "子ども食堂"]) {
      const original: SearchQuery = { text };
      const { query, words } = interpretQueryWords(original);
      expect(words, text).toEqual([]);
      expect(query, text).toBe(original);
    }
    const empty: SearchQuery = {};
    expect(interpretQueryWords(empty).query).toBe(empty);
  });
});
