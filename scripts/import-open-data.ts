// `npx tsx scripts/import-open-data.ts [--json] [file-or-source-key …]`: imports the bundled open
// data (db/open-data/) into the database (DATABASE_URL, else PGlite in .data/pglite or PGLITE_DIR)
// and prints per file what was read, created, updated, left unchanged and skipped, and why.
import { openDatabase } from "../db/client.server";
import { migrateDatabase } from "../db/migrate.server";
import { kindLabel } from "../db/vocabulary";
import { importOpenData, type ImportFileSummary } from "../app/import/open-data.server";

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

function printSummary(summary: ImportFileSummary): void {
  const lines = [
    `■ ${summary.file}${summary.sourceKey ? `（${summary.sourceKey}、${summary.encoding ?? "-"}）` : ""}`,
    `  読み込み ${summary.rowsRead} 行 / 新規 ${summary.imported} / 更新 ${summary.updated} / 変更なし ${summary.unchanged} / 対象外 ${summary.skipped.length}`,
  ];
  const kinds = Object.entries(summary.byKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    lines.push("  種別:");
    for (const [kind, n] of kinds) lines.push(`    ${String(n).padStart(4)}  ${kindLabel(kind)} (${kind})`);
  }
  if (summary.skipped.length > 0) {
    lines.push("  対象外の理由:");
    for (const [reason, n] of countBy(summary.skipped, (skip) => skip.reason)) lines.push(`    ${String(n).padStart(4)}  ${reason}`);
    // Unreadable rows are few and need fixing by hand: show where they are.
    const unreadable = summary.skipped.filter((skip) => /引用符|列の数|ファイル|CSV/.test(skip.reason));
    for (const skip of unreadable.slice(0, 20)) {
      lines.push(`          ${skip.row} 行目${skip.line ? `（ファイルの ${skip.line} 行目）` : ""}: ${skip.reason}${skip.detail ? ` — ${skip.detail}` : ""}`);
    }
  }
  console.log(lines.join("\n"));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const files = args.filter((arg) => !arg.startsWith("--"));

  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const summaries = await importOpenData(handle, { files: files.length > 0 ? files : undefined });
    if (json) {
      console.log(JSON.stringify(summaries, null, 2));
    } else {
      console.log(`データベース: ${handle.engine}（${handle.location}）\n`);
      summaries.forEach((summary) => {
        printSummary(summary);
        console.log("");
      });
      const total = summaries.reduce(
        (sum, s) => ({ read: sum.read + s.rowsRead, created: sum.created + s.imported, updated: sum.updated + s.updated, skipped: sum.skipped + s.skipped.length }),
        { read: 0, created: 0, updated: 0, skipped: 0 },
      );
      console.log(`合計: 読み込み ${total.read} 行 / 新規 ${total.created} / 更新 ${total.updated} / 対象外 ${total.skipped}`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error("取り込みに失敗しました (import failed):", error);
  process.exitCode = 1;
});
