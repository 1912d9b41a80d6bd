// /api/search, the JSON behind the map's 「このエリアで検索」: its loader called directly over a fresh
// database with the bundled open data and the engine filled from it (as `npm start` does).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getSearchEngine, setSearchEngine } from "../../search/engine.server";
import {
  SearchQueryError,
  SearchUnavailableError,
  type SearchEngine,
  type SearchResult,
} from "../../search/types";
import { createTestApp } from "../helpers/app";
import { loader } from "~/routes/api.search";

let app: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.cleanup();
});

interface Hit {
  id: number;
  name: string;
  kind: string;
  kindLabel: string;
  address: string;
  lat: number | null;
  lon: number | null;
  distanceMeters: number | null;
  status: string;
  next: string | null;
}
interface Body {
  total: number;
  page: number;
  limit: number;
  hits: Hit[];
  facets?: SearchResult["facets"];
  error?: { message: string; messageEn: string };
}

async function call(query: string | URLSearchParams): Promise<{ status: number; cache: string | null; body: Body }> {
  const search = typeof query === "string" ? query : `?${query.toString()}`;
  const response = await loader({ request: new Request(`http://localhost/api/search${search}`), params: {}, context: {} });
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return { status: response.status, cache: response.headers.get("Cache-Control"), body: (await response.json()) as Body };
}

const q = (params: Record<string, string | string[]>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  return search;
};

const HIT_KEYS = ["address", "distanceMeters", "id", "kind", "kindLabel", "lat", "lon", "name", "next", "status"];

test("a keyword search answers a trimmed JSON payload, not cached", async () => {
  const { status, cache, body } = await call(q({ q: "子育て" }));
  expect(status).toBe(200);
  expect(cache).toBe("no-store");
  expect(body.total).toBeGreaterThanOrEqual(5);
  expect(body.page).toBe(1);
  expect(body.limit).toBe(20);
  expect(body.hits.length).toBe(Math.min(20, body.total));
  expect(body).not.toHaveProperty("facets");
  expect(body.hits.filter((h) => h.name.includes("子育て支援センター")).length).toBeGreaterThanOrEqual(5);
  for (const hit of body.hits) {
    // Exactly these fields: nothing else of the document (and nothing about people) goes out.
    expect(Object.keys(hit).sort()).toEqual(HIT_KEYS);
    expect(hit.kindLabel.length).toBeGreaterThan(0);
    expect(["active", "paused"]).toContain(hit.status);
    expect(hit.distanceMeters).toBeNull();
  }
  // A centre with a weekly rule has a next date, in one line: 「12月2日(火) 9:30–12:00・13:30–16:00」.
  const withNext = body.hits.find((h) => h.next);
  expect(withNext?.next).toMatch(/^(\d{4}年)?\d{1,2}月\d{1,2}日\([月火水木金土日]\)/);
  expect(withNext?.next).not.toContain("\n");
});

test("facets come only when asked for", async () => {
  const { body } = await call(q({ q: "子育て", facets: "1" }));
  expect(body.facets?.kind?.kosodate_shien).toBeGreaterThanOrEqual(5);
  expect(Object.keys(body.facets ?? {}).sort()).toEqual(["area", "conditions", "kind", "targetGroups", "weekdays"]);
  const all = await call(q({ facets: "1", limit: "1" }));
  const kindSum = Object.values(all.body.facets?.kind ?? {}).reduce((a, b) => a + b, 0);
  expect(kindSum).toBe(all.body.total);
});

