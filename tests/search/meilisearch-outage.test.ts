// Outage: with a real Meilisearch, stop it, write 1,000 resource changes, start it again; the
// outbox relay catches up and the index equals the database. Skipped (and said so) without a
// Meilisearch binary; in CI a missing binary fails.
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, expect, test } from "vitest";
import { resources } from "../../db/schema";
import { loadSearchDocuments } from "../../search/documents.server";
import { MeiliSearchEngine } from "../../search/meilisearch.server";
import { enqueueSearchUpdates } from "../../search/outbox.server";
import { outboxLag, startOutboxRelay } from "../../search/relay.server";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { createTestDatabaseWithOpenData } from "../helpers/db";
import { findMeilisearchBinary, startMeilisearch } from "../helpers/meili";

const binary = findMeilisearchBinary();

if (!binary) {
  test("Meilisearch outage test skipped: no binary (set MEILI_BIN or run `npm run setup:meili`)", () => {
    expect(process.env.CI, "CI must run the Meilisearch tests: the binary is missing").not.toBe("true");
  });
} else {
  const server = await startMeilisearch(binary);
  afterAll(() => server.stop());

  test("writes made while Meilisearch is down reach the index once it is back, nothing lost or doubled", { timeout: 240_000 }, async () => {
    const database = await createTestDatabaseWithOpenData();
    const engine = new MeiliSearchEngine({ host: server.host, searchKey: server.masterKey, adminKey: server.masterKey, indexUid: `outage_${process.pid}` });
    const relayErrors: unknown[] = [];
    let stopRelay: (() => Promise<void>) | undefined;
    try {
      await engine.ensureIndex();
      const initial = await fillIndexFromDatabase(database, engine);
      expect(initial).toBeGreaterThan(900);
      stopRelay = startOutboxRelay(database, engine, { intervalMs: 100, maxBackoffMs: 1000, onError: (e) => relayErrors.push(e) });

      await server.stop();

      // 1,000 writes in the shape the app makes them: the change and its outbox row in one transaction.
      const existing = (await database.db.select({ id: resources.id }).from(resources).orderBy(resources.id)).map((r) => r.id);
      const toUpdate = existing.slice(0, 300);
      const toDelete = existing.slice(300, 400);
      for (let batch = 0; batch < 6; batch++) {
        await database.db.transaction(async (tx) => {
          const created = await tx
            .insert(resources)
            .values(Array.from({ length: 100 }, (_, i) => ({ name: `停電テスト居場所${batch * 100 + i}`, nameKana: "テイデンテストイバショ", kind: "ibasho", area: "テスト地区" })))
            .returning({ id: resources.id });
          await enqueueSearchUpdates(tx, created.map((r) => r.id));
        });
      }
      for (let i = 0; i < toUpdate.length; i += 50) {
        const ids = toUpdate.slice(i, i + 50);
        await database.db.transaction(async (tx) => {
          await tx.update(resources).set({ name: sql`${resources.name} || '（更新）'`, updatedAt: new Date() }).where(inArray(resources.id, ids));
          await enqueueSearchUpdates(tx, ids);
        });
      }
      for (const id of toDelete) {
        await database.db.transaction(async (tx) => {
          await tx.delete(resources).where(eq(resources.id, id));
          await enqueueSearchUpdates(tx, [id], "delete");
        });
      }

      // The relay keeps failing while the engine is down: rows stay pending, attempts counted.
      await new Promise((r) => setTimeout(r, 1500));
      expect(relayErrors.length).toBeGreaterThan(0);
      const duringOutage = await outboxLag(database);
      expect(duringOutage.pending).toBeGreaterThanOrEqual(1000);

      await server.restart();
      const deadline = Date.now() + 120_000;
      while ((await outboxLag(database)).pending > 0) {
        if (Date.now() > deadline) throw new Error("the relay did not catch up within 120 s");
        await new Promise((r) => setTimeout(r, 200));
      }

      const inDatabase = await loadSearchDocuments(database.db);
      expect(await engine.count()).toBe(inDatabase.length);
      // A sample of documents equals the database's version, including updated names.
      const sample = [...inDatabase.filter((d) => toUpdate.includes(Number(d.id))).slice(0, 20), ...inDatabase.filter((d) => d.name.startsWith("停電テスト")).slice(0, 20)];
      for (const document of sample) {
        const indexed = await engine.get(document.id);
        expect(indexed?.name).toBe(document.name);
        expect(indexed?.kind).toBe(document.kind);
      }
      for (const id of toDelete.slice(0, 20)) expect(await engine.get(String(id))).toBeNull();
      // Applying the same rows again changes nothing (idempotent): the result is still equal.
      await engine.upsert(sample);
      expect(await engine.count()).toBe(inDatabase.length);
      expect((await engine.search({ text: "停電テスト", limit: 0 })).total).toBe(600);
      expect((await engine.search({ text: "更新", limit: 0 })).total).toBe(300);
    } finally {
      await stopRelay?.();
      await database.cleanup();
    }
  });
}
