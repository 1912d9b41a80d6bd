// Plan and follow-up journey in real Chromium against the real server: a staff member (TOTP)
// creates a plan using 参加支援 for a person with consent 同意 (adding a 役割分担 row), records that
// the meeting evaluated it and prints both sheets (no site frame on paper); an administrator
// (TOTP) records 支援決定 on the plan page; the staff member records a follow-up with つながり評価
// from the person's follow-up page. axe finds nothing on each page. Screenshots:
// tests/artifacts/plans-*.png. The person, the placement and its follow-up plan are written
// straight into the database (planFollowUps is not yet wired into the placement transitions).
import type { Browser, Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { consentEvents, people, personAssignments, placements, resources } from "../../db/schema";
import { axeViolations, launchBrowser, screenshot, signInWithTotp } from "../helpers/browser";
import { testEngine } from "../helpers/db";
import { startTestServer, TEST_SESSION_SECRET, type RunningServer } from "../helpers/server";

process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { makeUser } = await import("../accounts/helpers");
const { generateTotpCode } = await import("~/utils/totp.server");
const { planFollowUps } = await import("~/followup/followups.server");

type User = Awaited<ReturnType<typeof makeUser>>;
let server: RunningServer;
let browser: Browser;
let staff: User;
let admin: User;
let resourceName: string;
const caseNumber = "2026-0901";

beforeAll(async () => {
  // The server runs with NODE_ENV=production, where plan content and notes need a real data key.
  server = await startTestServer({ DATA_ENCRYPTION_KEYS: `test:${Buffer.alloc(32, 7).toString("base64")}` }, {
    async prepare(database) {
      staff = await makeUser(database.db, { role: "staff", totp: true, organisation: "社会福祉協議会" });
      admin = await makeUser(database.db, { role: "admin", totp: true, organisation: "福祉総務課" });
      const [resource] = await database.db.select({ id: resources.id, name: resources.name }).from(resources).where(eq(resources.reviewStatus, "published")).limit(1);
      resourceName = resource!.name;
      const [person] = await database.db.insert(people).values({ caseNumber, name: "長泉 さくら", nameKana: "ながいずみ さくら", area: "北" }).returning({ id: people.id });
      await database.db.insert(personAssignments).values({ personId: person!.id, userId: staff.id });
      await database.db.insert(consentEvents).values({ personId: person!.id, state: "agree", recordedOn: "2026-10-01", recordedBy: staff.id, scope: "関係機関との情報共有・重層的支援会議" });
      const [placement] = await database.db.insert(placements).values({ personId: person!.id, resourceId: resource!.id, status: "active", hostContact: "担当 鈴木" }).returning({ id: placements.id });
      await planFollowUps(database.db, { id: placement!.id, personId: person!.id, followUpOffsets: null }, "2026-11-01");
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function shot(page: Page, name: string) {
  return screenshot(page, `plans-${testEngine()}-${name}`);
}

async function expectNoAxeViolations(page: Page, where: string) {
  expect(await axeViolations(page), where).toEqual([]);
}

function signInAs(user: User) {
  return signInWithTotp(browser, server.url, user);
}

test("staff creates a plan with 参加支援, an admin records 支援決定, staff records a follow-up with つながり評価", async () => {
  const { context: staffContext, page, problems } = await signInAs(staff);

  // The person's plans (none yet) and the new-plan form.
  await page.goto(`${server.url}/staff/people/${caseNumber}/plans`);
  await expect.poll(() => page.getByText("このケースのプランはまだありません。").count()).toBe(1);
  await expectNoAxeViolations(page, "plans list");
  await page.getByRole("link", { name: "新しいプランを作成する" }).click();
  await page.waitForURL(/\/plans\/new$/);
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page, "new plan");
  await page.getByLabel("短期目標（必須）").fill("週1回、日中に通える場所を持つ");
  await page.getByLabel("長期目標").fill("地域の活動で役割を持つ");
  await page.getByLabel("支援内容 1", { exact: true }).fill("見学・体験への同行");
  await page.getByLabel("担当機関 1", { exact: true }).fill("参加支援事業者（社協）");
  // 「行を追加」 keeps what was typed and adds a fourth row.
  await page.getByRole("button", { name: "行を追加" }).click();
  await expect.poll(() => page.getByLabel("支援内容 4", { exact: true }).count()).toBe(1);
  await expect.poll(() => page.getByLabel("支援内容 1", { exact: true }).inputValue()).toBe("見学・体験への同行");
  await page.getByLabel("支援内容 2", { exact: true }).fill("受け入れ先との調整");
  await page.getByLabel("担当機関 2", { exact: true }).fill("参加支援事業者（社協）");
  await page.getByLabel("支援内容 4", { exact: true }).fill("家族への連絡");
  await page.getByLabel("担当機関 4", { exact: true }).fill("地域包括支援センター");
  await page.getByRole("checkbox", { name: new RegExp(resourceName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).check();
  await page.getByRole("checkbox", { name: "参加支援（支援決定が必要）" }).check();
  await page.getByLabel("モニタリング 1", { exact: true }).fill("2027-01-15");
  await page.getByLabel("次の見直し予定日").fill("2027-03-01");
  await expectNoAxeViolations(page, "new plan, filled");
  await shot(page, "new");
  await page.getByRole("button", { name: "プランを作成する" }).click();
  await page.waitForURL(/\/staff\/plans\/\d+\?created=1$/).catch(async (error: unknown) => {
    throw new Error(`the plan was not created: ${await page.locator("main").innerText()}\n${server.output().slice(-4000)}`, { cause: error });
  });
  const planId = /\/staff\/plans\/(\d+)/.exec(page.url())![1];
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain("（作成）");
  await expect.poll(() => page.getByText("家族への連絡（担当：地域包括支援センター）").count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, "plan (作成)");

  // The meeting evaluated it: staff record that; 支援決定 is not theirs to record.
  await page.getByLabel("メモ（会議の日付や決定の内容など）").fill("いちばんいい会議 2026-12-03 で評価");
  await page.getByRole("button", { name: "会議で評価されたことを記録する" }).click();
  await expect.poll(() => page.getByText("「会議で評価」を記録しました。").count()).toBe(1);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain("（会議で評価）");
  expect(await page.getByRole("button", { name: "支援決定を記録する" }).count()).toBe(0);
  await expect.poll(() => page.getByText("支援決定は管理者（市町村）だけが記録できます。").count()).toBe(1);
  await expectNoAxeViolations(page, "plan (会議で評価)");
  await shot(page, "plan-evaluated");

  // Both sheets: readable on screen, and on paper without the site frame.
  for (const [path, name, heading] of [
    [`/staff/plans/${planId}/print`, "print-plan", "プラン兼事業等利用申込書"],
    [`/staff/plans/${planId}/evaluation/print`, "print-evaluation", "評価シート"],
  ] as const) {
    await page.goto(`${server.url}${path}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe(heading);
    await expectNoAxeViolations(page, path);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    expect(await page.getByText("ブラウザーの「印刷」から").isVisible()).toBe(false);
    await shot(page, name);
    await page.emulateMedia({ media: "screen" });
  }

  // The administrator records 支援決定.
  const { context: adminContext, page: adminPage, problems: adminProblems } = await signInAs(admin);
  await adminPage.goto(`${server.url}/staff/plans/${planId}`);
  await expect.poll(() => adminPage.getByRole("heading", { level: 1 }).innerText()).toContain("（会議で評価）");
  await expectNoAxeViolations(adminPage, "plan as admin");
  await adminPage.getByLabel("メモ（会議の日付や決定の内容など）").fill("参加支援の利用を決定");
  await adminPage.getByRole("button", { name: "支援決定を記録する" }).click();
  await expect.poll(() => adminPage.getByText("支援決定を記録しました。").count()).toBe(1);
  await expect.poll(() => adminPage.getByRole("heading", { level: 1 }).innerText()).toContain("（支援決定）");
  await expectNoAxeViolations(adminPage, "plan (支援決定)");
  await shot(adminPage, "decided");
  expect(adminProblems).toEqual([]);
  await adminContext.close();

  // Staff record the first contact with the person, with つながり評価.
  await page.goto(`${server.url}/staff/people/${caseNumber}/follow-ups`);
  await expect.poll(() => page.getByRole("heading", { level: 2, name: new RegExp(resourceName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).count()).toBe(1);
  await expectNoAxeViolations(page, "follow-ups of the person");
  await shot(page, "follow-ups");
  // The dashboard lists the overdue contacts (both sides); staff open the first one with the person.
  await page.goto(`${server.url}/staff`);
  const overdue = page.locator("section", { has: page.getByRole("heading", { level: 2, name: /期限を過ぎたフォローアップ/ }) });
  await expect.poll(() => overdue.getByRole("link", { name: /ケース 2026-0901・受け入れ先への連絡/ }).count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, "dashboard");
  await shot(page, "dashboard");
  await overdue.getByRole("link", { name: /ケース 2026-0901・本人への連絡/ }).first().click();
  await page.waitForURL(/\/staff\/follow-ups\/\d+$/);
  await expect.poll(() => page.locator("body").innerText()).toContain("2026-11-08");
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page, "follow-up form");
  await page.getByLabel("実施日").fill("2026-11-08");
  await page.getByLabel("方法").selectOption("visit");
  await page.getByRole("group", { name: "参加の状況（予定どおり通えているか）" }).getByRole("radio", { name: "4 よい" }).check();
  await page.getByRole("group", { name: "本人の気持ち（本人の満足・安心）" }).getByRole("radio", { name: "3 おおむねよい" }).check();
  await page.getByLabel("出てきた課題").fill("帰りのバスの時間が合わない");
  await shot(page, "follow-up-form");
  await page.getByRole("button", { name: "フォローアップを記録する" }).click();
  await expect.poll(() => page.getByText("フォローアップを記録しました。").count()).toBe(1);
  await expect.poll(() => page.getByText("4（よい）").count()).toBe(1);
  await expect.poll(() => page.getByText("帰りのバスの時間が合わない").count()).toBe(1);
  await expectNoAxeViolations(page, "follow-up recorded");
  await shot(page, "follow-up-recorded");

  expect(problems).toEqual([]);
  await staffContext.close();
}, 240_000);

test("the plan form and a follow-up record work with JavaScript off", async () => {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("メールアドレス").fill(staff.email);
  await page.getByLabel("パスワード").fill(staff.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/\/account\/2fa/);
  // The first test used this period's code: wait for a fresh one (TOTP codes are single-use).
  const used = generateTotpCode(staff.totpSecret!, new Date());
  let code = used;
  while (code === used) {
    await new Promise((r) => setTimeout(r, 1000));
    code = generateTotpCode(staff.totpSecret!, new Date());
  }
  await page.getByLabel("確認コード（6桁）").fill(code);
  await page.getByRole("button", { name: "確認する" }).click();
  await page.waitForURL(/\/account$/);

  await page.goto(`${server.url}/staff/people/${caseNumber}/plans/new`);
  await page.getByLabel("支援内容 1", { exact: true }).fill("電話での見守り");
  await page.getByRole("button", { name: "行を追加" }).click();
  await expect.poll(() => page.getByLabel("支援内容 4", { exact: true }).count()).toBe(1);
  expect(await page.getByLabel("支援内容 1", { exact: true }).inputValue()).toBe("電話での見守り");
  // Missing goal and agency: the server names both, nothing is created.
  await page.getByRole("button", { name: "プランを作成する" }).click();
  await expect.poll(() => page.getByText("短期目標を入力してください").count()).toBe(1);
  await expect.poll(() => page.getByText("担当機関を入力してください").count()).toBe(1);
  await page.getByLabel("短期目標（必須）").fill("月1回、電話で近況を聞く");
  await page.getByLabel("担当機関 1", { exact: true }).fill("相談支援事業所");
  await page.getByRole("button", { name: "プランを作成する" }).click();
  await page.waitForURL(/\/staff\/plans\/\d+\?created=1$/).catch(async (error: unknown) => {
    throw new Error(`the plan was not created: ${await page.locator("main").innerText()}\n${server.output().slice(-4000)}`, { cause: error });
  });

  await page.goto(`${server.url}/staff/people/${caseNumber}/follow-ups`);
  await page.getByRole("link", { name: "2026-11-08 受け入れ先との連絡を記録する" }).click();
  await page.getByLabel("方法").selectOption("phone");
  await page.getByRole("group", { name: "受け入れ先の評価" }).getByRole("radio", { name: "3 おおむねよい" }).check();
  await page.getByRole("button", { name: "フォローアップを記録する" }).click();
  await expect.poll(() => page.getByText("フォローアップを記録しました。").count()).toBe(1);
  await expect.poll(() => page.getByText("3（おおむねよい）").count()).toBe(1);
  await context.close();
}, 120_000);
