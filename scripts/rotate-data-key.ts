// `npm run rotate:data-key [-- --dry-run] [-- --json]`: re-encrypts every personal free-text and
// sensitive column with the first key of DATA_ENCRYPTION_KEYS (and encrypts values written before
// encryption was on). Rotate a key in three steps:
//   1. put the new key first and keep the old one: DATA_ENCRYPTION_KEYS="k2:<new>,k1:<old>"
//      (restart the app: new writes use k2, old values still open with k1);
//   2. run this script;
//   3. remove k1 from DATA_ENCRYPTION_KEYS.
// A value that no configured key opens stops the script (exit 1) with the table, column and row.
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client.server";
import { recordAudit } from "../app/utils/audit.server";
import { rotateEncryptedColumns } from "../app/utils/encrypted-columns.server";
import { dataKeys } from "../app/utils/field-crypto.server";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "dry-run": { type: "boolean" }, json: { type: "boolean" } } });
  const keys = dataKeys();
  const handle = await openDatabase();
  try {
    const counts = await rotateEncryptedColumns(handle.db, keys, {
      dryRun: values["dry-run"],
      onProgress: values.json ? undefined : (c) => process.stderr.write(`\r${c.table}.${c.column}: ${c.rotated} 件`),
    });
    const total = counts.reduce((sum, c) => sum + c.rotated, 0);
    if (!values["dry-run"]) {
      await recordAudit(handle.db, { action: "data.key-rotation", recordType: "key", recordId: keys[0]!.id, purpose: `${total}件を再暗号化` });
    }
    if (values.json) console.log(JSON.stringify({ key: keys[0]!.id, dryRun: Boolean(values["dry-run"]), total, columns: counts }, null, 2));
    else {
      process.stderr.write("\n");
      for (const c of counts) if (c.rotated > 0) console.log(`${c.table}.${c.column}: ${c.rotated}件（うち平文 ${c.wasPlaintext}件）`);
      console.log(`${values["dry-run"] ? "再暗号化が必要な値" : "再暗号化した値"}: ${total}件（現在の鍵: ${keys[0]!.id}）`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error("鍵の切り替えに失敗しました (rotation failed):", error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
