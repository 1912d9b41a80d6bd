// The coordinator journey in real Chromium against the real server (`scripts/start.ts` over a fresh
// copy of the open-data database): a coordinator registers 「テストいきいきサロン」 (毎月第2・第4火曜
// 10:00–11:30 at a 公民館), watching the next dates appear as the schedule is entered, fills the
// address from the postal code, looks it up with a FAKE address search server (node http on
// 127.0.0.1, the format of 国土地理院's API: no network is reachable) and moves the map pin by
// clicking and dragging; an admin (with TOTP) approves it in /admin/review; a resident with no
// account searches 「サロン」 on /places, opens it and sees its next dates on 2nd and 4th Tuesdays.
// Map tiles are unreachable (every outside request is aborted), as on a machine without network.
// Screenshots named coordinator-* are the README's (copied to SCREENSHOT_DIR when it is set).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { axeViolations, launchBrowser, screenshot } from "../helpers/browser";
import { startTestServer, TEST_SESSION_SECRET, type RunningServer } from "../helpers/server";

process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { makeUser } = await import("../accounts/helpers");
const { generateTotpCode } = await import("~/utils/totp.server");

const SALON = "テストいきいきサロン";
/** What the fake address search answers for the 公民館's address. */
const KOMINKAN = { lat: 34.866756, lon: 138.318054, title: "静岡県焼津市本町二丁目" };

let server: RunningServer;
let browser: Browser;
let fakeGeocoder: http.Server;
const geocoderQueries: string[] = [];
let coordinator: Awaited<ReturnType<typeof makeUser>>;
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  fakeGeocoder = http.createServer((request, response) => {
    const q = new URL(request.url ?? "/", "http://fake").searchParams.get("q") ?? "";
    geocoderQueries.push(q);
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(
      q.includes("本町")
        ? JSON.stringify([{ geometry: { coordinates: [KOMINKAN.lon, KOMINKAN.lat], type: "Point" }, type: "Feature", properties: { addressCode: "", title: KOMINKAN.title } }])
        : "[]",
    );
  });
  await new Promise<void>((resolve) => fakeGeocoder.listen(0, "127.0.0.1", resolve));
  const geocoderUrl = `http://127.0.0.1:${(fakeGeocoder.address() as AddressInfo).port}/address-search/AddressSearch`;
  [server, browser] = await Promise.all([
    startTestServer(
      { GEOCODER_URL: geocoderUrl },
      {
        async prepare(database) {
          coordinator = await makeUser(database.db, { role: "coordinator", organisation: "焼津市社会福祉協議会" });
          admin = await makeUser(database.db, { role: "admin", totp: true, organisation: "福祉総務課" });
        },
      },
    ),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => fakeGeocoder?.close(resolve));
});

/** A context where every outside request fails, recording page errors and CSP refusals. */
async function newContext(): Promise<{ context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo", viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort("internetdisconnected"));
  context.on("page", (page) => {
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy|hydrat/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
  });
  return { context, problems };
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
}

/** 2nd or 4th Tuesday of its month. */
function isSecondOrFourthTuesday(isoDate: string): boolean {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return date.getUTCDay() === 2 && [2, 4].includes(Math.ceil(date.getUTCDate() / 7));
}

async function numberIn(page: Page, selector: string): Promise<number> {
  return Number(await page.locator(selector).inputValue());
}

