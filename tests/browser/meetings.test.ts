// Meeting journey in real Chromium against the real server: an administrator (2FA) creates a 支援会議
// and adds two staff members; the assigned staff member (2FA) puts their 不同意 case on the agenda;
// the second member opens the meeting and sees only the case number and the pledge, accepts the
// pledge, and only then opens the case. Then, with JavaScript off, the administrator adds an external
// member and records their paper pledge. axe finds nothing on each page. Screenshots:
// tests/artifacts/meetings-*.png.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { consentEvents, people, personAssignments } from "../../db/schema";
import { axeViolations, launchBrowser, screenshot, signInWithTotp } from "../helpers/browser";
import { testEngine } from "../helpers/db";
import { startTestServer, TEST_SESSION_SECRET, type RunningServer } from "../helpers/server";

process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { makeUser } = await import("../accounts/helpers");

type User = Awaited<ReturnType<typeof makeUser>>;
let server: RunningServer;
let browser: Browser;
let admin: User;
let assigned: User;
let colleague: User;
const CASE_NUMBER = "2026-0901";
const PERSON_NAME = "焼津 次郎";
/** TOTP codes are single-use per account: a second sign-in waits for a fresh code. */

beforeAll(async () => {
  server = await startTestServer({}, {
    async prepare(database) {
      admin = await makeUser(database.db, { role: "admin", totp: true, organisation: "焼津市 福祉総務課" });
      assigned = await makeUser(database.db, { role: "staff", totp: true, organisation: "NPO法人みらい" });
      colleague = await makeUser(database.db, { role: "staff", totp: true, organisation: "焼津市社会福祉協議会" });
      // A person who said no to sharing (不同意), assigned to the first staff member.
      const [person] = await database.db.insert(people).values({ caseNumber: CASE_NUMBER, name: PERSON_NAME, nameKana: "やいづ じろう", area: "焼津市" }).returning({ id: people.id });
      await database.db.insert(personAssignments).values({ personId: person!.id, userId: assigned.id });
      await database.db.insert(consentEvents).values({ personId: person!.id, state: "disagree", recordedOn: "2026-11-01" });
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function shot(page: Page, name: string) {
  return screenshot(page, `meetings-${testEngine()}-${name}`);
}

async function expectNoAxeViolations(page: Page, where: string) {
  expect(await axeViolations(page), where).toEqual([]);
}

function signInAs(user: User, options: { javaScriptEnabled?: boolean } = {}) {
  return signInWithTotp(browser, server.url, user, options);
}

let meetingUrl = "";

test("a 支援会議: created by the admin, a 不同意 case put by its staff, seen by another member only after the pledge", async () => {
  // 1. The administrator creates the meeting and adds both staff members; no case yet.
  const organiser = await signInAs(admin);
  let page = organiser.page;
  await page.goto(`${server.url}/staff/meetings`);
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page, "/staff/meetings (admin)");
  await page.getByRole("link", { name: "会議を作成" }).click();
  await page.waitForURL(/\/staff\/meetings\/new$/);
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page, "/staff/meetings/new");
  await page.getByRole("radio", { name: "支援会議", exact: true }).check();
  await page.getByLabel("開催日（必須）").fill("2026-12-03");
  await page.getByLabel("会議名（必須）").fill("第3回 支援会議（北地区）");
  await shot(page, "1-new");
  await page.getByRole("button", { name: "作成する" }).click();
  await page.waitForURL(/\/staff\/meetings\/\d+\?created=1$/);
  meetingUrl = page.url().replace(/\?.*$/, "");
  await expect.poll(() => page.getByText("会議を作成しました。構成員を追加してください。").count()).toBe(1);
  for (const user of [assigned, colleague]) {
    await page.getByLabel("職員（参加支援スタッフ・管理者）").selectOption(String(user.id));
    await page.getByRole("button", { name: "構成員に追加する" }).click();
    await expect.poll(() => page.getByText(/さんを構成員に追加しました。/).count()).toBe(1);
  }
  await expect.poll(() => page.getByRole("table", { name: /構成員/ }).locator("tbody tr").count()).toBe(3);
  await expectNoAxeViolations(page, "meeting page (admin)");
  await shot(page, "2-members");
  await organiser.context.close();
  expect(organiser.problems).toEqual([]);

  // 2. The assigned staff member puts their 不同意 case on the agenda.
  const staff = await signInAs(assigned);
  page = staff.page;
  await page.goto(`${server.url}/staff/meetings`);
  await page.getByRole("link", { name: "第3回 支援会議（北地区）" }).click();
  await page.waitForURL(meetingUrl);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("ケース番号").fill(CASE_NUMBER);
  await page.getByLabel("議題にする理由").selectOption("discussion");
  await page.getByRole("button", { name: "議題に追加する" }).click();
  await expect.poll(() => page.getByText(`ケース ${CASE_NUMBER} を議題に追加しました（支援内容の検討）。`).count()).toBe(1);
  await expectNoAxeViolations(page, "meeting page (assigned staff)");
  await shot(page, "3-case-added");
  await staff.context.close();
  expect(staff.problems).toEqual([]);

  // 3. The second member: the case number and the pledge, nothing else, until they pledge.
  const member = await signInAs(colleague);
  page = member.page;
  await page.goto(meetingUrl);
  await page.waitForLoadState("networkidle");
  const agenda = page.getByRole("table", { name: /議題/ });
  await expect.poll(() => agenda.locator("tbody tr td").first().innerText()).toBe(`（${CASE_NUMBER}）`);
  expect(await page.getByRole("heading", { name: "守秘義務の誓約", exact: true }).count()).toBe(1);
  expect(await page.getByRole("link", { name: /事例.*を開く/ }).count()).toBe(0);
  const before = await page.locator("main").innerText();
  expect(before).not.toContain(PERSON_NAME);
  expect(before).not.toContain("Y.J.");
  await expectNoAxeViolations(page, "meeting page before the pledge");
  await shot(page, "4-before-pledge");
  // The case page itself answers 404 before the pledge (the first case of a fresh database is 1;
  // the link shown after the pledge is checked to point there).
  const caseResponse = await page.request.get(`${meetingUrl}/cases/1`);
  expect(caseResponse.status()).toBe(404);
  expect(caseResponse.headers()["cache-control"]).toBe("no-store");

  await page.getByRole("button", { name: "誓約する" }).click();
  await expect.poll(() => page.getByText("守秘義務の誓約を記録しました。議題の事例を開けます。").count()).toBe(1);
  // The message comes with the action's answer; the page's data follows with the revalidation.
  await page.getByRole("button", { name: "誓約する" }).waitFor({ state: "detached", timeout: 90_000 });
  await expect.poll(() => agenda.locator("tbody tr td").first().innerText()).toBe(`Y.J.（${CASE_NUMBER}）`);
  expect(await page.locator("main").innerText()).not.toContain(PERSON_NAME);
  await expectNoAxeViolations(page, "meeting page after the pledge");
  await shot(page, "5-after-pledge");
  expect(await page.getByRole("link", { name: `事例 ${CASE_NUMBER} を開く` }).getAttribute("href")).toBe(`${new URL(meetingUrl).pathname}/cases/1`);
  await page.getByRole("link", { name: `事例 ${CASE_NUMBER} を開く` }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe(`事例 Y.J.（${CASE_NUMBER}）`);
  expect(await page.locator("main").innerText()).not.toContain(PERSON_NAME);
  await expectNoAxeViolations(page, "meeting case page");
  await shot(page, "6-case");
  const response = await page.request.get(page.url());
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(response.headers()["x-robots-tag"]).toBe("noindex");

  await page.goto(`${meetingUrl}/print`);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain("議題");
  await expectNoAxeViolations(page, "printable agenda");
  await page.emulateMedia({ media: "print" });
  await shot(page, "7-print");
  await member.context.close();
  expect(member.problems).toEqual([]);
}, 240_000);

test("with JavaScript off, the admin adds an external member and records their paper pledge", async () => {
  expect(meetingUrl).not.toBe("");
  const { context, page } = await signInAs(admin, { javaScriptEnabled: false });
  await page.goto(meetingUrl);
  await page.getByLabel("氏名", { exact: true }).fill("佐藤 民子");
  await page.getByLabel("所属（機関・団体名）").fill("北地区民生委員児童委員協議会");
  await page.getByRole("button", { name: "外部の構成員を追加する" }).click();
  await expect.poll(() => page.getByText("外部の構成員 佐藤 民子 さん（北地区民生委員児童委員協議会）を追加しました。").count()).toBe(1);
  await page.getByRole("button", { name: "佐藤 民子 さんの書面の誓約を記録" }).click();
  await expect.poll(() => page.getByText("外部の構成員の書面による誓約を記録しました。").count()).toBe(1);
  const row = page.getByRole("row", { name: /佐藤 民子/ });
  await expect.poll(() => row.innerText()).toContain("誓約済み");
  await shot(page, "8-external-nojs");
  await context.close();
}, 120_000);
