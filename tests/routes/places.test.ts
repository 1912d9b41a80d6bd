// Loader tests for the resident pages, on a fresh database holding the bundled open data and the
// search engine filled from it (as `npm start` does). Loaders are called directly with a Request.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resources } from "../../db/schema";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { getSearchEngine } from "../../search/engine.server";
import { createTestApp } from "../helpers/app";
import { loader as placesLoader } from "~/routes/places._index";
import { loader as placeLoader } from "~/routes/places.$id";
import { loader as homeLoader } from "~/routes/_index";
import { loader as aboutLoader } from "~/routes/about";
import { loader as splatLoader } from "~/routes/$";
import { loader as apiLoader } from "~/routes/api.search";

let app: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.cleanup();
});

function places(query: string) {
  const request = new Request(`http://localhost/places${query}`);
  return placesLoader({ request, params: {}, context: {} });
}

function place(id: string) {
  const request = new Request(`http://localhost/places/${id}`);
  return placeLoader({ request, params: { id }, context: {} });
}

/** What a loader threw with `data(…, { status })`, or the Response it threw. */
async function statusOfThrown(promise: Promise<unknown>): Promise<{ status: number; message?: string }> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    const { init, data } = thrown as { init?: { status?: number }; data?: { message?: string } };
    if (init?.status) return { status: init.status, message: data?.message };
    throw thrown;
  }
  throw new Error("the loader did not throw");
}

test("/places?q=子育て finds the Yaizu 子育て支援センター entries", async () => {
  const result = await places(`?q=${encodeURIComponent("子育て")}`);
  const names = result.places.map((p) => p.name);
  const centres = names.filter((name) => name.includes("子育て支援センター"));
  expect(centres.length).toBeGreaterThanOrEqual(5);
  expect(result.total).toBeGreaterThanOrEqual(centres.length);
  for (const p of result.places.filter((p) => p.name.includes("子育て支援センター"))) {
    expect(p.address).toContain("焼津市");
  }
});

test("a hiragana query finds the same centres as the kanji one", async () => {
  const kanji = await places(`?q=${encodeURIComponent("子育て支援センター")}`);
  const kana = await places(`?q=${encodeURIComponent("こそだてしえんせんたー")}`);
  expect(kana.places.map((p) => p.id)).toEqual(expect.arrayContaining(kanji.places.slice(0, 5).map((p) => p.id)));
});

test("facet counts add up and match the filtered totals", async () => {
  const all = await places("");
  const kindCounts = all.facets.kind ?? {};
  const sum = Object.values(kindCounts).reduce((a, b) => a + b, 0);
  expect(sum).toBe(all.total); // every place has exactly one kind
  const [busiestKind, busiestCount] = Object.entries(kindCounts).sort((a, b) => b[1] - a[1])[0];
  const filtered = await places(`?kind=${busiestKind}`);
  expect(filtered.total).toBe(busiestCount);
  expect(filtered.places.every((p) => p.kindLabel.length > 0)).toBe(true);
  // A facet's own counts ignore its own filter, so the other kinds stay visible for multi-select.
  expect(Object.keys(filtered.facets.kind ?? {}).length).toBe(Object.keys(kindCounts).length);

  const areaCounts = all.facets.area ?? {};
  expect(areaCounts["焼津市"]).toBeGreaterThan(0);
  const yaizu = await places(`?area=${encodeURIComponent("焼津市")}`);
  expect(yaizu.total).toBe(areaCounts["焼津市"]);
});

test("two kinds together give the sum of each (OR within a field)", async () => {
  const a = await places("?kind=kosodate_shien");
  const b = await places("?kind=kodomo_shokudo");
  const both = await places("?kind=kosodate_shien&kind=kodomo_shokudo");
  expect(both.total).toBe(a.total + b.total);
});

test("results come 20 to a page and the page count follows the total", async () => {
  const first = await places("");
  expect(first.places.length).toBe(Math.min(20, first.total));
  expect(first.pageCount).toBe(Math.ceil(first.total / 20));
  const second = await places("?page=2");
  expect(second.places.map((p) => p.id)).not.toContain(first.places[0].id);
  const beyond = await places(`?page=${first.pageCount + 1}`);
  expect(beyond.places).toEqual([]);
  expect(beyond.total).toBe(first.total);
});

