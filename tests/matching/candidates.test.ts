// Candidate retrieval and the sample venues: the loader is idempotent and writes the search outbox
// in the same transaction; retrieval goes through the search engine (radius or area) and loads
// schedules and the サンプル flag from the database.
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { resources, searchOutbox, sources } from "../../db/schema";
import { loadSampleResources, readSampleResources } from "~/models/sample-data.server";
import { candidateQuery, loadCandidate, retrieveCandidates } from "~/matching/candidates.server";
import { explainCandidate } from "~/matching/engine";
import { parseNeeds, type NeedsInput } from "~/matching/needs";
import { EmbeddedSearchEngine } from "../../search/embedded";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { createTestDatabaseWithOpenData, type TestDatabase } from "../helpers/db";

let database: TestDatabase;
const engine = new EmbeddedSearchEngine();
let firstLoad: Awaited<ReturnType<typeof loadSampleResources>>;
let pendingAfterFirstLoad = 0;

function needs(input: NeedsInput) {
  const parsed = parseNeeds(input);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.needs;
}

beforeAll(async () => {
  database = await createTestDatabaseWithOpenData();
  const before = await database.db.select({ id: searchOutbox.id }).from(searchOutbox).where(isNull(searchOutbox.appliedAt));
  firstLoad = await loadSampleResources(database);
  const after = await database.db.select({ id: searchOutbox.id }).from(searchOutbox).where(isNull(searchOutbox.appliedAt));
  pendingAfterFirstLoad = after.length - before.length;
  await fillIndexFromDatabase(database, engine);
});

afterAll(async () => {
  await database?.cleanup();
});

test("the sample file holds about 40 fictional venues in the three bundled cities", () => {
  const file = readSampleResources();
  expect(file.resources.length).toBeGreaterThanOrEqual(38);
  expect(new Set(file.resources.map((r) => r.city))).toEqual(new Set(["焼津市", "下松市", "練馬区"]));
  expect(file.source).toMatchObject({ key: "sample", publisher: "地域資源ポータル（サンプル）", attribution: "サンプルデータ：架空の場所です" });
  for (const kind of ["salon", "ibasho", "chiiki_katsudo", "shuro_b", "work_experience", "volunteer", "kodomo_shokudo"]) {
    expect(file.resources.some((r) => r.kind === kind), kind).toBe(true);
  }
  expect(file.resources.some((r) => r.kind === "shuro_b" && r.conditions.includes("techo_fuyo"))).toBe(true);
});

test("loading the samples writes every venue once, published, with an outbox row each; a second load changes nothing", async () => {
  const count = readSampleResources().resources.length;
  expect(firstLoad).toEqual({ created: count, updated: 0, unchanged: 0 });
  expect(pendingAfterFirstLoad).toBe(count);
  const [source] = await database.db.select().from(sources).where(eq(sources.key, "sample"));
  const rows = await database.db.select().from(resources).where(eq(resources.sourceId, source.id));
  expect(rows).toHaveLength(count);
  expect(rows.every((row) => row.reviewStatus === "published")).toBe(true);

  const outboxBefore = await database.db.select({ id: searchOutbox.id }).from(searchOutbox);
  expect(await loadSampleResources(database.db)).toEqual({ created: 0, updated: 0, unchanged: count });
  const outboxAfter = await database.db.select({ id: searchOutbox.id }).from(searchOutbox);
  expect(outboxAfter).toHaveLength(outboxBefore.length);
});

test("a changed sample venue is updated in place, not duplicated", async () => {
  const [source] = await database.db.select().from(sources).where(eq(sources.key, "sample"));
  const [row] = await database.db
    .select()
    .from(resources)
    .where(and(eq(resources.sourceId, source.id), eq(resources.sourceRowId, "yaizu-salon-hamadori")));
  await database.db.update(resources).set({ name: "書き換えられた名前" }).where(eq(resources.id, row.id));
  const summary = await loadSampleResources(database);
  expect(summary.updated).toBe(1);
  const [restored] = await database.db.select().from(resources).where(eq(resources.id, row.id));
  expect(restored.name).toBe("浜通りいきいきサロン");
});

test("retrieval by location: active places of participation kinds within the travel limit, nearest first", async () => {
  const home = { lat: 34.866, lon: 138.318 };
  const candidates = await retrieveCandidates(database, engine, needs({ location: home, maxDistanceKm: 3 }));
  expect(candidates.length).toBeGreaterThan(10);
  expect(candidates.every((c) => c.status === "active")).toBe(true);
  expect(candidates.some((c) => ["day_service", "care_service", "consultation", "after_school"].includes(c.kind))).toBe(false);
  expect(candidates.some((c) => c.name === "居場所 きらり（休止中）")).toBe(false);
  const salon = candidates.find((c) => c.name === "浜通りいきいきサロン")!;
  expect(salon).toMatchObject({ sample: true, kind: "salon", conditions: expect.arrayContaining(["kengaku"]), lastVerifiedOn: "2026-10-01" });
  expect(salon.schedules).toEqual([{ rrule: "FREQ=WEEKLY;BYDAY=TU", startsOn: "2025-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: [] }]);
  const real = candidates.find((c) => c.kind === "kominkan")!;
  expect(real.sample).toBe(false);
  expect(candidateQuery(needs({ location: home, maxDistanceKm: 3 })).radius).toEqual({ center: home, radiusMeters: 3000 });
});

test("retrieval by area only finds the places of that municipality", async () => {
  const candidates = await retrieveCandidates(database, engine, needs({ area: "下松市" }));
  expect(candidates.length).toBeGreaterThan(5);
  expect(candidates.every((c) => c.city === "下松市" || c.area === "下松市")).toBe(true);
});

test("retrieval stops at the cap", async () => {
  const candidates = await retrieveCandidates(database, engine, needs({}), { limit: 150 });
  expect(candidates).toHaveLength(150);
});

test("loadCandidate returns a paused place, and the engine says why it is excluded", async () => {
  const [row] = await database.db.select({ id: resources.id }).from(resources).where(eq(resources.sourceRowId, "yaizu-ibasho-kirari"));
  const candidate = await loadCandidate(database, row.id);
  expect(candidate).toMatchObject({ status: "paused", sample: true });
  const explanation = explainCandidate(needs({ location: { lat: 34.866, lon: 138.318 } }), candidate!, "2026-11-30");
  expect(explanation.excluded).toBe(true);
  expect(explanation.reasons[0]).toBe("休止中");
  expect(await loadCandidate(database, 999_999)).toBeNull();
});
