// The import against a real database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set):
// a second run changes nothing, a real change is written once with its outbox row, and every
// resource carries its source's attribution.
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { resources, schedules, searchOutbox, sources } from "../../db/schema";
import { importOpenData, type ImportFileSummary } from "../../app/import/open-data.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

let database: TestDatabase;
let firstRun: ImportFileSummary[];

beforeAll(async () => {
  database = await createTestDatabase();
  firstRun = await importOpenData(database, { today: "2026-11-01" });
}, 120_000);

afterAll(async () => {
  await database?.cleanup();
});

async function outboxRows(): Promise<number> {
  const [{ n }] = await database.db.select({ n: count() }).from(searchOutbox);
  return n;
}

test("the first run creates every resource and one outbox row for each", async () => {
  const created = firstRun.reduce((sum, summary) => sum + summary.imported, 0);
  expect(firstRun.map((summary) => [summary.sourceKey, summary.imported])).toEqual([
    ["yaizu-child-rearing-support-center", 9],
    ["yaizu-community-center", 9],
    ["yaizu-yohairyosya", 146],
    ["yaizu-public-facility", 8],
    ["kudamatsu-care-service", 62],
    ["tokyo-kodomo-shokudo", 769],
  ]);
  const [{ n }] = await database.db.select({ n: count() }).from(resources);
  expect(n).toBe(created);
  expect(await outboxRows()).toBe(created);
});

test("a second run creates nothing, updates nothing and adds no outbox rows", async () => {
  const outboxBefore = await outboxRows();
  const [{ latest }] = await database.db.select({ latest: sql<string>`max(${resources.updatedAt})::text` }).from(resources);

  // Another day: the anchor date of sources without a data date must not count as a change.
  const secondRun = await importOpenData(database, { today: "2026-12-24" });

  expect(secondRun.map((summary) => [summary.imported, summary.updated])).toEqual(secondRun.map(() => [0, 0]));
  expect(secondRun.map((summary) => summary.unchanged)).toEqual(firstRun.map((summary) => summary.imported));
  expect(await outboxRows()).toBe(outboxBefore);
  const [{ latestAfter }] = await database.db.select({ latestAfter: sql<string>`max(${resources.updatedAt})::text` }).from(resources);
  expect(latestAfter).toBe(latest);
});

test("resources carry their source and its attribution; Tokyo rows also credit their ward", async () => {
  const rows = await database.db
    .select({ name: resources.name, attribution: sources.attribution, licence: sources.licence, sourceNote: resources.sourceNote })
    .from(resources)
    .innerJoin(sources, eq(resources.sourceId, sources.id))
    .where(sql`${resources.name} in ('就労継続支援B型事業所 いっぽ西焼津', 'ニチイケアセンター下松', 'ハッピーお茶家ころころ')`);
  expect(rows).toHaveLength(3);
  const byName = new Map(rows.map((row) => [row.name, row]));
  expect(byName.get("就労継続支援B型事業所 いっぽ西焼津")?.attribution).toContain("出典：焼津市オープンデータ（焼津市）https://github.com/yaizu-city/opendata");
  expect(byName.get("就労継続支援B型事業所 いっぽ西焼津")?.attribution).toContain("を加工して作成");
  expect(byName.get("ニチイケアセンター下松")?.licence).toBe("CC BY 4.0");
  expect(byName.get("ハッピーお茶家ころころ")?.sourceNote).toBe("出典：練馬区「子ども食堂一覧」（クリエイティブ・コモンズ 表示(CC BY)）");

  const [{ orphans }] = await database.db
    .select({ orphans: count() })
    .from(resources)
    .where(sql`${resources.sourceId} is null or ${resources.sourceRowId} is null`);
  expect(orphans).toBe(0);
});

test("schedules derived from the text are stored with the resource", async () => {
  const rows = await database.db
    .select({ rrule: schedules.rrule, startTime: schedules.startTime, endTime: schedules.endTime, startsOn: schedules.startsOn })
    .from(schedules)
    .innerJoin(resources, eq(schedules.resourceId, resources.id))
    .where(eq(resources.name, "港地域交流センター"));
  expect(rows).toEqual([{ rrule: "FREQ=WEEKLY;BYDAY=TU,WE,TH,FR,SA,SU", startTime: "09:00", endTime: "21:30", startsOn: "2026-06-30" }]);
});

test("a real change is written once: the resource is updated, its outbox row added, then stable again", async () => {
  const [center] = await database.db.select().from(resources).where(eq(resources.name, "港地域交流センター"));
  await database.db.update(resources).set({ name: "手で書き換えた名前" }).where(eq(resources.id, center.id));
  await database.db.delete(schedules).where(eq(schedules.resourceId, center.id));
  const outboxBefore = await outboxRows();

  const [repair] = await importOpenData(database, { files: ["yaizu-community-center"] });
  expect(repair).toMatchObject({ imported: 0, updated: 1, unchanged: 8 });
  expect(await outboxRows()).toBe(outboxBefore + 1);
  const [restored] = await database.db.select().from(resources).where(eq(resources.id, center.id));
  expect(restored.name).toBe("港地域交流センター");
  expect(restored.updatedAt.getTime()).toBeGreaterThan(center.updatedAt.getTime());
  const [{ n }] = await database.db.select({ n: count() }).from(schedules).where(eq(schedules.resourceId, center.id));
  expect(n).toBe(1);

  const [again] = await importOpenData(database, { files: ["yaizu-community-center"] });
  expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 9 });
});

test("a malformed file is reported row by row and its good rows still import", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "open-data-"));
  try {
    await mkdir(path.join(dir, "yaizu"));
    await cp(new URL("../fixtures/import/malformed.csv", import.meta.url), path.join(dir, "yaizu", "222127_community_center.csv"));
    const [summary] = await importOpenData(database, { dir, files: ["yaizu/222127_community_center.csv", "no-such-file.csv"] }).then(
      (summaries) => summaries.filter((item) => item.sourceKey === "yaizu-community-center"),
    );
    expect(summary).toMatchObject({ rowsRead: 4, imported: 2, byKind: { kominkan: 2 } });
    expect(summary.skipped.map((skip) => [skip.row, skip.reason.slice(0, 6)])).toEqual([
      [3, "列の数が見出"],
      [4, "値の途中に引"],
    ]);

    const missing = await importOpenData(database, { dir, files: ["kudamatsu-care-service", "no-such-file.csv"] });
    expect(missing.map((item) => [item.file, item.skipped[0]?.reason])).toEqual([
      ["no-such-file.csv", "取り込み対象として登録されていないファイル"],
      ["kudamatsu/352071_care_service.csv", "ファイルが見つからない"],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