test("a closed place leaves the lists but its page still says it is closed", async () => {
  const listed = await places(`?q=${encodeURIComponent("子育て支援センター")}`);
  const target = listed.places[0];
  await app.db.update(resources).set({ status: "closed" }).where(eq(resources.id, target.id));
  await fillIndexFromDatabase(app);
  try {
    const after = await places(`?q=${encodeURIComponent("子育て支援センター")}`);
    expect(after.places.map((p) => p.id)).not.toContain(target.id);
    expect(after.total).toBe(listed.total - 1);
    const { place: detail } = await place(String(target.id));
    expect(detail.status).toBe("closed");
  } finally {
    await app.db.update(resources).set({ status: "active" }).where(eq(resources.id, target.id));
    await fillIndexFromDatabase(app);
  }
});

test("a location gives distances, nearest first", async () => {
  // 焼津市役所 (Yaizu city hall), roughly.
  const result = await places("?lat=34.8669&lon=138.3236");
  const withDistance = result.places.filter((p) => p.distance);
  expect(withDistance.length).toBeGreaterThan(0);
  expect(withDistance[0].distance).toMatch(/^約[\d.]+(m|km)$/);
  const km = (d: string) => (d.endsWith("km") ? Number(d.slice(1, -2)) : Number(d.slice(1, -1)) / 1000);
  const distances = withDistance.map((p) => km(p.distance!));
  expect([...distances].sort((a, b) => a - b)).toEqual(distances);
});

test.each([
  ["?page=-1", "ページ番号"],
  ["?page=0", "ページ番号"],
  ["?page=abc", "ページ番号"],
  [`?q=${"あ".repeat(2000)}`, "200文字以内"],
  ["?kind=casino", "種類"],
  ["?lat=51.5&lon=-0.12", "日本国内"],
])("bad parameters %s give a 400 with a Japanese message, not a 500", async (query, expected) => {
  const thrown = await statusOfThrown(places(query));
  expect(thrown.status).toBe(400);
  expect(thrown.message).toContain(expected);
});

test("a place page has what a resident needs and the source credit", async () => {
  const listed = await places(`?q=${encodeURIComponent("子育て支援センター")}`);
  const centre = listed.places.find((p) => p.name.includes("子育て支援センター"));
  expect(centre).toBeDefined();
  const { place: detail, source, schedules } = await place(String(centre!.id));
  expect(detail.name).toBe(centre!.name);
  expect(detail.address).toContain("焼津市");
  expect(detail.lastVerified ?? "未確認").toBeTruthy();
  expect(source).not.toBeNull();
  expect(source!.publisher).toContain("焼津市");
  expect(source!.attribution.length).toBeGreaterThan(0);
  expect(source!.licence.length).toBeGreaterThan(0);
  // When it happens: a rule with dates, or the opening-hours text.
  expect(schedules.length > 0 || Boolean(detail.hoursNote)).toBe(true);
  for (const schedule of schedules) expect(schedule.next.length).toBeLessThanOrEqual(3);
});

test("a Tokyo 子ども食堂 shows its municipality's own credit", async () => {
  const listed = await places("?kind=kodomo_shokudo");
  expect(listed.total).toBeGreaterThan(0);
  const { place: detail, source } = await place(String(listed.places[0].id));
  expect(source).not.toBeNull();
  expect(detail.sourceNote ?? source!.attribution).toBeTruthy();
});

test.each(["abc", "0", "-1", "1.5", "99999999"])("/places/%s is a 404", async (id) => {
  expect((await statusOfThrown(place(id))).status).toBe(404);
});

test("the home page counts kinds and areas from the index", async () => {
  const home = await homeLoader();
  const all = await places("");
  expect(home.total).toBe(all.total);
  const kindSum = home.kinds.reduce((a, k) => a + k.count, 0) + home.consultation;
  expect(kindSum).toBe(home.total);
  expect(home.areas.find((a) => a.value === "焼津市")?.count).toBe(all.facets.area?.["焼津市"]);
});

