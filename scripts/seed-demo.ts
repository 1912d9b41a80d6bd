// `npm run seed:demo`: one demo account per role (admin, coordinator, two staff in different
// organisations) so a newcomer can try every role. Passwords, TOTP secrets and recovery codes are
// printed once and written to .data/demo-accounts.json (git-ignored, mode 600). Re-running gives
// the same accounts new credentials. Refuses to run with NODE_ENV=production.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { openDatabase, type Database, type DatabaseHandle } from "../db/client.server";
import { migrateDatabase } from "../db/migrate.server";
import { resources, users } from "../db/schema";
import { importOpenData } from "../app/import/open-data.server";
import { seedDemoCasework } from "../app/models/demo-casework.server";
import { loadSampleResources } from "../app/models/sample-data.server";
import { isoDate, tokyoNow } from "../app/utils/schedule";
import { ensureOrganisation } from "../app/models/organisation.server";
import { replaceRecoveryCodes } from "../app/models/user.server";
import { recordAudit } from "../app/utils/audit.server";
import { hashPassword } from "../app/utils/password.server";
import type { OrganisationKind, Role } from "../app/utils/permissions";
import { randomToken, encryptSecret } from "../app/utils/secrets.server";
import { generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, totpUri } from "../app/utils/totp.server";

interface DemoAccountSpec {
  role: Role;
  email: string;
  displayName: string;
  organisation: { name: string; kind: OrganisationKind };
  totp: boolean;
}

export const DEMO_ACCOUNTS: DemoAccountSpec[] = [
  { role: "admin", email: "demo-admin@example.jp", displayName: "デモ 管理者", organisation: { name: "福祉総務課（デモ）", kind: "municipality" }, totp: true },
  {
    role: "coordinator",
    email: "demo-coordinator@example.jp",
    displayName: "デモ コーディネーター",
    organisation: { name: "社会福祉協議会（デモ）", kind: "council" },
    totp: false,
  },
  { role: "staff", email: "demo-staff1@example.jp", displayName: "デモ スタッフ1", organisation: { name: "NPO法人みらい（デモ）", kind: "npo" }, totp: true },
  { role: "staff", email: "demo-staff2@example.jp", displayName: "デモ スタッフ2", organisation: { name: "NPO法人ひだまり（デモ）", kind: "npo" }, totp: true },
];

export interface DemoCredentials {
  role: Role;
  email: string;
  displayName: string;
  organisation: string;
  password: string;
  totpSecret: string | null;
  otpauthUri: string | null;
  recoveryCodes: string[];
}

export async function seedDemoAccounts(db: Database, now = new Date()): Promise<DemoCredentials[]> {
  const out: DemoCredentials[] = [];
  for (const spec of DEMO_ACCOUNTS) {
    // 20 random characters: passes the policy and is easy to paste.
    const password = `demo-${randomToken(15)}`;
    const passwordHash = await hashPassword(password);
    const totpSecret = spec.totp ? generateTotpSecret() : null;
    const recoveryCodes = spec.totp ? generateRecoveryCodes() : [];
    await db.transaction(async (tx) => {
      const organisation = await ensureOrganisation(tx, spec.organisation);
      const values = {
        displayName: spec.displayName,
        role: spec.role,
        organisationId: organisation.id,
        status: "active",
        passwordHash,
        passwordChangedAt: now,
        totpSecret: totpSecret ? encryptSecret(totpSecret) : null,
        totpPendingSecret: null,
        totpEnabledAt: totpSecret ? now : null,
        totpLastStep: null,
        updatedAt: now,
      };
      const [row] = await tx
        .insert(users)
        .values({ email: spec.email, createdAt: now, ...values })
        .onConflictDoUpdate({ target: users.email, set: values })
        .returning({ id: users.id });
      await replaceRecoveryCodes(tx, { userId: row.id, recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode), now });
      await recordAudit(tx, { action: "user.invite", recordType: "user", recordId: row.id, purpose: "デモアカウントの作成 (npm run seed:demo)", at: now });
    });
    out.push({
      role: spec.role,
      email: spec.email,
      displayName: spec.displayName,
      organisation: spec.organisation.name,
      password,
      totpSecret,
      otpauthUri: totpSecret ? totpUri(totpSecret, spec.email) : null,
      recoveryCodes,
    });
  }
  return out;
}

/**
 * The directory and casework the demo accounts work on: the bundled open data (when the database
 * is still empty), the fictional sample venues (labelled サンプル), and fictional people in every
 * consent state with placements, follow-ups, plans and meetings (created once).
 */
export async function seedDemoData(handle: DatabaseHandle, accounts: { role: Role; email: string }[], now = new Date()): Promise<string[]> {
  const [{ n }] = await handle.db.select({ n: count() }).from(resources);
  if (n === 0) await importOpenData(handle);
  await loadSampleResources(handle);
  const idOf = async (email: string | undefined) => {
    const [row] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, email ?? ""));
    if (!row) throw new Error(`demo account missing: ${email}`);
    return row.id;
  };
  const staff = accounts.filter((a) => a.role === "staff");
  return seedDemoCasework(
    handle.db,
    { admin: await idOf(accounts.find((a) => a.role === "admin")?.email), staff1: await idOf(staff[0]?.email), staff2: await idOf(staff[1]?.email) },
    isoDate(tokyoNow(now).date)
  );
}

/** Demo sessions of a previous run must not outlive the credentials they were made with. */
async function endDemoSessions(db: Database): Promise<void> {
  const { sessions } = await import("../db/schema");
  for (const spec of DEMO_ACCOUNTS) {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, spec.email));
    if (user) await db.delete(sessions).where(eq(sessions.userId, user.id));
  }
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === "production") {
    console.error("NODE_ENV=production では実行できません。デモアカウントは本番環境に作らないでください (refusing to seed demo accounts in production).");
    process.exitCode = 1;
    return;
  }
  // Development secrets (.data/dev-session-secret) encrypt the TOTP secrets, shared with `NODE_ENV=development npm start`.
  process.env.NODE_ENV ??= "development";
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    await endDemoSessions(handle.db);
    const accounts = await seedDemoAccounts(handle.db);
    const casework = await seedDemoData(handle, accounts);
    const file = path.resolve(process.cwd(), ".data", "demo-accounts.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ generatedAt: new Date().toISOString(), note: "デモ用。本番では使わないこと (demo only)", accounts }, null, 2) + "\n",
      { mode: 0o600 },
    );
    console.log("デモアカウントを作成しました（この表示と .data/demo-accounts.json にだけ残ります）:\n");
    for (const a of accounts) {
      console.log(`■ ${a.displayName}（${a.role} / ${a.organisation}）`);
      console.log(`   メール: ${a.email}`);
      console.log(`   パスワード: ${a.password}`);
      if (a.totpSecret) console.log(`   TOTP セットアップキー: ${a.totpSecret}（認証アプリに登録するか、oathtool --totp -b ${a.totpSecret}）`);
    }
    console.log(`\n保存先: ${file}`);
    console.log(
      casework.length
        ? `\nデモのケース（架空の人物）を作成しました: ${casework.join("、")}（同意・不同意・不明、つなぎの各段階、期限切れのフォローアップ、会議待ちのプラン、支援会議と重層的支援会議）`
        : "\nデモのケースは作成済みです（そのままにしました）。"
    );
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error("デモアカウントを作成できませんでした (seed failed):", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
