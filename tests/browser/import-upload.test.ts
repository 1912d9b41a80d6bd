// Browser journey in Chromium (JavaScript on) against the real server: an administrator signs in,
// opens the CSV import from the account page, uploads a file with English headers and full-width
// times, maps its columns (saving the mapping), previews and imports it; the new place is public.
// Then the same file again with JavaScript off: plain form posts, the saved mapping, nothing new.
// Screenshots coordinator-import-*.png are the README's.
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { axeViolations, launchBrowser, screenshot } from "../helpers/browser";
import { startTestServer, TEST_SESSION_SECRET, type RunningServer } from "../helpers/server";

process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { makeUser } = await import("../accounts/helpers");
const { generateTotpCode } = await import("~/utils/totp.server");

let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof makeUser>>;
let signedIn: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;

beforeAll(async () => {
  server = await startTestServer({}, {
    async prepare(database) {
      admin = await makeUser(database.db, { role: "admin", totp: true });
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function seriousViolations(page: Page) {
  return (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
}

test("an administrator maps an English-header CSV, previews it and imports it", async () => {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));

  await page.goto(`${server.url}/login`);
  await page.getByLabel("メールアドレス").fill(admin.email);
  await page.getByLabel("パスワード").fill(admin.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/\/account\/2fa/);
  await page.getByLabel("確認コード（6桁）").fill(generateTotpCode(admin.totpSecret!, new Date()));
  await page.getByRole("button", { name: "確認する" }).click();
  await page.waitForURL(/\/account$/);

  await page.getByRole("link", { name: /CSV 取り込み/ }).click();
  await page.waitForURL(/\/admin\/import$/);
  await expect.poll(() => page.locator("h1").textContent()).toBe("地域資源の CSV 取り込み");
  await page.getByLabel("CSV ファイル", { exact: true }).setInputFiles(path.resolve("tests/fixtures/import/english-header.csv"));
  await page.getByLabel("公開者（自治体・団体名）").fill("Example Community Association");
  await page.getByLabel("データセット名（空欄ならファイル名）").fill("Community places");
  await page.getByLabel("ライセンス（例: CC BY 4.0）").fill("CC BY 4.0");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, "coordinator-import-1-upload");
  await page.getByRole("button", { name: "アップロードして確認する" }).click();

  // Step 2: the obvious English names are pre-selected; the samples follow the choice.
  await expect.poll(() => page.locator("#mapping-heading").textContent()).toContain("列の対応");
  await expect.poll(() => page.locator("#map-name").inputValue()).toBe("Name");
  await page.locator("#map-kindColumn").selectOption("Category");
  await page.locator("#map-startTime").selectOption("Opens");
  await page.locator("#map-endTime").selectOption("Closes");
  await page.locator("#map-weekdays").selectOption("Days");
  await expect.poll(() => page.locator("tr", { has: page.locator("#map-startTime") }).textContent()).toContain("10:00");
  await page.getByLabel("この対応表を保存する名前（任意）").fill("Community places (English)");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, "coordinator-import-2-mapping");
  await page.getByRole("button", { name: /この対応で試す/ }).click();

  // Step 3: the dry run.
  await expect.poll(() => page.locator("#preview-heading").textContent()).toContain("確認");
  expect(await page.locator('[data-count="create"]').textContent()).toBe("3");
  expect(await page.locator('[data-count="rejected"]').textContent()).toBe("0");
  await expect.poll(() => page.getByRole("status").textContent()).toContain("対応表「Community places (English)」を保存しました");
  expect(await page.locator("table", { hasText: "新しく登録する場所" }).textContent()).toContain("毎週月・水 10:00～12:00");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, "coordinator-import-3-preview");
  await page.getByRole("button", { name: "すべて取り込む（1件でもエラーがあれば取り込まない）" }).click();

  // Step 4: done, with the way on to the queues; the saved mapping is listed.
  await expect.poll(() => page.locator("#done-heading").textContent()).toBe("4. 取り込みました");
  expect(await page.locator("section", { has: page.locator("#done-heading") }).textContent()).toContain("新規 3 件");
  expect(await page.locator("section", { has: page.locator("#saved-heading") }).textContent()).toContain("Community places (English)");
  await screenshot(page, "coordinator-import-4-done");

  // Search catches up through the outbox relay: look again until it has.
  await expect
    .poll(
      async () => {
        await page.goto(`${server.url}/places?q=${encodeURIComponent("Sakura Salon")}`);
        return (await page.locator(".result h3").allTextContents()).join(" ");
      },
      { timeout: 60_000, interval: 1000 },
    )
    .toContain("Sakura Salon");
  expect(problems).toEqual([]);
  signedIn = await context.storageState();
  await context.close();
}, 120_000);

test("with JavaScript off, the same file uploads with the saved mapping and re-imports as unchanged", async () => {
  // The session signed in above (a TOTP code cannot be used twice).
  expect(signedIn).toBeDefined();
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo", javaScriptEnabled: false, storageState: signedIn });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin/import`);
  await page.getByLabel("CSV ファイル", { exact: true }).setInputFiles(path.resolve("tests/fixtures/import/english-header.csv"));
  await page.getByRole("button", { name: "アップロードして確認する" }).click();
  await page.locator("#preview-heading").waitFor();
  expect(await page.getByRole("status").textContent()).toContain("Community places (English)");
  expect(await page.locator('[data-count="create"]').textContent()).toBe("0");
  expect(await page.locator('[data-count="unchanged"]').textContent()).toBe("3");
  await page.getByRole("button", { name: "すべて取り込む（1件でもエラーがあれば取り込まない）" }).click();
  await page.locator("#done-heading").waitFor();
  expect(await page.locator("section", { has: page.locator("#done-heading") }).textContent()).toContain("新規 0 件、更新 0 件、変更なし 3 件");
  await context.close();
}, 120_000);