test("the about page lists every source with its licence", async () => {
  const { sources } = await aboutLoader();
  expect(sources.length).toBeGreaterThan(0);
  for (const source of sources) {
    expect(source.licence).toBeTruthy();
    expect(source.attribution).toBeTruthy();
  }
  expect(sources.reduce((a, s) => a + s.resourceCount, 0)).toBeGreaterThan(0);
});

test("an unknown address is a 404", async () => {
  expect((await statusOfThrown(splatLoader())).status).toBe(404);
});

describe("the map's area (bbox) and 「近くをさがす」 (near) on /places", () => {
  const bbox = "34.84,138.28,34.9,138.34";

  test("/places?bbox=… lists the same places as /api/search for that view", async () => {
    const page = await places(`?bbox=${bbox}&kind=kosodate_shien`);
    expect(page.total).toBeGreaterThan(0);
    expect(page.params.bbox).toEqual({ south: 34.84, west: 138.28, north: 34.9, east: 138.34 });
    for (const p of page.places) {
      expect(p.location!.lat).toBeGreaterThanOrEqual(34.84);
      expect(p.location!.lat).toBeLessThanOrEqual(34.9);
      expect(p.location!.lon).toBeGreaterThanOrEqual(138.28);
      expect(p.location!.lon).toBeLessThanOrEqual(138.34);
    }
    const response = await apiLoader({
      request: new Request(`http://localhost/api/search?bbox=${bbox}&kind=kosodate_shien`),
      params: {},
      context: {},
    });
    const api = (await response.json()) as { total: number; hits: { id: number }[] };
    expect(api.total).toBe(page.total);
    expect(api.hits.map((h) => h.id)).toEqual(page.places.map((p) => p.id));
  });

  test("/places?near=練馬区 sorts from the centre of the places registered there and says so", async () => {
    const page = await places(`?near=${encodeURIComponent("練馬区")}`);
    expect(page.near).toMatchObject({ found: true, text: "練馬区", label: "練馬区", city: "練馬区" });
    expect(page.total).toBeGreaterThan(100); // a sort, not a filter
    expect(page.places[0].address).toContain("練馬区");
    expect(page.places[0].distance).toMatch(/^約/);
  });

  test("/places?near=焼津駅 uses 「焼津」 and says which text it used", async () => {
    const page = await places(`?near=${encodeURIComponent("焼津駅")}&kind=kosodate_shien`);
    expect(page.near).toMatchObject({ found: true, text: "焼津駅", label: "焼津", matchedText: "焼津" });
    expect(page.places.every((p) => p.address.includes("焼津市"))).toBe(true);
  });

  test("a text that matches nothing keeps the usual order and tells the page", async () => {
    const page = await places(`?near=${encodeURIComponent("ほげほげ")}`);
    expect(page.near).toEqual({ found: false, text: "ほげほげ" });
    const plain = await places("");
    expect(page.places.map((p) => p.id)).toEqual(plain.places.map((p) => p.id));
  });

  test.each([
    ["?bbox=abc", "地図の範囲"],
    ["?bbox=34.9,138.2,34.8,138.3", "地図の範囲"],
    [`?near=${"あ".repeat(51)}`, "50文字以内"],
    [`?near=${encodeURIComponent("練馬区")}&lat=35.7&lon=139.6`, "どちらか一方"],
  ])("%s is a 400 with a Japanese message", async (query, expected) => {
    const thrown = await statusOfThrown(places(query));
    expect(thrown.status).toBe(400);
    expect(thrown.message).toContain(expected);
  });
});

test("weekday and time words in the query filter by schedule: 火曜 午前 子育て", async () => {
  const all = await places(`?q=${encodeURIComponent("子育て")}`);
  const tuesdayMorning = await places(`?q=${encodeURIComponent("火曜 午前 子育て")}`);
  expect(tuesdayMorning.total).toBeGreaterThan(0);
  expect(tuesdayMorning.total).toBeLessThan(all.total);
  const engine = getSearchEngine();
  for (const p of tuesdayMorning.places) {
    const document = await engine.get(String(p.id));
    expect(document?.weekdays).toContain("TU");
    expect(document?.timeBands).toContain("morning");
  }
});