describe("a map view (bbox)", () => {
  // Around central Yaizu.
  const box = { south: 34.84, west: 138.28, north: 34.9, east: 138.34 };
  const bbox = `${box.south},${box.west},${box.north},${box.east}`;
  const inside = (h: Hit) =>
    h.lat !== null && h.lon !== null && h.lat >= box.south && h.lat <= box.north && h.lon >= box.west && h.lon <= box.east;

  test("returns only places inside it, every page of them", async () => {
    const everything = await call(q({ limit: "1" }));
    const first = await call(q({ bbox, limit: "100" }));
    expect(first.status).toBe(200);
    expect(first.body.total).toBeGreaterThan(5);
    expect(first.body.total).toBeLessThan(everything.body.total);
    const hits = [...first.body.hits];
    for (let page = 2; hits.length < first.body.total; page++) {
      const next = await call(q({ bbox, limit: "100", page: String(page) }));
      expect(next.body.hits.length).toBeGreaterThan(0);
      hits.push(...next.body.hits);
    }
    expect(hits.length).toBe(first.body.total);
    expect(hits.filter((h) => !inside(h))).toEqual([]);
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
  });

  test("combines with the filters and the keyword", async () => {
    const all = await call(q({ bbox, limit: "100" }));
    const centres = await call(q({ bbox, kind: "kosodate_shien", limit: "100" }));
    expect(centres.body.total).toBeGreaterThan(0);
    expect(centres.body.total).toBeLessThan(all.body.total);
    expect(centres.body.hits.every((h) => h.kind === "kosodate_shien" && inside(h))).toBe(true);
    const keyword = await call(q({ bbox, q: "子育て", limit: "100" }));
    expect(keyword.body.hits.every(inside)).toBe(true);
  });

  test("with a point, hits carry their distance, nearest first", async () => {
    const { body } = await call(q({ bbox, lat: "34.8669", lon: "138.3236", sort: "distance" }));
    const distances = body.hits.map((h) => h.distanceMeters);
    expect(distances.every((d) => typeof d === "number")).toBe(true);
    expect(distances).toEqual([...distances].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });
});

test("a radius around a point keeps places within it", async () => {
  const { status, body } = await call(q({ lat: "34.8669", lon: "138.3236", radius: "1500", limit: "100" }));
  expect(status).toBe(200);
  expect(body.total).toBeGreaterThan(0);
  for (const hit of body.hits) expect(hit.distanceMeters!).toBeLessThanOrEqual(1500);
  const wider = await call(q({ lat: "34.8669", lon: "138.3236", radius: "5000", limit: "1" }));
  expect(wider.body.total).toBeGreaterThan(body.total);
});

test.each([
  ["bbox of three numbers", { bbox: "34.8,138.2,34.9" }, "bbox"],
  ["bbox with words", { bbox: "south,west,north,east" }, "bbox"],
  ["bbox south of its own south", { bbox: "34.9,138.2,34.8,138.3" }, "bbox"],
  ["bbox west of its own west", { bbox: "34.8,138.3,34.9,138.2" }, "bbox"],
  ["bbox outside Japan", { bbox: "51.4,-0.2,51.6,0.1" }, "bbox"],
  ["bbox given twice", { bbox: ["34.8,138.2,34.9,138.3", "34.8,138.2,34.9,138.3"] }, "bbox"],
  ["limit 0", { limit: "0" }, "limit"],
  ["limit 101", { limit: "101" }, "limit"],
  ["limit -5", { limit: "-5" }, "limit"],
  ["limit in words", { limit: "ten" }, "limit"],
  ["radius beyond 50 km", { lat: "34.87", lon: "138.32", radius: "50001" }, "radius"],
  ["radius without a point", { radius: "1000" }, "radius"],
  ["half a point", { lat: "34.87" }, "lon"],
  ["page -1", { page: "-1" }, "Page"],
  ["a 10,000-character q", { q: "あ".repeat(10_000) }, "Keywords"],
  ["an unknown kind", { kind: "casino" }, "kind"],
  ["filter injection as a kind", { kind: 'kosodate_shien" OR 1=1' }, "kind"],
  ["filter injection as a kind (2)", { kind: 'x" OR kind = "salon' }, "kind"],
  ["facets=yes", { facets: "yes" }, "facets"],
  ["sort by distance without a point", { sort: "distance" }, "distance"],
])("%s → 400 with a Japanese and an English message", async (_name, params, english) => {
  const { status, cache, body } = await call(q(params));
  expect(status).toBe(400);
  expect(cache).toBe("no-store");
  expect(body.error?.message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  expect(body.error?.messageEn).toContain(english);
  expect(body).not.toHaveProperty("hits");
});

test.each([
  ["control characters", "\u0000\u0007子育て\u001b[0m"],
  ["only control characters", "\u0000\u0001\u0002"],
  ["emoji", "👶🏻🏠"],
  ["emoji with a word", "子育て👶"],
  ["an unbalanced quote", '"子育て'],
  ["unbalanced brackets", "((子育て]"],
  ["a filter injection", 'kind = "x" OR 1=1'],
  ["an SQL injection", "' OR '1'='1'; DROP TABLE resources; --"],
  ["a lone surrogate", "\ud800子育て"],
  ["backslashes", "\\\\\\"],
  ["spaces only", "   \u3000  "],
])("%s in q → an honest answer, never a 500", async (_name, text) => {
  const everything = (await call(q({ limit: "1" }))).body.total;
  const { status, body } = await call(q({ q: text, limit: "100" }));
  expect([200, 400]).toContain(status);
  if (status === 400) {
    expect(body.error?.message.length).toBeGreaterThan(0);
    return;
  }
  expect(body.hits.length).toBeLessThanOrEqual(body.total);
  for (const hit of body.hits) expect(Object.keys(hit).sort()).toEqual(HIT_KEYS);
  // An injection must not widen the search to everything.
  if (/OR/.test(text)) expect(body.total).toBeLessThan(everything);
});

describe("engine failures (simulated with a stub of our SearchEngine interface)", () => {
  let real: SearchEngine;
  beforeAll(() => {
    real = getSearchEngine();
  });
  afterAll(() => {
    setSearchEngine(real);
  });

  function stubEngine(search: () => Promise<SearchResult>): SearchEngine {
    return {
      name: "stub",
      upsert: async () => {},
      remove: async () => {},
      replaceAll: async () => {},
      get: async () => null,
      health: async () => ({ ok: false, engine: "stub", documents: 0 }),
      search,
    };
  }

  test("simulates an outage with a stub engine that throws SearchUnavailableError: 503 and no-store", async () => {
    setSearchEngine(
      stubEngine(async () => {
        throw new SearchUnavailableError("検索エンジンが応答しません (timed out after 2000 ms)");
      })
    );
    const { status, cache, body } = await call(q({ q: "子育て", bbox: "34.84,138.28,34.9,138.34" }));
    expect(status).toBe(503);
    expect(cache).toBe("no-store");
    expect(body.error?.message).toContain("検索を利用できません");
    expect(body.error?.messageEn).toContain("unavailable");
    // The engine's own detail (hosts, timings) is not passed on.
    expect(JSON.stringify(body)).not.toContain("2000");
  });

  test("a query the stub engine refuses (SearchQueryError) is a 400 with its message", async () => {
    setSearchEngine(
      stubEngine(async () => {
        throw new SearchQueryError("検索語が長すぎます (query too long)");
      })
    );
    const { status, cache, body } = await call(q({ q: "子育て" }));
    expect(status).toBe(400);
    expect(cache).toBe("no-store");
    expect(body.error).toEqual({ message: "検索語が長すぎます", messageEn: "query too long" });
  });
});
