// `npm run purge [-- --dry-run] [-- --json]`: removes the records whose retention has passed
// (app/governance/retention.server.ts: closed cases, the person link of unmet needs, handled
// correction reports, read notifications, rate-limit events), one transaction, each class audited.
// Run it daily (cron / a scheduled task). --dry-run reports what would go.
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client.server";
import { getRetention, purgeExpired, RETENTION_CLASSES } from "../app/governance/retention.server";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "dry-run": { type: "boolean" }, json: { type: "boolean" } } });
  const handle = await openDatabase();
  try {
    const retention = await getRetention(handle.db);
    const report = await purgeExpired(handle.db, new Date(), { dryRun: values["dry-run"], retention });
    if (values.json) {
      console.log(JSON.stringify({ dryRun: Boolean(values["dry-run"]), retention, ...report }, null, 2));
      return;
    }
    for (const c of RETENTION_CLASSES) console.log(`保存期間 ${c.label}: ${retention[c.key]}${c.unit}`);
    const verb = values["dry-run"] ? "削除の対象" : "削除";
    console.log(`${verb}: 本人の記録 ${report.closedCases.length}件${report.closedCases.length ? `（${report.closedCases.join("、")}）` : ""}`);
    console.log(`${verb}: 不足資源と本人の結びつき ${report.unmetNeedLinks}件、修正報告 ${report.correctionReports}件、既読の通知 ${report.readNotifications}件、ログイン試行 ${report.rateLimitEvents}件`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error("削除に失敗しました（何も削除していません） (purge failed, nothing deleted):", error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
