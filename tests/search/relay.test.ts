// The outbox relay and the index fill: resource writes reach the engine through search_outbox,
// once, in order, and an engine failure loses nothing.
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { resources, searchOutbox } from "../../db/schema";
import { EmbeddedSearchEngine } from "../../search/embedded";
import { fillIndexFromDatabase, indexStatus, setSearchEngine } from "../../search/engine.server";
import { enqueueSearchUpdates } from "../../search/outbox.server";
import { outboxLag, relayOutboxOnce, startOutboxRelay } from "../../search/relay.server";
import type { SearchDocument, SearchEngine } from "../../search/types";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.cleanup();
});

beforeEach(async () => {
  // One database per file, emptied before each test: fresh copies cost about a second each.
  await database.execute("TRUNCATE resources, schedules, search_outbox RESTART IDENTITY CASCADE");
});

/** Inserts resources and their outbox rows in one transaction, as the app's writes do. */
async function createResources(names: string[]): Promise<number[]> {
  return database.db.transaction(async (tx) => {
    const rows = await tx
      .insert(resources)
      .values(names.map((name) => ({ name, kind: "salon", area: "中部" })))
      .returning({ id: resources.id });
    const ids = rows.map((r) => r.id);
    await enqueueSearchUpdates(tx, ids);
    return ids;
  });
}

async function outboxRows() {
  return database.db.select().from(searchOutbox).orderBy(asc(searchOutbox.id));
}

/** An engine that counts what it is asked to do, and can be told to fail. */
class RecordingEngine extends EmbeddedSearchEngine {
  upserts: string[][] = [];
  removals: string[][] = [];
  failWith: string | null = null;

  override async upsert(documents: SearchDocument[]): Promise<void> {
    if (this.failWith) throw new Error(this.failWith);
    this.upserts.push(documents.map((d) => d.id));
    await super.upsert(documents);
  }

  override async remove(ids: string[]): Promise<void> {
    if (this.failWith) throw new Error(this.failWith);
    this.removals.push(ids);
    await super.remove(ids);
  }
}

test("relayed rows put the resources in the index and are marked applied", async () => {
  const engine = new RecordingEngine();
  const ids = await createResources(["いきいきサロン浜当目", "ふれあいサロン本町"]);
  expect(await outboxLag(database)).toMatchObject({ pending: 2 });

  const result = await relayOutboxOnce(database, engine);
  expect(result).toEqual({ claimed: 2, upserted: 2, removed: 0 });
  expect((await engine.get(String(ids[0])))?.name).toBe("いきいきサロン浜当目");
  expect((await engine.search({ text: "さろん" })).total).toBe(2);
  expect((await outboxRows()).every((row) => row.appliedAt !== null)).toBe(true);
  expect(await outboxLag(database)).toEqual({ pending: 0, oldestPendingSeconds: 0 });
});

test("a second run applies nothing twice", async () => {
  const engine = new RecordingEngine();
  await createResources(["サロンA", "サロンB"]);
  await relayOutboxOnce(database, engine);
  const again = await relayOutboxOnce(database, engine);
  expect(again).toEqual({ claimed: 0, upserted: 0, removed: 0 });
  expect(engine.upserts).toHaveLength(1);
});

test("a delete removes the resource from the index", async () => {
  const engine = new RecordingEngine();
  const [id] = await createResources(["閉じるサロン"]);
  await relayOutboxOnce(database, engine);
  await database.db.transaction(async (tx) => {
    await tx.delete(resources).where(eq(resources.id, id));
    await enqueueSearchUpdates(tx, [id], "delete");
  });
  const result = await relayOutboxOnce(database, engine);
  expect(result).toMatchObject({ claimed: 1, removed: 1, upserted: 0 });
  expect(await engine.get(String(id))).toBeNull();
});

test("rows of one resource are coalesced: the latest operation wins", async () => {
  const engine = new RecordingEngine();
  const [id] = await createResources(["すぐ消えるサロン"]);
  await enqueueSearchUpdates(database.db, [id]);
  await database.db.delete(resources).where(eq(resources.id, id));
  await enqueueSearchUpdates(database.db, [id], "delete");
  const result = await relayOutboxOnce(database, engine);
  expect(result).toEqual({ claimed: 3, upserted: 0, removed: 1 });
  expect(engine.upserts).toEqual([]);
});

test("an upsert row for a resource that no longer exists removes it from the index", async () => {
  const engine = new RecordingEngine();
  const [id] = await createResources(["消されたサロン"]);
  await relayOutboxOnce(database, engine);
  await database.db.delete(resources).where(eq(resources.id, id));
  await enqueueSearchUpdates(database.db, [id]); // an 'upsert' written by mistake
  await relayOutboxOnce(database, engine);
  expect(await engine.get(String(id))).toBeNull();
});