test("a coordinator registers a salon with the map pin, an admin approves it, a resident finds it", async () => {
  // ---- The coordinator -----------------------------------------------------------------------
  const { context: coordinatorContext, problems } = await newContext();
  const page = await coordinatorContext.newPage();
  await signIn(page, coordinator.email, coordinator.password);
  await page.waitForURL(/\/account$/);
  await page.goto(`${server.url}/manage/resources/new`);
  await expect.poll(() => page.locator("h1").textContent()).toBe("地域資源を登録する");
  // Hydrated: the pin map is drawn (over the outline of Japan: no tiles here).
  await page.locator(".location-map .leaflet-container").waitFor({ timeout: 20_000 });
  await expect.poll(() => page.locator(".location-map .map-pin").count()).toBe(1);
  await page.waitForLoadState("networkidle");
  const violations = await axeViolations(page);
  if (violations.length > 0) console.log(`axe violations on /manage/resources/new:\n${JSON.stringify(violations, null, 2)}`);
  expect(violations).toEqual([]);
  await screenshot(page, "coordinator-register-1-form", { fullPage: false });

  await page.locator("#f-name").fill(SALON);
  await page.locator("#f-nameKana").fill("てすといきいきさろん");
  await page.locator("#f-kind").selectOption("salon");
  await page.locator("#f-description").fill("お茶を飲みながらおしゃべりと体操をします。どなたでも見学できます。");
  await page.locator("input[name='targetGroups'][value='elderly']").check();

  // The schedule: the next dates follow each change, before anything is saved.
  const preview = page.locator(".schedule-preview");
  expect(await preview.getAttribute("aria-labelledby")).toBe("schedule-preview-heading");
  expect(await preview.locator("[aria-live='polite']").count()).toBe(1);
  await expect.poll(() => preview.textContent()).toContain("開催日時を入れると");
  await page.locator("#f-schedule0-kind").selectOption("monthly_nth");
  await page.locator("#f-schedule0-weekday").selectOption("TU");
  await expect.poll(() => preview.textContent()).toContain("第何週かを1つ以上選んでください");
  await page.locator("input[name='schedule0.nths'][value='2']").check();
  await page.locator("input[name='schedule0.nths'][value='4']").check();
  await page.locator("#f-schedule0-startTime").fill("10:00");
  await page.locator("#f-schedule0-endTime").fill("11:30");
  await expect.poll(() => preview.locator("li").count()).toBe(5);
  const previewDates = await preview.locator("time").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("datetime") ?? ""));
  expect(previewDates.every(isSecondOrFourthTuesday), previewDates.join(",")).toBe(true);
  expect(await preview.locator("li").first().textContent()).toMatch(/\d{1,2}月\d{1,2}日\(火\) 10:00–11:30/);
  await preview.evaluate((element) => element.closest("fieldset")?.scrollIntoView({ block: "start" }));
  await screenshot(page, "coordinator-register-2-schedule", { fullPage: false });

  // The address: the postal code fills prefecture, municipality and town on leaving the field.
  await page.locator("#f-postalCode").fill("425-0022");
  await page.locator("#f-postalCode").press("Tab");
  await expect.poll(() => page.locator("#f-prefecture").inputValue()).toBe("静岡県");
  expect(await page.locator("#f-city").inputValue()).toBe("焼津市");
  expect(await page.locator("#f-addressLine").inputValue()).toBe("本町");
  await page.locator("#f-addressLine").fill("本町2丁目16-32");
  await page.locator("#f-building").fill("本町公民館");

  // 「住所から位置を調べる」 asks the (fake) geocoder through /manage/geocode, in place.
  await page.getByRole("button", { name: "住所から位置を調べる" }).click();
  await expect.poll(() => page.locator("#f-latitude").inputValue()).toBe(String(KOMINKAN.lat));
  expect(await page.locator("#f-longitude").inputValue()).toBe(String(KOMINKAN.lon));
  await expect.poll(() => page.locator("#geocode-status").textContent()).toContain(KOMINKAN.title);
  expect(geocoderQueries.at(-1)).toBe("静岡県焼津市本町2丁目16-32");
  expect(new URL(page.url()).pathname).toBe("/manage/resources/new");

  // The pin: a click on the map puts it there; dragging moves it; both write the fields.
  const canvas = page.locator(".location-map .leaflet-container");
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40);
  await expect.poll(() => numberIn(page, "#f-latitude")).not.toBe(KOMINKAN.lat);
  const clickedLat = await numberIn(page, "#f-latitude");
  const clickedLon = await numberIn(page, "#f-longitude");
  expect(clickedLat).toBeLessThan(KOMINKAN.lat); // below the centre = further south
  expect(clickedLon).toBeGreaterThan(KOMINKAN.lon); // right of the centre = further east

  const pin = page.locator(".location-map .map-pin");
  const pinBox = (await pin.boundingBox())!;
  await page.mouse.move(pinBox.x + pinBox.width / 2, pinBox.y + pinBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(pinBox.x + pinBox.width / 2 - 40, pinBox.y + pinBox.height / 2 - 60, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => numberIn(page, "#f-latitude")).toBeGreaterThan(clickedLat); // dragged north
  expect(await numberIn(page, "#f-longitude")).toBeLessThan(clickedLon); // and west
  const pinnedLat = await numberIn(page, "#f-latitude");
  expect(Math.abs(pinnedLat - KOMINKAN.lat)).toBeLessThan(0.01); // still the same neighbourhood
  await page.locator("#f-addressLine").evaluate((element) => element.scrollIntoView({ block: "start" }));
  await screenshot(page, "coordinator-register-3-location", { fullPage: false });

  await Promise.all([page.waitForURL(/\/manage\/resources\?saved=\d+/), page.getByRole("button", { name: "保存して審査を申請する" }).click()]);
  await expect.poll(() => page.locator("main").textContent()).toContain(SALON);
  await expect.poll(() => page.locator("main").textContent()).toContain("審査待ち");
  await screenshot(page, "coordinator-register-4-submitted");
  expect(problems).toEqual([]);
  await coordinatorContext.close();

  // ---- The admin -----------------------------------------------------------------------------
  const { context: adminContext, problems: adminProblems } = await newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, admin.email, admin.password);
  await adminPage.waitForURL(/\/account\/2fa/);
  await adminPage.getByLabel("確認コード（6桁）").fill(generateTotpCode(admin.totpSecret!, new Date()));
  await adminPage.getByRole("button", { name: "確認する" }).click();
  await adminPage.waitForURL(/\/account$/);
  await adminPage.goto(`${server.url}/admin/review`);
  const entry = adminPage.locator("article").filter({ has: adminPage.getByRole("heading", { name: SALON }) });
  await expect.poll(() => entry.count()).toBe(1);
  await screenshot(adminPage, "coordinator-review-1-queue");
  await entry.getByRole("button", { name: "承認して公開" }).click();
  await expect.poll(() => adminPage.getByText("承認して公開しました").count()).toBe(1);
  await screenshot(adminPage, "coordinator-review-2-approved");
  expect(adminProblems).toEqual([]);
  await adminContext.close();

  // ---- A resident, no account ----------------------------------------------------------------
  const { context: residentContext, problems: residentProblems } = await newContext();
  const residentPage = await residentContext.newPage();
  const result = residentPage.locator(".result h3 a", { hasText: SALON });
  // The search index follows through the outbox (and anonymous pages are cached for seconds).
  await expect
    .poll(
      async () => {
        await residentPage.goto(`${server.url}/places`);
        const search = residentPage.getByRole("searchbox", { name: "キーワード" });
        await search.fill("サロン");
        await Promise.all([residentPage.waitForURL(/\/places\?q=/), search.press("Enter")]);
        return result.count();
      },
      { timeout: 60_000, interval: 2000 },
    )
    .toBe(1);
  await Promise.all([residentPage.waitForURL(/\/places\/\d+$/), result.click()]);
  await expect.poll(() => residentPage.locator("h1").textContent()).toBe(SALON);
  const when = residentPage.locator("section[aria-labelledby='when-heading']");
  expect(await when.locator(".schedule__rule").first().textContent()).toContain("毎月第2・第4火曜 10:00–11:30");
  const shown = await when.locator(".schedule__dates time").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("datetime") ?? ""));
  expect(shown.length).toBeGreaterThanOrEqual(1);
  expect(shown.every(isSecondOrFourthTuesday), shown.join(",")).toBe(true);
  // The same dates the coordinator saw while typing.
  expect(shown).toEqual(previewDates.slice(0, shown.length));
  await screenshot(residentPage, "coordinator-review-3-public-page");
  expect(residentProblems).toEqual([]);
  await residentContext.close();
}, 300_000);

