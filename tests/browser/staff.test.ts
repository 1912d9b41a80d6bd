// Staff journey in real Chromium against the real server: a staff member signs in with TOTP,
// registers a person with consent 同意, fills the assessment, gets suggestions grouped by ladder
// step with their reasons, proposes one and records a 見学. axe finds nothing on each page; the
// list's name search leaves no personal data in the URL. Screenshots: tests/artifacts/staff-*.png.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { axeViolations, freshTotpCode, launchBrowser, screenshot, signInWithTotp } from "../helpers/browser";
import { testEngine } from "../helpers/db";
import { startTestServer, TEST_SESSION_SECRET, type RunningServer } from "../helpers/server";

process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { makeUser } = await import("../accounts/helpers");

let server: RunningServer;
let browser: Browser;
let staff: Awaited<ReturnType<typeof makeUser>>;
/** TOTP codes are single-use: the second sign-in waits for a code the first did not use. */

beforeAll(async () => {
  server = await startTestServer({}, {
    async prepare(database) {
      staff = await makeUser(database.db, { role: "staff", totp: true, organisation: "NPO法人みらい" });
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function shot(page: Page, name: string) {
  return screenshot(page, `staff-${testEngine()}-${name}`);
}

async function expectNoAxeViolations(page: Page, where: string) {
  expect(await axeViolations(page), where).toEqual([]);
}

test("staff signs in with 2FA, registers a person with consent, assesses, gets grouped suggestions and records a 見学", async () => {
  const { context, page, problems } = await signInWithTotp(browser, server.url, staff);
  await page.getByRole("link", { name: "参加支援" }).click();
  await page.waitForURL(/\/staff$/);
  await expectNoAxeViolations(page, "/staff");
  await shot(page, "home");

  // Intake with consent 同意.
  await page.getByRole("link", { name: "本人の登録（インテーク）" }).first().click();
  await page.waitForURL(/\/staff\/people\/new$/);
  // Typing before React has hydrated the form can be lost: wait for the scripts first.
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page, "/staff/people/new");
  await page.getByLabel("氏名（必須）").fill("焼津 みどり");
  await page.getByLabel("ふりがな").fill("やいづ みどり");
  await page.getByLabel("生まれ年（西暦）").first().fill("1971");
  await page.getByLabel("圏域・地区").fill("焼津市");
  await page.getByLabel("緯度（自宅付近または最寄り駅）").fill("34.8672");
  await page.getByLabel("経度（自宅付近または最寄り駅）").fill("138.3240");
  await page.getByLabel("紹介元（相談支援機関など）").fill("地域包括支援センター");
  await page.getByRole("radio", { name: "同意", exact: true }).check();
  await shot(page, "intake");
  await page.getByRole("button", { name: "登録する" }).click();
  await page.waitForURL(/\/staff\/people\/\d{4}-\d{4}\?created=1$/).catch(async (error: unknown) => {
    throw new Error(`intake did not finish: ${await page.locator("main").innerText()}`, { cause: error });
  });
  const caseNumber = /\/staff\/people\/(\d{4}-\d{4})/.exec(page.url())![1];
  await expect.poll(() => page.getByText(`ケース番号は ${caseNumber} です`).count()).toBe(1);
  await expectNoAxeViolations(page, "person detail");
  await shot(page, "person");

  // The list: searching by name posts, so the URL stays /staff/people.
  await page.goto(`${server.url}/staff/people`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("氏名・ふりがな・ケース番号で探す").fill("みどり");
  await page.getByRole("button", { name: "検索" }).click();
  await expect.poll(() => page.getByText("「みどり」に当てはまるケース: 1件").count()).toBe(1);
  // Before hydration (a slow machine) the browser posts natively to the index route's action,
  // `/staff/people?index`; either way nothing about the person is in the URL.
  expect(["/staff/people", "/staff/people?index"]).toContain(new URL(page.url()).pathname + new URL(page.url()).search);
  expect(decodeURIComponent(page.url())).not.toContain("みどり");
  await expectNoAxeViolations(page, "/staff/people");
  await shot(page, "list");

  // Assessment.
  await page.goto(`${server.url}/staff/people/${caseNumber}/assessment`);
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page, "assessment");
  await page.getByRole("checkbox", { name: "おしゃべり・交流" }).check();
  await page.getByRole("checkbox", { name: "料理" }).check();
  await page.getByRole("checkbox", { name: "居場所", exact: true }).check();
  await page.getByRole("checkbox", { name: "交流", exact: true }).check();
  for (const day of ["月", "火", "水", "木", "金"]) {
    await page.getByLabel(`${day}曜日 から`).fill("09:00");
    await page.getByLabel(`${day}曜日 まで`).fill("17:00");
  }
  await page.getByRole("checkbox", { name: "バス" }).check();
  await page.getByLabel("移動できる距離の上限（km）").fill("10");
  await page.getByRole("checkbox", { name: "初めてでも参加しやすい場（見学・体験ができる）" }).check();
  await page.getByLabel("短期目標").fill("週に1回、家の外で過ごす");
  await shot(page, "assessment");
  await page.getByRole("button", { name: "保存して提案を見る" }).click();
  await page.waitForURL(/\/suggestions\?saved=1$/);

  // Suggestions grouped by step, with reasons.
  await expect.poll(() => page.locator("h2", { hasText: /^段階\d/ }).count()).toBeGreaterThan(0);
  const firstHeading = await page.locator("h2", { hasText: /^段階\d/ }).first().innerText();
  // The groups start from the step the assessment points to (first-time friendly → step 1 here).
  const startLabel = (await page.getByText(/^始める段階: /).innerText()).replace("始める段階: ", "");
  expect(firstHeading).toMatch(new RegExp(`^段階\\d: ${startLabel}`));
  expect(await page.locator("article.suggestion ul[aria-label='理由'] li").count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, "suggestions");
  await shot(page, "suggestions");

  // Propose the first suggestion, then record a 見学.
  const firstPlace = await page.locator("article.suggestion h3 a").first().innerText();
  await page.getByRole("button", { name: "このまま提案する" }).first().click();
  await page.waitForURL(/\/staff\/placements\/\d+\?created=1$/);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain(`${firstPlace}（提案）`);
  await expectNoAxeViolations(page, "placement");
  await page.getByLabel("次の状況").selectOption("visit");
  await page.getByLabel("メモ（本人の様子、受け入れ先の反応など）").fill("担当者が同行して見学。雰囲気は気に入った様子。");
  await page.getByRole("button", { name: "記録する" }).click();
  await expect.poll(() => page.getByText("「見学」を記録しました。").count()).toBe(1);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain(`${firstPlace}（見学）`);
  await expectNoAxeViolations(page, "placement after 見学");
  await shot(page, "placement");

  // The person page shows the placement and its events; the other staff pages are clean too.
  await page.goto(`${server.url}/staff/people/${caseNumber}`);
  await expect.poll(() => page.getByText(`${firstPlace}`).count()).toBeGreaterThan(0);
  for (const path of ["/staff/unmet-needs", "/staff/notifications"]) {
    await page.goto(`${server.url}${path}`);
    await expectNoAxeViolations(page, path);
  }
  expect(problems).toEqual([]);
  await context.close();
}, 180_000);

test("the intake and the 見学 record work with JavaScript off", async () => {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("メールアドレス").fill(staff.email);
  await page.getByLabel("パスワード").fill(staff.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/\/account\/2fa/);
  await page.getByLabel("確認コード（6桁）").fill(await freshTotpCode(staff.totpSecret!));
  await page.getByRole("button", { name: "確認する" }).click();
  await page.waitForURL(/\/account$/);
  await page.goto(`${server.url}/staff/people/new`);
  // Missing consent: the server answers with the field error, nothing is created.
  await page.getByLabel("氏名（必須）").fill("静岡 あおい");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect.poll(() => page.getByText("同意の状況（同意・不同意・不明）を選んでください").count()).toBe(1);
  await page.getByRole("radio", { name: "不明", exact: true }).check();
  await page.getByRole("button", { name: "登録する" }).click();
  await page.waitForURL(/\/staff\/people\/\d{4}-\d{4}\?created=1$/);
  await expect.poll(() => page.getByText("不明").count()).toBeGreaterThan(0);
  // Any place, found by name with a GET form, proposed and then visited.
  await page.getByRole("link", { name: "場所を名前で探してつなぐ" }).click();
  await page.getByLabel("場所の名前").fill("焼津");
  await page.getByRole("button", { name: "探す" }).click();
  await page.waitForURL(/placements\/new\?q=/);
  await page.getByRole("button", { name: "提案として記録する" }).click();
  await page.waitForURL(/\/staff\/placements\/\d+\?created=1$/);
  await page.getByLabel("次の状況").selectOption("visit");
  await page.getByRole("button", { name: "記録する" }).click();
  await expect.poll(() => page.getByText("「見学」を記録しました。").count()).toBe(1);
  await shot(page, "placement-nojs");
  await context.close();
}, 120_000);
