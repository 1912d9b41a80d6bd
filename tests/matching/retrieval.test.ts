// Retrieval gathers the candidate documents with cheap pages (name order within a smaller radius,
// then the rest of the distance order); it must find exactly the documents that paging the whole
// distance order finds: the `cap` nearest (every hit when there are fewer), for any radius and cap.
import { expect, test } from "vitest";
import { candidateQuery, searchDocuments } from "~/matching/candidates.server";
import type { Needs } from "~/matching/needs";
import { kindLabel } from "../../db/vocabulary";
import { EmbeddedSearchEngine } from "../../search/embedded";
import type { SearchDocument, SearchEngine, SearchQuery } from "../../search/types";
import { CENTRE, syntheticCandidates, syntheticNeeds } from "./synthetic";

function documentsOf(count: number): SearchDocument[] {
  return syntheticCandidates(count, 77).map((c) => ({
    id: String(c.id),
    name: c.name,
    reading: `ばしょ${c.id}`,
    kind: c.kind,
    kindLabel: kindLabel(c.kind),
    services: c.services,
    activities: c.activities,
    description: c.description ?? "",
    targetGroups: c.targetGroups,
    conditions: c.conditions,
    area: c.area,
    address: `静岡県焼津市${c.id}`,
    weekdays: [],
    timeBands: [],
    costBand: "unknown",
    status: c.status,
    location: c.latitude === null || c.longitude === null ? null : { lat: c.latitude, lon: c.longitude },
    schedules: c.schedules,
    hoursNote: c.hoursNote,
    updatedAt: 0,
  }));
}

/** What retrieval did before: page the query in its own order until `cap` documents are held. */
async function pagedInOrder(engine: SearchEngine, query: SearchQuery, cap: number): Promise<number[]> {
  const ids = new Set<number>();
  for (let offset = 0; ids.size < cap; offset += 100) {
    const result = await engine.search({ ...query, offset, limit: Math.min(100, cap - ids.size) });
    for (const hit of result.hits) ids.add(Number(hit.document.id));
    if (result.hits.length === 0 || offset + 100 >= result.total) break;
  }
  return [...ids].sort((a, b) => a - b);
}

test("the candidate documents are the cap nearest, as paging the distance order finds them", async () => {
  const engine = new EmbeddedSearchEngine();
  await engine.replaceAll(documentsOf(6000));
  const people: Needs[] = [
    ...syntheticNeeds(30, 21),
    { ...syntheticNeeds(1, 3)[0], location: CENTRE, maxDistanceKm: 10, maxMinutes: undefined, transport: undefined },
    { ...syntheticNeeds(1, 4)[0], location: CENTRE, maxDistanceKm: 0.3, maxMinutes: undefined, transport: undefined },
  ];
  let beyondCap = 0;
  for (const needs of people) {
    const query = candidateQuery(needs);
    for (const cap of [2000, 700, 150, 100, 30]) {
      const expected = await pagedInOrder(engine, query, cap);
      const found = [...(await searchDocuments(engine, query, cap)).keys()].sort((a, b) => a - b);
      expect(found).toEqual(expected);
      if (query.radius && expected.length === cap) beyondCap++;
    }
  }
  // The cases that need the smaller radius and the distance order after it were exercised.
  expect(beyondCap).toBeGreaterThan(20);
});

test("when the index changes between pages, retrieval falls back to paging the distance order", async () => {
  const inner = new EmbeddedSearchEngine();
  await inner.replaceAll(documentsOf(3000));
  const query = candidateQuery({ ...syntheticNeeds(1, 3)[0], location: CENTRE, maxDistanceKm: 10, maxMinutes: undefined, transport: undefined });
  const expected = await pagedInOrder(inner, query, 2000);
  // An engine whose name-ordered pages report a different total (a document added meanwhile).
  let shifted = false;
  const engine: SearchEngine = Object.assign(Object.create(inner) as SearchEngine, {
    async search(q: SearchQuery) {
      const result = await inner.search(q);
      if (q.sort === "name") {
        shifted = true;
        return { ...result, total: result.total + 1 };
      }
      return result;
    },
  });
  const found = [...(await searchDocuments(engine, query, 2000)).keys()].sort((a, b) => a - b);
  expect(shifted).toBe(true);
  expect(found).toEqual(expected);
});
