// Search documents from the directory tables: the pure mapping, and loading from a real database.
import { afterAll, beforeAll, expect, test } from "vitest";
import { resources, schedules, type Resource, type Schedule } from "../../db/schema";
import { costBandOf, loadSearchDocuments, scheduleWeekdays, timeBandsOf, toSearchDocument } from "../../search/documents.server";
import { releaseReadingTokenizer } from "../../search/reading.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

function resource(fields: Partial<Resource> = {}): Resource {
  return {
    id: 42, name: "ふれあいいきいきサロン本町", nameKana: "フレアイイキイキサロンホンマチ", kind: "salon",
    services: [], description: "お茶を飲みながらおしゃべり", activities: ["お茶会", "体操"], targetGroups: ["elderly"],
    conditions: ["kengaku"], costKind: "amount", costYen: 100, costNote: null, capacity: 20, postalCode: "425-0023",
    prefecture: "静岡県", city: "焼津市", addressLine: "本町5丁目1-1", building: "本町公民館", latitude: 34.8685,
    longitude: 138.325, area: "中部", operator: "本町自治会", phone: "054-000-0000", email: null, url: null,
    hoursNote: null, accessNote: null, status: "active", lastVerifiedOn: "2026-03-01", sourceId: null, sourceRowId: null,
    sourceNote: null, createdAt: new Date("2026-01-01T00:00:00Z"), updatedAt: new Date("2026-03-02T03:04:05Z"),
    reviewStatus: "published", returnReason: null, createdBy: null, submittedAt: null, publishedAt: null,
    ...fields,
  };
}

function schedule(fields: Partial<Schedule> = {}): Schedule {
  return {
    id: 1, resourceId: 42, rrule: "FREQ=MONTHLY;BYDAY=2TU,4TU", startsOn: "2026-04-01", startTime: "10:00",
    endTime: "12:00", exceptionDates: [], note: null, pausedFrom: null, pausedUntil: null,
    ...fields,
  };
}

test("a resource becomes a document with its label, address, facets and schedules", () => {
  const document = toSearchDocument(resource(), [
    schedule(),
    schedule({ id: 2, rrule: "FREQ=WEEKLY;BYDAY=FR", startTime: "13:30", endTime: "15:00", exceptionDates: ["2026-05-01"] }),
  ]);
  expect(document).toEqual({
    id: "42",
    name: "ふれあいいきいきサロン本町",
    reading: "フレアイイキイキサロンホンマチ",
    kind: "salon",
    kindLabel: "サロン・通いの場",
    services: [],
    activities: ["お茶会", "体操"],
    description: "お茶を飲みながらおしゃべり",
    targetGroups: ["elderly"],
    conditions: ["kengaku"],
    area: "中部",
    address: "静岡県焼津市本町5丁目1-1 本町公民館",
    weekdays: ["TU", "FR"],
    timeBands: ["morning", "afternoon"],
    costBand: "under500",
    status: "active",
    location: { lat: 34.8685, lon: 138.325 },
    schedules: [
      { rrule: "FREQ=MONTHLY;BYDAY=2TU,4TU", startsOn: "2026-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: [] },
      { rrule: "FREQ=WEEKLY;BYDAY=FR", startsOn: "2026-04-01", startTime: "13:30", endTime: "15:00", exceptionDates: ["2026-05-01"] },
    ],
    hoursNote: null,
    updatedAt: Date.parse("2026-03-02T03:04:05Z"),
  });
});

test("no reading, no coordinates, no schedules: empty reading, no location, no weekdays", () => {
  const document = toSearchDocument(resource({ nameKana: null, latitude: 34.8, longitude: null, building: null, description: null }), []);
  expect(document.reading).toBe("");
  expect(document.location).toBeNull();
  expect(document.weekdays).toEqual([]);
  expect(document.timeBands).toEqual([]);
  expect(document.address).toBe("静岡県焼津市本町5丁目1-1");
  expect(document.description).toBe("");
});

test("a document carries no contact person, operator or other fields beyond the contract", () => {
  const document = toSearchDocument(resource(), []);
  expect(Object.keys(document).sort()).toEqual(
    [
      "id", "name", "reading", "kind", "kindLabel", "services", "activities", "description", "targetGroups",
      "conditions", "area", "address", "weekdays", "timeBands", "costBand", "status", "location", "schedules",
      "hoursNote", "updatedAt",
    ].sort(),
  );
});

test("weekdays come from BYDAY; DAILY is every day; a plain weekly rule uses its start date", () => {
  expect(scheduleWeekdays("FREQ=MONTHLY;BYDAY=2TU,4TU", "2026-04-01")).toEqual(["TU"]);
  expect(scheduleWeekdays("FREQ=WEEKLY;BYDAY=FR,MO,WE", "2026-04-01")).toEqual(["MO", "WE", "FR"]);
  expect(scheduleWeekdays("FREQ=DAILY", "2026-04-01")).toEqual(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]);
  expect(scheduleWeekdays("FREQ=WEEKLY", "2026-04-01")).toEqual(["WE"]); // 2026-04-01 is a Wednesday
  expect(scheduleWeekdays("RRULE:FREQ=MONTHLY;BYDAY=-1SA", "2026-04-01")).toEqual(["SA"]);
});

