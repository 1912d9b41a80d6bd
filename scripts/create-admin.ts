// `npx tsx scripts/create-admin.ts --email you@city.example.lg.jp --name "山田 花子" --organisation 福祉総務課`
// Creates the first administrator (or any later one, from the server's shell) as an invited
// account and prints its one-time invite link: open it to set the password, then sign in and
// set up two-factor authentication. Stop the server first when using PGlite (one process per folder).
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client.server";
import { migrateDatabase } from "../db/migrate.server";
import { createAdminInvite } from "../app/accounts/invites.server";
import { DisplayNameSchema, EmailSchema, OrganisationNameSchema } from "../app/utils/account-validation";
import { getEnv } from "../app/utils/env.server";

const USAGE = `使い方: npx tsx scripts/create-admin.ts --email メールアドレス --name 氏名 --organisation 所属名 [--origin https://ポータルのURL]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, organisation: { type: "string" }, origin: { type: "string" } },
  });
  const email = EmailSchema.safeParse(values.email ?? "");
  const name = DisplayNameSchema.safeParse(values.name ?? "");
  const organisation = OrganisationNameSchema.safeParse(values.organisation ?? "");
  if (!email.success || !name.success || !organisation.success) {
    for (const r of [email, name, organisation]) if (!r.success) console.error(r.error.issues[0]?.message);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const env = getEnv();
  const origin = (values.origin ?? env.APP_ORIGIN ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, "");
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const result = await createAdminInvite(handle.db, { email: email.data, displayName: name.data, organisationName: organisation.data, origin, now: new Date() });
    if (result.kind === "exists") {
      console.error(`このメールアドレスのアカウントはすでにあります（状態: ${result.status}）。パスワードを忘れた場合は /password/forgot から再設定してください。`);
      process.exitCode = 1;
      return;
    }
    console.log(`管理者アカウントを作成しました（招待中）: ${email.data}`);
    console.log("次のリンクを開いてパスワードを設定してください（7日間・1回限り有効。この表示は一度きりです）:");
    console.log(result.url);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`管理者を作成できませんでした (create-admin failed): ${message}`);
  if (/lock|EBUSY|already/i.test(message)) console.error("PGlite を使っている場合は、サーバーを止めてから実行してください。");
  process.exitCode = 1;
});
