// `npx tsx scripts/match.ts --needs FILE.json [--json] [--limit N] [--today YYYY-MM-DD]`: suggestions
// for one person's needs over the current database (see app/matching/match-cli.server.ts and the
// README, 「Matching」). Exit code 0 done, 1 database or search failure, 2 bad arguments or needs file.
import { runMatchCli } from "../app/matching/match-cli.server";

runMatchCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("マッチングを実行できませんでした (matching failed):", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
