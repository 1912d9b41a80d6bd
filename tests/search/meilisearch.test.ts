// The engine contract on a real Meilisearch server (test-only binary, see tests/helpers/meili.ts).
// Without a binary the suite says it was skipped; in CI (CI=true) a missing binary is a failure.
import { afterAll, describe, expect, test } from "vitest";
import { MeiliSearchEngine, quoteFilterValue } from "../../search/meilisearch.server";
import { findMeilisearchBinary, startMeilisearch, type MeiliServer } from "../helpers/meili";
import { runEngineContract } from "./engine-contract";
import { runRelevanceTable } from "./relevance-table";

const binary = findMeilisearchBinary();

if (!binary) {
  test("Meilisearch tests skipped: no binary (set MEILI_BIN or run `npm run setup:meili`)", () => {
    expect(process.env.CI, "CI must run the Meilisearch tests: the binary is missing").not.toBe("true");
  });
} else {
  const server: MeiliServer = await startMeilisearch(binary);
  afterAll(() => server.stop());
  let counter = 0;
  const makeEngine = async () => {
    const engine = new MeiliSearchEngine({
      host: server.host,
      searchKey: server.masterKey,
      adminKey: server.masterKey,
      indexUid: `contract_${process.pid}_${counter++}`,
    });
    await engine.ensureIndex();
    return engine;
  };

  runEngineContract("meilisearch", makeEngine);

  runRelevanceTable("meilisearch", async (documents) => {
    const engine = await makeEngine();
    await engine.replaceAll(documents);
    return engine;
  });

  describe("meilisearch specifics", () => {
    test("filter values are quoted and escaped, so user text cannot change the filter", () => {
      expect(quoteFilterValue('x" OR 1=1')).toBe('"x\\" OR 1=1"');
      expect(quoteFilterValue("a\\")).toBe('"a\\\\"');
    });

    test("an unreachable server is reported as unavailable, not as a bad query", async () => {
      const engine = new MeiliSearchEngine({ host: "http://127.0.0.1:9", searchKey: "k", adminKey: "k", timeoutMs: 500 });
      await expect(engine.search({ text: "サロン" })).rejects.toMatchObject({ name: "SearchUnavailableError" });
      expect((await engine.health()).ok).toBe(false);
    });
  });
}
