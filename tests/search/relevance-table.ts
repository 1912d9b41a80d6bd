// Runs the relevance table (relevance-cases.ts) against one engine as a vitest suite. Call it from a
// *.test.ts file with a function that fills a fresh engine with the given documents, e.g.
//   runRelevanceTable("meilisearch", async (documents) => { …; await engine.replaceAll(documents); return engine; });
// The documents are the bundled open data as the app indexes it: imported into a test database
// and read with loadSearchDocuments (generated readings included).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSearchDocuments } from "../../search/documents.server";
import type { SearchDocument, SearchEngine } from "../../search/types";
import { createTestDatabaseWithOpenData } from "../helpers/db";
import { evaluateRelevanceCase, RELEVANCE_CASES, type RelevanceCategory } from "./relevance-cases";

export interface RelevanceRunOptions {
  /** Skip the whole table with this reason (e.g. no Meilisearch binary). */
  skip?: string;
  /** Called after the table, e.g. to stop a server. */
  cleanup?: () => Promise<void>;
}

/** The bundled open data as search documents (a fresh test database, closed again at once). */
export async function loadOpenDataDocuments(): Promise<SearchDocument[]> {
  const database = await createTestDatabaseWithOpenData();
  try {
    return await loadSearchDocuments(database.db);
  } finally {
    await database.cleanup();
  }
}

export function runRelevanceTable(
  engineName: string,
  makeFilledEngine: (documents: SearchDocument[]) => Promise<SearchEngine>,
  options: RelevanceRunOptions = {},
): void {
  describe.skipIf(Boolean(options.skip))(`${engineName}: relevance table over the bundled open data${options.skip ? ` (skipped: ${options.skip})` : ""}`, () => {
    let engine: SearchEngine;

    beforeAll(async () => {
      engine = await makeFilledEngine(await loadOpenDataDocuments());
    }, 180_000);

    afterAll(async () => {
      await options.cleanup?.();
    });

    test("the table has at least 40 cases and every kind of query", () => {
      expect(RELEVANCE_CASES.length).toBeGreaterThanOrEqual(40);
      const categories: RelevanceCategory[] = ["kanji", "hiragana", "katakana", "half-width", "full-width", "typo", "multi-word", "kind word", "weekday", "prefix", "synonym", "generated reading"];
      for (const category of categories) expect(RELEVANCE_CASES.some((c) => c.category === category), category).toBe(true);
    });

    test.each(RELEVANCE_CASES.map((c) => [c.category, c.query, c] as const))("%s: %s", async (_category, _query, relevanceCase) => {
      const outcome = await evaluateRelevanceCase(engine, relevanceCase);
      expect(outcome.problems, `${relevanceCase.why}\n  top ${relevanceCase.n}: ${outcome.top.join(" / ")}`).toEqual([]);
    });
  });
}
