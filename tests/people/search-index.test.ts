// Person data in no search index: after a case is recorded in full (intake, sensitive fields,
// assessment, placement, unmet need), both engines — the embedded one and a real Meilisearch when
// the binary is present — are filled from the database and searched for the person's name, kana,
// address and case number: nothing. Search documents are built from resources only.
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { resources, searchOutbox } from "../../db/schema";
import { EmbeddedSearchEngine } from "../../search/embedded";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { MeiliSearchEngine } from "../../search/meilisearch.server";
import type { SearchEngine } from "../../search/types";
import { makeUser } from "../accounts/helpers";
import { createTestDatabaseWithOpenData, type TestDatabase } from "../helpers/db";
import { findMeilisearchBinary, startMeilisearch, type MeiliServer } from "../helpers/meili";
import { parseNeeds } from "~/matching/needs";
import { createAssessment, createPlacement } from "~/people/casework.server";
import { createPerson, saveSensitiveFields } from "~/people/people.server";
import { recordUnmetNeed } from "~/people/unmet-needs.server";

const binary = findMeilisearchBinary();
let database: TestDatabase;
let meili: MeiliServer | null = null;
let caseNumber = "";
let placeName = "";
const PERSON = { name: "検索除外 まもる", nameKana: "けんさくじょがい まもる", address: "焼津市本町77-77 索引なし荘" };

beforeAll(async () => {
  database = await createTestDatabaseWithOpenData();
  const staff = await makeUser(database.db, { role: "staff", totp: true });
  const actor = { id: staff.id, role: "staff" as const };
  const created = await createPerson(database.db, {
    actor,
    values: { ...PERSON, area: "焼津市", latitude: 34.8672, longitude: 138.324, householdMode: "none", members: [], consentState: "agree", consentDate: "2026-11-01" },
  });
  if (created.kind !== "ok") throw new Error("intake failed");
  caseNumber = created.caseNumber;
  expect((await saveSensitiveFields(database.db, { actor, caseNumber, values: { healthNote: "索引に出てはいけない健康メモ", diagnosis: "索引外診断" } })).kind).toBe("ok");
  const needs = parseNeeds({ wants: ["居場所"], interests: ["料理"] });
  if (!needs.ok) throw new Error(needs.errors.join());
  expect((await createAssessment(database.db, { actor, caseNumber, needs: needs.needs, assessedOn: "2026-11-10", freeText: "索引に出てはいけない自由記述" })).kind).toBe("ok");
  const [place] = await database.db.select({ id: resources.id, name: resources.name }).from(resources).where(eq(resources.reviewStatus, "published")).limit(1);
  placeName = place.name;
  expect((await createPlacement(database.db, { actor, caseNumber, resourceId: place.id, note: "索引に出てはいけないメモ" })).kind).toBe("ok");
  expect((await recordUnmetNeed(database.db, { actor, caseNumber, note: "索引に出てはいけない不足メモ" })).kind).toBe("ok");
  if (binary) meili = await startMeilisearch(binary);
}, 180_000);
afterAll(async () => {
  await meili?.stop();
  await database?.cleanup();
});

const QUERIES = () => [PERSON.name, "検索除外", "けんさくじょがい", "索引なし荘", caseNumber, "索引に出てはいけない", "索引外診断"];

async function expectNoPersonIn(engine: SearchEngine) {
  const indexed = await fillIndexFromDatabase(database, engine);
  const [{ n }] = await database.db.select({ n: count() }).from(resources);
  expect(indexed).toBe(n);
  // The index answers at all (a place's own name is found), so the zeros below mean something.
  expect((await engine.search({ text: placeName, limit: 5 })).total, engine.name).toBeGreaterThan(0);
  for (const text of QUERIES()) {
    const found = await engine.search({ text, limit: 5 });
    expect(found.total, `${engine.name}: ${text}`).toBe(0);
  }
}

test("the embedded engine holds no trace of the person", async () => {
  await expectNoPersonIn(new EmbeddedSearchEngine());
  const outbox = await database.db.select({ resourceId: searchOutbox.resourceId }).from(searchOutbox);
  const ids = new Set((await database.db.select({ id: resources.id }).from(resources)).map((r) => r.id));
  expect(outbox.every((row) => ids.has(row.resourceId))).toBe(true);
});

if (binary) {
  test("a real Meilisearch holds no trace of the person", { timeout: 240_000 }, async () => {
    const engine = new MeiliSearchEngine({ host: meili!.host, searchKey: meili!.masterKey, adminKey: meili!.masterKey, indexUid: `people_${process.pid}` });
    await engine.ensureIndex();
    await expectNoPersonIn(engine);
  });
} else {
  test("Meilisearch variant not run: no binary (set MEILI_BIN or run `npm run setup:meili`)", () => {
    expect(process.env.CI, "CI must run the Meilisearch tests: the binary is missing").not.toBe("true");
  });
}
