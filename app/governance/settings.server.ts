// Settings an administrator changes on /admin/settings (issue 7): retention per record class
// (retention.server.ts) and the settled rule of 定着支援 (threshold and period). Stored as JSON rows
// of `settings`; every change is audited.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../../db/client.server";
import { settings } from "../../db/schema";
import { DEFAULT_SETTLED_RULE, type SettledRule } from "~/followup/schedule";

export const settledRuleSchema = z.strictObject({
  threshold: z.coerce.number({ message: "数値で入力してください" }).min(1, "1〜4で入力してください").max(4, "1〜4で入力してください"),
  months: z.coerce.number({ message: "数値で入力してください" }).int("整数で入力してください").min(1, "1〜24か月で入力してください").max(24, "1〜24か月で入力してください"),
});

export async function getSettledRule(db: Executor): Promise<SettledRule> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, "settled_rule"));
  const parsed = settledRuleSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : DEFAULT_SETTLED_RULE;
}

export async function setSettledRule(db: Executor, value: SettledRule, by: number): Promise<void> {
  await db
    .insert(settings)
    .values({ key: "settled_rule", value, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: by, updatedAt: new Date() } });
}
