// 「住所・駅名から探す」: a text becomes the centre of the registered places containing it, with no
// outside service. Over a fresh database holding the bundled open data (Yaizu, Kudamatsu, Tokyo).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { resources } from "../db/schema";
import { candidateTexts, densestGroup, locateByText, normalizeLocationText } from "~/models/geocode.server";
import { createTestDatabaseWithOpenData, type TestDatabase } from "./helpers/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabaseWithOpenData();
});
afterAll(async () => {
  await db?.cleanup();
});

// Rough outlines, generous on purpose: the point must land in the right town, not the right street.
const NERIMA = { south: 35.72, north: 35.79, west: 139.55, east: 139.7 };
const YAIZU = { south: 34.8, north: 34.93, west: 138.22, east: 138.36 };
const within = (p: { lat: number; lon: number }, b: typeof NERIMA) =>
  p.lat >= b.south && p.lat <= b.north && p.lon >= b.west && p.lon <= b.east;

test("「練馬区」 is the centre of the places registered in Nerima", async () => {
  const located = await locateByText("練馬区", db);
  expect(located).not.toBeNull();
  expect(within(located!, NERIMA)).toBe(true);
  expect(located!.matchedText).toBe("練馬区");
  expect(located!.city).toContain("練馬区");
  expect(located!.used).toBeGreaterThan(0);
});

test("「焼津駅」 falls back to 「焼津」 and lands in Yaizu", async () => {
  const located = await locateByText("焼津駅", db);
  expect(located).not.toBeNull();
  expect(located!.query).toBe("焼津駅");
  expect(located!.matchedText).toBe("焼津");
  expect(within(located!, YAIZU)).toBe(true);
  expect(located!.city).toContain("焼津市");
});

test("「本町」 takes the largest group of nearby matches, not the average of distant towns", async () => {
  // The bundled data has 本町 in Yaizu and in several Tokyo wards: the Yaizu group is the largest.
  const located = await locateByText("本町", db);
  expect(located).not.toBeNull();
  expect(located!.matched).toBeGreaterThan(located!.used);
  expect(located!.city).toBe("焼津市");
  expect(within(located!, YAIZU)).toBe(true);
});

test("full-width digits, spaces and a block number still find the street", async () => {
  const exact = await locateByText("焼津市本町", db);
  const noisy = await locateByText(" 焼津市 本町２丁目５－１ ", db);
  expect(exact).not.toBeNull();
  expect(noisy).toMatchObject({ lat: exact!.lat, lon: exact!.lon, matchedText: "焼津市本町", query: "焼津市 本町2丁目5-1" });
});

test("a name works as well as an address", async () => {
  const [row] = await db.db
    .select({ name: resources.name, lat: resources.latitude, lon: resources.longitude })
    .from(resources)
    .where(eq(resources.kind, "kosodate_shien"))
    .limit(1);
  const located = await locateByText(row.name, db);
  expect(located).not.toBeNull();
  expect(Math.abs(located!.lat - row.lat!)).toBeLessThan(0.1);
});

test.each(["存在しない地名ほげほげ", "町", "", "   ", "%", "_", "' OR 1=1 --"])("「%s」 finds nothing (null)", async (text) => {
  expect(await locateByText(text, db)).toBeNull();
});

test("closed places do not count", async () => {
  const [row] = await db.db
    .select({ id: resources.id, name: resources.name })
    .from(resources)
    .where(eq(resources.kind, "kosodate_shien"))
    .limit(1);
  const unique = `閉鎖テスト${row.id}番地`;
  await db.db.update(resources).set({ name: unique, status: "closed" }).where(eq(resources.id, row.id));
  expect(await locateByText(unique, db)).toBeNull();
  await db.db.update(resources).set({ status: "active" }).where(eq(resources.id, row.id));
  expect(await locateByText(unique, db)).not.toBeNull();
});

test("the forms tried, longest first", () => {
  expect(normalizeLocationText(" 焼津 駅 ")).toBe("焼津駅");
  expect(normalizeLocationText("ＪＲ焼津駅")).toBe("jr焼津駅");
  expect(candidateTexts("焼津駅")).toEqual(["焼津駅", "焼津"]);
  expect(candidateTexts("焼津駅前")).toEqual(["焼津駅前", "焼津"]);
  expect(candidateTexts("焼津市本町2丁目5-1")).toEqual(["焼津市本町2丁目5-1", "焼津市本町"]);
  expect(candidateTexts("練馬区")).toEqual(["練馬区"]);
  expect(candidateTexts("駅")).toEqual([]);
  expect(candidateTexts("本町周辺")).toEqual(["本町周辺", "本町"]);
});

test("the densest group wins over scattered matches", () => {
  const town = [
    { lat: 34.87, lon: 138.32, city: "焼津市" },
    { lat: 34.871, lon: 138.321, city: "焼津市" },
    { lat: 34.872, lon: 138.318, city: "焼津市" },
  ];
  const far = [
    { lat: 35.7, lon: 139.7, city: "新宿区" },
    { lat: 34.0, lon: 131.8, city: "下松市" },
  ];
  expect(densestGroup([...far, ...town])).toEqual(town);
});