test("without JavaScript, 「プレビュー」 and 「住所から位置を調べる」 post the form and bring it back filled, unsaved", async () => {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo", javaScriptEnabled: false });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort("internetdisconnected"));
  try {
    const page = await context.newPage();
    await signIn(page, coordinator.email, coordinator.password);
    await page.waitForURL(/\/account$/);
    await page.goto(`${server.url}/manage/resources/new`);
    // No map without scripts: the number fields are the way to set the point.
    expect(await page.locator(".leaflet-container").count()).toBe(0);
    await page.locator("#f-name").fill("スクリプトなしサロン");
    await page.locator("#f-schedule0-kind").selectOption("monthly_nth");
    await page.locator("#f-schedule0-weekday").selectOption("TU");
    await page.locator("input[name='schedule0.nths'][value='2']").check();
    await page.locator("input[name='schedule0.nths'][value='4']").check();
    await page.locator("#f-schedule0-startTime").fill("10:00");
    await page.locator("#f-schedule0-endTime").fill("11:30");
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: /^プレビュー/ }).click()]);
    await expect.poll(() => page.getByText("まだ保存していません").count()).toBe(1);
    const dates = await page.locator(".schedule-preview time").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("datetime") ?? ""));
    expect(dates).toHaveLength(5);
    expect(dates.every(isSecondOrFourthTuesday), dates.join(",")).toBe(true);
    expect(await page.locator("#f-name").inputValue()).toBe("スクリプトなしサロン");

    // The postal code fills the address on the server; the look-up fills the coordinates.
    await page.locator("#f-postalCode").fill("425-0022");
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "住所から位置を調べる" }).click()]);
    await expect.poll(() => page.locator("#f-latitude").inputValue()).toBe(String(KOMINKAN.lat));
    expect(await page.locator("#f-longitude").inputValue()).toBe(String(KOMINKAN.lon));
    expect(await page.locator("#f-prefecture").inputValue()).toBe("静岡県");
    expect(await page.locator("#f-city").inputValue()).toBe("焼津市");
    expect(await page.locator("#geocode-status").textContent()).toContain(KOMINKAN.title);
    expect(new URL(page.url()).pathname).toBe("/manage/resources/new");

    // Nothing was saved by either post.
    await page.goto(`${server.url}/manage/resources`);
    expect(await page.getByText("スクリプトなしサロン").count()).toBe(0);
  } finally {
    await context.close();
  }
}, 120_000);
