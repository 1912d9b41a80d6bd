// `npx tsx scripts/reindex.ts`: rebuilds the Meilisearch index from the database into a new index
// and swaps it in (searches never see an empty index), applying the current index settings.
// The embedded engine lives inside the server process and is rebuilt at every start instead.
import { openDatabase } from "../db/client.server";
import { migrateDatabase } from "../db/migrate.server";
import { loadSearchDocuments } from "../search/documents.server";
import { createSearchEngine } from "../search/engine.server";
import { MeiliSearchEngine } from "../search/meilisearch.server";

function progressBar(done: number, total: number): string {
  const width = 30;
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} (${Math.round(ratio * 100)}%)`;
}

async function main() {
  const engine = createSearchEngine();
  if (!(engine instanceof MeiliSearchEngine)) {
    console.log("埋め込み検索エンジンはサーバー起動時にデータベースから毎回作り直されます。MEILI_HOST を設定すると Meilisearch の索引を再構築します。");
    console.log("(The embedded engine is rebuilt from the database at every server start; set MEILI_HOST to rebuild a Meilisearch index.)");
    return;
  }
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const started = performance.now();
    const documents = await loadSearchDocuments(handle.db);
    console.log(`${documents.length} 件の資源を読み込みました (${Math.round(performance.now() - started)} ms)`);
    const tty = process.stderr.isTTY;
    await engine.replaceAll(documents, (done, total) => {
      if (tty) process.stderr.write(`\r索引を作成中 ${progressBar(done, total)}`);
      else process.stderr.write(`索引を作成中 ${progressBar(done, total)}\n`);
    });
    if (tty) process.stderr.write("\n");
    console.log(`索引 ${engine.indexUid} を入れ替えました: ${await engine.count()} 件 (${Math.round(performance.now() - started)} ms)`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
