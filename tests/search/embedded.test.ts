// The embedded engine against the shared contract, plus what only an in-process index can promise.
import { expect, test } from "vitest";
import { EmbeddedSearchEngine } from "../../search/embedded";
import type { SearchDocument } from "../../search/types";
import { CONTRACT_DOCUMENTS, runEngineContract } from "./engine-contract";

runEngineContract("embedded", () => new EmbeddedSearchEngine());

function copies(count: number, from = 0): SearchDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const template = CONTRACT_DOCUMENTS[i % CONTRACT_DOCUMENTS.length];
    return { ...template, id: `s${from + i}`, name: `${template.name} ${from + i}` };
  });
}

test("writes made while replaceAll is building are kept after the swap", async () => {
  const engine = new EmbeddedSearchEngine();
  await engine.replaceAll(CONTRACT_DOCUMENTS);
  // Large enough that the build yields to the event loop between chunks.
  const building = engine.replaceAll(copies(12_000));
  await engine.upsert([{ ...CONTRACT_DOCUMENTS[0], id: "late", name: "あとから来た居場所" }]);
  await engine.remove(["s5"]);
  // Until the swap, searches are answered by the old index.
  expect((await engine.health()).documents).toBe(CONTRACT_DOCUMENTS.length + 1);
  await building;
  expect((await engine.get("late"))?.name).toBe("あとから来た居場所");
  expect(await engine.get("s5")).toBeNull();
  expect((await engine.health()).documents).toBe(12_000);
});

test("the last of two overlapping replaceAll calls wins", async () => {
  const engine = new EmbeddedSearchEngine();
  const first = engine.replaceAll(copies(11_000));
  const second = engine.replaceAll(CONTRACT_DOCUMENTS);
  await Promise.all([first, second]);
  expect((await engine.health()).documents).toBe(CONTRACT_DOCUMENTS.length);
});

test("many updates compact the index without changing results", async () => {
  const engine = new EmbeddedSearchEngine();
  await engine.replaceAll(copies(500));
  for (let round = 0; round < 6; round++) {
    await engine.upsert(copies(500).map((d) => ({ ...d, description: `改訂${round}` })));
  }
  expect((await engine.health()).documents).toBe(500);
  const result = await engine.search({ text: "改訂5", limit: 0 });
  expect(result.total).toBe(500);
  expect((await engine.search({ text: "改訂4", limit: 0 })).total).toBe(0);
  expect((await engine.search({ text: "子育て", filters: { area: ["南部"] }, limit: 0 })).total).toBeGreaterThan(0);
});

test("duplicate ids in one batch: the last one wins", async () => {
  const engine = new EmbeddedSearchEngine();
  const base = CONTRACT_DOCUMENTS[0];
  await engine.replaceAll([base, { ...base, name: "二番目の名前" }]);
  expect((await engine.health()).documents).toBe(1);
  expect((await engine.get(base.id))?.name).toBe("二番目の名前");
});

test("a query over 10,000 documents answers in milliseconds", async () => {
  const engine = new EmbeddedSearchEngine();
  await engine.replaceAll(copies(10_000));
  const queries = [{ text: "サロン" }, { text: "こそだて", facets: ["kind" as const] }, { text: "体操 焼津" }, { filters: { kind: ["salon"] }, facets: ["area" as const] }];
  for (const query of queries) await engine.search(query); // warm up
  const started = performance.now();
  for (let i = 0; i < 20; i++) for (const query of queries) await engine.search(query);
  const perQuery = (performance.now() - started) / (20 * queries.length);
  // Generous for slow CI machines; measured well under 1 ms here.
  expect(perQuery).toBeLessThan(20);
});