test("an update is relayed with the resource as it is now in the database", async () => {
  const engine = new RecordingEngine();
  const [id] = await createResources(["旧い名前のサロン"]);
  await relayOutboxOnce(database, engine);
  await database.db.transaction(async (tx) => {
    await tx.update(resources).set({ name: "新しい名前のサロン", updatedAt: sql`now()` }).where(eq(resources.id, id));
    await enqueueSearchUpdates(tx, [id]);
  });
  await relayOutboxOnce(database, engine);
  expect((await engine.get(String(id)))?.name).toBe("新しい名前のサロン");
  expect((await engine.search({ text: "旧い" })).total).toBe(0);
});

test("an engine failure leaves the rows pending with attempts and the error recorded", async () => {
  const engine = new RecordingEngine();
  engine.failWith = "index unreachable";
  const [id] = await createResources(["待たされるサロン"]);

  const failed = await relayOutboxOnce(database, engine);
  expect(failed.claimed).toBe(1);
  expect(failed.error).toContain("index unreachable");
  const [row] = await outboxRows();
  expect(row).toMatchObject({ appliedAt: null, attempts: 1 });
  expect(row.lastError).toContain("index unreachable");
  await relayOutboxOnce(database, engine);
  expect((await outboxRows())[0].attempts).toBe(2);
  expect((await outboxLag(database)).pending).toBe(1);

  engine.failWith = null;
  const recovered = await relayOutboxOnce(database, engine);
  expect(recovered).toEqual({ claimed: 1, upserted: 1, removed: 0 });
  expect((await engine.get(String(id)))?.name).toBe("待たされるサロン");
  expect((await outboxLag(database)).pending).toBe(0);
});

test("rows are claimed in id order, a batch at a time", async () => {
  const engine = new RecordingEngine();
  const ids = await createResources(["一", "二", "三", "四", "五"]);
  const sizes: number[] = [];
  for (;;) {
    const result = await relayOutboxOnce(database, engine, { batchSize: 2 });
    if (result.claimed === 0) break;
    sizes.push(result.claimed);
  }
  expect(sizes).toEqual([2, 2, 1]);
  expect(engine.upserts.flat()).toEqual(ids.map(String));
});

test("relays on two engines split the rows between them, each row once (SKIP LOCKED)", async () => {
  const first = new RecordingEngine();
  const second = new RecordingEngine();
  const ids = await createResources(Array.from({ length: 40 }, (_, i) => `サロン${i}`));
  const drain = async (engine: SearchEngine) => {
    while ((await relayOutboxOnce(database, engine, { batchSize: 5 })).claimed > 0);
  };
  await Promise.all([drain(first), drain(second)]);
  const applied = [...first.upserts.flat(), ...second.upserts.flat()].sort((a, b) => Number(a) - Number(b));
  expect(applied).toEqual(ids.map(String));
  expect((await outboxLag(database)).pending).toBe(0);
});

test("startOutboxRelay relays in the background and stops cleanly", async () => {
  const engine = new RecordingEngine();
  const stop = startOutboxRelay(database, engine, { intervalMs: 10 });
  try {
    const [id] = await createResources(["バックグラウンドのサロン"]);
    await expect.poll(() => engine.get(String(id)), { timeout: 5000, interval: 20 }).not.toBeNull();
  } finally {
    await stop();
  }
});

test("startOutboxRelay backs off after failures and reports them", async () => {
  const engine = new RecordingEngine();
  engine.failWith = "down";
  const errors: unknown[] = [];
  await createResources(["落ちているあいだのサロン"]);
  const stop = startOutboxRelay(database, engine, { intervalMs: 10, maxBackoffMs: 40, onError: (e) => errors.push(e) });
  try {
    await expect.poll(() => errors.length, { timeout: 5000, interval: 20 }).toBeGreaterThanOrEqual(2);
    engine.failWith = null;
    await expect.poll(async () => (await outboxLag(database)).pending, { timeout: 5000, interval: 20 }).toBe(0);
  } finally {
    await stop();
  }
  expect(String(errors[0])).toContain("down");
});

test("fillIndexFromDatabase loads every resource into the engine and indexStatus reports it", async () => {
  const engine = new EmbeddedSearchEngine();
  setSearchEngine(engine);
  await createResources(["サロンA", "サロンB", "サロンC"]);
  expect((await indexStatus()).ready).toBe(false);

  expect(await fillIndexFromDatabase(database)).toBe(3);
  const status = await indexStatus(database);
  expect(status).toMatchObject({ ok: true, engine: "embedded", documents: 3, ready: true, lastFillError: null });
  expect(status.filledAt).not.toBeNull();
  // The fill's snapshot already holds what the pending rows describe: they are not relayed again.
  expect(status.outbox).toMatchObject({ pending: 0 });
});

test("a change committed after the fill's snapshot still reaches the index through the relay", async () => {
  const engine = new RecordingEngine();
  await createResources(["サロンA"]);
  expect(await fillIndexFromDatabase(database, engine)).toBe(1);
  const [late] = await createResources(["あとから来たサロン"]);
  expect(await engine.get(String(late))).toBeNull();
  await relayOutboxOnce(database, engine);
  expect((await engine.get(String(late)))?.name).toBe("あとから来たサロン");
  expect(engine.upserts).toEqual([[String(late)]]);
});
