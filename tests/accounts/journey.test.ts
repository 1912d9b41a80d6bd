// Browser journey in Chromium against the real server: an admin signs in with TOTP and invites a
// coordinator; the coordinator opens the link from the development mail folder, sets a password,
// signs in and out; a staff member signs in and enrols TOTP, getting recovery codes.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axeViolations, launchBrowser, screenshot } from "../helpers/browser";
import { startTestServer, TEST_SESSION_SECRET, type RunningServer } from "../helpers/server";

process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { makeUser } = await import("./helpers");
const { readEmlBody } = await import("~/utils/mail.server");
const { generateTotpCode } = await import("~/utils/totp.server");
const { ensureOrganisation } = await import("~/models/organisation.server");

let server: RunningServer;
let browser: Browser;
let mailDir: string;
let admin: Awaited<ReturnType<typeof makeUser>>;
let staff: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  mailDir = await fs.mkdtemp(path.join(os.tmpdir(), "portal-journey-mail-"));
  server = await startTestServer({ MAIL_DIR: mailDir }, {
    async prepare(database) {
      admin = await makeUser(database.db, { role: "admin", totp: true, organisation: "福祉総務課" });
      staff = await makeUser(database.db, { role: "staff", organisation: "NPO法人みらい" });
      await ensureOrganisation(database.db, { name: "北地区社会福祉協議会", kind: "council" });
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fs.rm(mailDir, { recursive: true, force: true });
});

async function seriousViolations(page: Page) {
  return (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
}

/** A code from a time step no earlier sign-in of this account has used. */
async function freshCode(secret: string, used: Set<string>): Promise<string> {
  for (;;) {
    const code = generateTotpCode(secret, new Date());
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

test("admin invites a coordinator, who sets a password from the mailed link, signs in and out", async () => {
  const context = await browser.newContext({ locale: "ja-JP" });
  const page = await context.newPage();
  const usedCodes = new Set<string>();

  await signIn(page, admin.email, admin.password);
  await page.waitForURL(/\/account\/2fa/);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel("確認コード（6桁）").fill(await freshCode(admin.totpSecret!, usedCodes));
  await page.getByRole("button", { name: "確認する" }).click();
  await page.waitForURL(/\/account$/);
  await page.goto(`${server.url}/admin/users`);
  await page.locator("#invite-email").fill("kita.hanako@example.jp");
  await page.locator("#invite-name").fill("北 花子");
  await page.locator("#invite-role").selectOption("coordinator");
  await page.locator("#invite-org").selectOption({ label: "北地区社会福祉協議会" });
  await page.getByRole("button", { name: "招待メールを送る" }).click();
  await expect.poll(() => page.getByText("北 花子 さんに招待メールを送りました").count()).toBe(1);
  await screenshot(page, "accounts-admin-users");
  await context.close();

  // The coordinator's own browser: the link from the development mail folder.
  const files = (await fs.readdir(mailDir)).filter((f) => f.includes("-invite-"));
  expect(files).toHaveLength(1);
  const body = readEmlBody(await fs.readFile(path.join(mailDir, files[0]), "utf8"));
  const link = /http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43}/.exec(body)?.[0];
  expect(link).toBeTruthy();
  const coordinatorContext = await browser.newContext({ locale: "ja-JP" });
  const coordinatorPage = await coordinatorContext.newPage();
  await coordinatorPage.goto(link!);
  await expect.poll(() => coordinatorPage.getByText("kita.hanako@example.jp").count()).toBeGreaterThan(0);
  expect(await seriousViolations(coordinatorPage)).toEqual([]);
  await coordinatorPage.getByLabel("新しいパスワード", { exact: true }).fill("password1234");
  await coordinatorPage.getByLabel("新しいパスワード（確認）").fill("password1234");
  await coordinatorPage.getByRole("button", { name: "パスワードを設定する" }).click();
  await expect.poll(() => coordinatorPage.getByText("推測されやすい").count()).toBe(1);
  await coordinatorPage.getByLabel("新しいパスワード", { exact: true }).fill("kita no sato de sakura ga saku");
  await coordinatorPage.getByLabel("新しいパスワード（確認）").fill("kita no sato de sakura ga saku");
  await coordinatorPage.getByRole("button", { name: "パスワードを設定する" }).click();
  await coordinatorPage.waitForURL(/\/login\?done=invite/);

  await signIn(coordinatorPage, "kita.hanako@example.jp", "kita no sato de sakura ga saku");
  await coordinatorPage.waitForURL(/\/account$/);
  await expect.poll(() => coordinatorPage.getByText("北地区社会福祉協議会").count()).toBeGreaterThan(0);
  await screenshot(coordinatorPage, "accounts-coordinator-account");
  await coordinatorPage.getByRole("button", { name: "ログアウト" }).click();
  await coordinatorPage.waitForURL(/\/login\?done=logout/);
  await coordinatorPage.goto(`${server.url}/account`);
  await coordinatorPage.waitForURL(/\/login\?redirectTo=/);
  await coordinatorContext.close();
}, 120_000);

test("a staff member without TOTP is sent to enrol, scans the key and gets recovery codes", async () => {
  const context = await browser.newContext({ locale: "ja-JP" });
  const page = await context.newPage();
  await signIn(page, staff.email, staff.password);
  await page.waitForURL(/\/account\/2fa/);
  await expect.poll(() => page.getByText("この役割では二要素認証が必要です").count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);
  const secret = (await page.locator(".totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("確認コード（6桁）").fill(generateTotpCode(secret, new Date()));
  await page.getByRole("button", { name: "設定する" }).click();
  await expect.poll(() => page.locator(".recovery-codes li").count()).toBe(10);
  await screenshot(page, "accounts-staff-recovery-codes");
  await page.getByRole("link", { name: "保管しました。続ける" }).click();
  await page.waitForURL(/\/account$/);
  await expect.poll(() => page.getByText("設定済み").count()).toBeGreaterThan(0);
  await context.close();
}, 120_000);
