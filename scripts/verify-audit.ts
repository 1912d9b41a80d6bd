// `npx tsx scripts/verify-audit.ts [--expect-head SEQ:HASH] [--json]`: walks the audit log's hash
// chain and exits 1, naming the rows, when a row was deleted (a gap in seq) or edited (its hash no
// longer matches). Keep the printed head somewhere else (a daily mail, a ticket) and pass it back
// with --expect-head to detect deletion of the newest rows as well.
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client.server";
import { verifyAuditChain } from "../app/utils/audit.server";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "expect-head": { type: "string" }, json: { type: "boolean" } } });
  let expectHead: { seq: number; hash: string } | undefined;
  if (values["expect-head"]) {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(values["expect-head"]);
    if (!match) {
      console.error("--expect-head は SEQ:HASH（例 1024:3fa4…）の形で指定してください");
      process.exitCode = 2;
      return;
    }
    expectHead = { seq: Number(match[1]), hash: match[2] };
  }
  const handle = await openDatabase();
  try {
    const result = await verifyAuditChain(handle.db, { expectHead });
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else if (result.ok) {
      console.log(`監査ログは正常です (audit chain intact): ${result.rows} 行`);
      if (result.head) console.log(`先頭 (head): ${result.head.seq}:${result.head.hash}`);
    } else {
      console.error(`監査ログに改ざん・欠落が見つかりました (audit chain broken): ${result.problems.length} 件`);
      for (const problem of result.problems) console.error(`  - ${problem}`);
    }
    if (!result.ok) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error("監査ログを検証できませんでした (verify failed):", error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
