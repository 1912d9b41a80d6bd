// Demo accounts: one per role (two staff in different organisations) that really sign in, with
// TOTP where the role needs it; the script refuses to run in production.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { setDatabase } from "../../db/client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { anonymous, cookiePair, outcome, postForm, tokenFromSetCookie } from "./helpers";
import { seedDemoAccounts } from "../../scripts/seed-demo";
import { action as loginAction } from "~/routes/login";
import { action as twoFactorAction } from "~/routes/account.2fa";
import { csrfTokenForSession } from "~/utils/csrf.server";
import { sha256Hex } from "~/utils/secrets.server";
import { generateTotpCode } from "~/utils/totp.server";

const root = path.resolve(import.meta.dirname, "../..");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
});
afterAll(async () => {
  await database?.cleanup();
});

test("seeding gives one account per role, and each signs in (with TOTP where required)", async () => {
  const accounts = await seedDemoAccounts(database.db);
  expect(accounts.map((a) => a.role)).toEqual(["admin", "coordinator", "staff", "staff"]);
  expect(new Set(accounts.filter((a) => a.role === "staff").map((a) => a.organisation)).size).toBe(2);
  for (const account of accounts) {
    const anon = await anonymous();
    const login = await outcome(() =>
      loginAction({ request: postForm("/login", { email: account.email, password: account.password, csrf: anon.csrf }, { cookie: anon.cookie }), params: {}, context: {} }),
    );
    expect(login.status, account.email).toBe(302);
    if (!account.totpSecret) {
      expect(login.headers.get("Location")).toBe("/account");
      continue;
    }
    expect(login.headers.get("Location")).toMatch(/^\/account\/2fa/);
    const token = (await tokenFromSetCookie(login.headers))!;
    const cookie = await cookiePair(token);
    const code = generateTotpCode(account.totpSecret, new Date());
    const verified = await outcome(() =>
      twoFactorAction({
        request: postForm("/account/2fa", { intent: "verify", code, csrf: csrfTokenForSession(sha256Hex(token)) }, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(verified.status, account.email).toBe(302);
  }
  // Seeding again replaces the credentials of the same four accounts.
  const again = await seedDemoAccounts(database.db);
  expect(again.map((a) => a.email)).toEqual(accounts.map((a) => a.email));
  expect(again[0].password).not.toBe(accounts[0].password);
});

test("the seed script refuses to run with NODE_ENV=production", () => {
  const run = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/seed-demo.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PGLITE_DIR: "/nonexistent/never-opened" },
    encoding: "utf8",
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain("NODE_ENV=production では実行できません");
});
