// `npx tsx scripts/import.ts FILE [--mapping M.json] [--dry-run] [--json] [--valid-only]
// [--source-key KEY] [--source-publisher …]`: imports one CSV file (see app/import/import-cli.server.ts
// and the README, 「Import with a mapping」). Exit code 0 done, 1 rejected rows or unreadable file, 2 bad arguments.
import { runImportCli } from "../app/import/import-cli.server";

runImportCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("取り込みに失敗しました。何も保存していません:", error);
    process.exitCode = 1;
  },
);
