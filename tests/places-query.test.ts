import { expect, test } from "vitest";
import { effectiveSort, parsePlacesQuery, placesHref, toggleValue } from "~/utils/places-query";

function parse(query: string) {
  return parsePlacesQuery(new URLSearchParams(query));
}

test("an empty query gives page 1 and no filters", () => {
  expect(parse("")).toEqual({
    ok: true,
    params: { kind: [], target: [], area: [], condition: [], day: [], page: 1 },
  });
});

test("keywords are trimmed and empty form fields count as absent", () => {
  const result = parse("q=%E3%80%80%20子育て%20&page=&kind=");
  expect(result.ok && result.params.q).toBe("子育て");
  expect(result.ok && result.params.page).toBe(1);
  expect(parse("q=%20%20").ok && (parse("q=%20%20") as { params: { q?: string } }).params.q).toBeUndefined();
});

test("multi-select fields repeat and duplicates collapse", () => {
  const result = parse(
    "kind=salon&kind=kodomo_shokudo&kind=salon&day=TU&day=WE&area=焼津市&target=elderly&condition=kengaku"
  );
  expect(result).toMatchObject({
    ok: true,
    params: {
      kind: ["salon", "kodomo_shokudo"],
      day: ["TU", "WE"],
      area: ["焼津市"],
      target: ["elderly"],
      condition: ["kengaku"],
    },
  });
});

test("a keyword longer than 200 characters is refused with a Japanese message", () => {
  const result = parse(`q=${"あ".repeat(201)}`);
  expect(result.ok).toBe(false);
  expect(!result.ok && result.message).toContain("200文字以内");
  expect(parse(`q=${"あ".repeat(200)}`).ok).toBe(true);
});

test.each(["page=-1", "page=0", "page=501", "page=abc", "page=1.5", "page=1&page=2"])("%s is refused", (query) => {
  const result = parse(query);
  expect(result.ok).toBe(false);
  expect(!result.ok && result.message).toMatch(/ページ|複数/);
});

test("unknown codes are refused", () => {
  expect(parse("kind=casino").ok).toBe(false);
  expect(parse("day=XX").ok).toBe(false);
  expect(parse("sort=random").ok).toBe(false);
});

test("a location must be inside Japan and given as a pair", () => {
  expect(parse("lat=34.86&lon=138.32")).toMatchObject({ ok: true, params: { lat: 34.86, lon: 138.32 } });
  expect(parse("lat=51.5&lon=-0.12").ok).toBe(false);
  expect(parse("lat=34.86").ok).toBe(false);
  expect(parse("lat=abc&lon=138").ok).toBe(false);
  expect(parse("sort=distance").ok).toBe(false);
});

test("sort defaults to distance with a location, relevance with keywords, otherwise name", () => {
  expect(effectiveSort({ lat: 35, q: "体操" })).toBe("distance");
  expect(effectiveSort({ q: "体操" })).toBe("relevance");
  expect(effectiveSort({})).toBe("name");
  expect(effectiveSort({ sort: "name", lat: 35 })).toBe("name");
});

test("placesHref keeps the state in the URL and goes back to page 1 when a filter changes", () => {
  const result = parse("q=子育て&kind=kosodate_shien&page=3&lat=34.86&lon=138.32");
  if (!result.ok) throw new Error(result.message);
  const { params } = result;
  expect(placesHref(params, { page: 4 })).toBe(
    "/places?q=%E5%AD%90%E8%82%B2%E3%81%A6&kind=kosodate_shien&lat=34.86&lon=138.32&page=4"
  );
  const toggled = placesHref(params, toggleValue(params, "kind", "kosodate_shien"));
  expect(toggled).toBe("/places?q=%E5%AD%90%E8%82%B2%E3%81%A6&lat=34.86&lon=138.32");
  const reparsed = parsePlacesQuery(new URL(placesHref(params, { page: 4 }), "http://x").searchParams);
  expect(reparsed).toEqual({ ok: true, params: { ...params, page: 4 } });
});

test("a map view (bbox) is four numbers inside Japan, south-west before north-east", () => {
  expect(parse("bbox=34.84,138.28,34.9,138.34")).toMatchObject({
    ok: true,
    params: { bbox: { south: 34.84, west: 138.28, north: 34.9, east: 138.34 } },
  });
  for (const bad of ["34.84,138.28,34.9", "a,b,c,d", "34.9,138.28,34.84,138.34", "34.84,138.34,34.9,138.28", "10,100,11,101", "34.84,138.28,34.9,138.34,1"]) {
    const result = parse(`bbox=${bad}`);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain("地図の範囲");
  }
  expect(parse("bbox=34.8,138.2,34.9,138.3&bbox=34.8,138.2,34.9,138.3").ok).toBe(false);
});

test("placesHref writes the bbox back so the same view reloads, and a filter change keeps it", () => {
  const result = parse("kind=salon&bbox=34.840001,138.28,34.9,138.34");
  if (!result.ok) throw new Error(result.message);
  const href = placesHref(result.params, { page: 2 });
  expect(href).toBe("/places?kind=salon&bbox=34.84%2C138.28%2C34.9%2C138.34&page=2");
  const reparsed = parsePlacesQuery(new URL(href, "http://x").searchParams);
  expect(reparsed.ok && reparsed.params.bbox).toEqual({ south: 34.84, west: 138.28, north: 34.9, east: 138.34 });
  expect(placesHref(result.params, toggleValue(result.params, "kind", "salon"))).toBe(
    "/places?bbox=34.84%2C138.28%2C34.9%2C138.34"
  );
});

test("near is normalised text, sorts by distance, and excludes lat/lon", () => {
  const result = parse("near=%EF%BC%AA%EF%BC%B2%20%20焼津駅%20");
  expect(result).toMatchObject({ ok: true, params: { near: "JR 焼津駅" } });
  expect(result.ok && effectiveSort(result.params)).toBe("distance");
  expect(parse("near=&q=体操").ok && (parse("near=&q=体操") as { params: { near?: string } }).params.near).toBeUndefined();
  expect(parse(`near=${"あ".repeat(51)}`).ok).toBe(false);
  expect(parse("near=練馬区&lat=35.7&lon=139.6").ok).toBe(false);
  expect(parse("near=練馬区&sort=distance").ok).toBe(true);
  const parsed = parse("near=練馬区&kind=salon");
  if (!parsed.ok) throw new Error(parsed.message);
  expect(placesHref(parsed.params, { page: 2 })).toBe(
    `/places?kind=salon&near=${encodeURIComponent("練馬区")}&page=2`
  );
});
