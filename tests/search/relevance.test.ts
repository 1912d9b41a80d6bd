// The relevance table on the embedded engine (the Meilisearch run uses the same runner).
import { EmbeddedSearchEngine } from "../../search/embedded";
import { runRelevanceTable } from "./relevance-table";

runRelevanceTable("embedded", async (documents) => {
  const engine = new EmbeddedSearchEngine();
  await engine.replaceAll(documents);
  return engine;
});