test("a monthly rule on a date takes the weekdays of its first occurrences", () => {
  // The 15th of April 2026 … March 2027 falls on every weekday at least once.
  expect(scheduleWeekdays("FREQ=MONTHLY;BYMONTHDAY=15", "2026-04-01")).toEqual(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]);
  // The first of January 2027 is a Friday.
  expect(scheduleWeekdays("FREQ=YEARLY;COUNT=1", "2027-01-01")).toEqual(["FR"]);
});

test("a rule that does not parse contributes no weekdays instead of failing", () => {
  expect(scheduleWeekdays("garbage", "2026-04-01")).toEqual([]);
  expect(scheduleWeekdays("FREQ=MONTHLY;BYDAY=XX", "2026-04-01")).toEqual([]);
  expect(toSearchDocument(resource(), [schedule({ rrule: "nonsense" })]).weekdays).toEqual([]);
});

test("time bands: morning before 12, afternoon 12–17, evening from 17", () => {
  expect(timeBandsOf("10:00", "12:00")).toEqual(["morning"]);
  expect(timeBandsOf("10:00", "15:00")).toEqual(["morning", "afternoon"]);
  expect(timeBandsOf("13:30", "16:00")).toEqual(["afternoon"]);
  expect(timeBandsOf("16:00", "18:30")).toEqual(["afternoon", "evening"]);
  expect(timeBandsOf("18:00", "20:00")).toEqual(["evening"]);
  expect(timeBandsOf("17:00", null)).toEqual(["evening"]);
  expect(timeBandsOf("09:00", "21:00")).toEqual(["morning", "afternoon", "evening"]);
  expect(timeBandsOf("22:00", "02:00")).toEqual(["evening"]);
  expect(timeBandsOf(null, null)).toEqual([]);
  expect(timeBandsOf("朝", null)).toEqual([]);
});

test("cost bands: free, under500, paid, unknown", () => {
  expect(costBandOf("free", null)).toBe("free");
  expect(costBandOf("amount", 300)).toBe("under500");
  expect(costBandOf("amount", 500)).toBe("paid");
  expect(costBandOf("amount", 0)).toBe("free");
  expect(costBandOf("amount", null)).toBe("paid");
  expect(costBandOf("actual", 200)).toBe("under500");
  expect(costBandOf("actual", null)).toBe("paid");
  expect(costBandOf("unknown", null)).toBe("unknown");
});

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.cleanup();
});

test("loadSearchDocuments reads resources with their schedules, all or by id", async () => {
  const [salon, shokudo] = await database.db
    .insert(resources)
    .values([
      { name: "いきいきサロン浜当目", nameKana: "イキイキサロンハマトウメ", kind: "salon", latitude: 34.899, longitude: 138.336, area: "北部" },
      { name: "ねりま子ども食堂", kind: "kodomo_shokudo", costKind: "amount", costYen: 300, prefecture: "東京都", city: "練馬区" },
    ])
    .returning({ id: resources.id });
  await database.db.insert(schedules).values([
    { resourceId: salon.id, rrule: "FREQ=WEEKLY;BYDAY=MO", startsOn: "2026-04-06", startTime: "13:30", endTime: "15:00" },
    { resourceId: shokudo.id, rrule: "FREQ=MONTHLY;BYDAY=2SA", startsOn: "2026-04-01", startTime: "17:30", endTime: "19:30" },
    { resourceId: salon.id, rrule: "FREQ=MONTHLY;BYDAY=1TH", startsOn: "2026-04-01", startTime: "10:00", endTime: "11:30" },
  ]);

  const all = await loadSearchDocuments(database.db);
  expect(all.map((d) => d.id)).toEqual([String(salon.id), String(shokudo.id)]);
  expect(all[0]).toMatchObject({
    kindLabel: "サロン・通いの場",
    weekdays: ["MO", "TH"],
    timeBands: ["morning", "afternoon"],
    location: { lat: 34.899, lon: 138.336 },
  });
  expect(all[0].schedules).toHaveLength(2);
  expect(all[0].schedules[0].startsOn).toBe("2026-04-06");
  expect(typeof all[0].updatedAt).toBe("number");
  expect(all[1]).toMatchObject({ costBand: "under500", weekdays: ["SA"], timeBands: ["evening"], location: null, address: "東京都練馬区" });

  const one = await loadSearchDocuments(database.db, [shokudo.id]);
  expect(one.map((d) => d.name)).toEqual(["ねりま子ども食堂"]);
  expect(await loadSearchDocuments(database.db, [])).toEqual([]);
  expect(await loadSearchDocuments(database.db, [999_999])).toEqual([]);
});

test("a resource without 名称_カナ gets a generated reading, so kana queries find it", async () => {
  const [row] = await database.db.insert(resources).values([{ name: "みなと子ども食堂", kind: "kodomo_shokudo" }]).returning({ id: resources.id });
  const [document] = await loadSearchDocuments(database.db, [row.id]);
  expect(document.reading).toBe("ミナトコドモショクドウ");
  const [plain] = await loadSearchDocuments(database.db, [row.id], { readings: false });
  expect(plain.reading).toBe("");
  // Readings given by the data are kept as they are.
  const all = await loadSearchDocuments(database.db);
  expect(all.find((d) => d.name === "いきいきサロン浜当目")?.reading).toBe("イキイキサロンハマトウメ");
  await releaseReadingTokenizer();
});
