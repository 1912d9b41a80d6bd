// Resident journeys in real Chromium against the real server (`scripts/start.ts` over a fresh copy
// of the open-data database): search 「子育て」 from the home page, open a result, read its schedule
// and source credit — with JavaScript on and off — plus axe on the main pages and the map.
// One server and one browser for the whole file. Screenshots go to tests/artifacts/.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { axeViolations, launchBrowser, screenshot } from "../helpers/browser";
import { testEngine } from "../helpers/db";
import { startTestServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Screenshot names carry the database engine: both projects may run at the same time. */
function shot(page: Page, name: string) {
  return screenshot(page, `resident-${testEngine()}-${name}`);
}

/**
 * A context whose map tiles always fail (as on a machine without network), and a record of what
 * went wrong in its pages: uncaught errors and Content-Security-Policy refusals.
 */
async function newContext(options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo", ...options });
  const problems: string[] = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort("internetdisconnected"));
  context.on("page", (page) => watch(page, problems));
  return { context, problems };
}

function watch(page: Page, problems: string[]) {
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|hydrat/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
}

/** Waits for Leaflet to draw; on a timeout, says what the page reported (a CSP refusal, an error). */
async function waitForMap(page: Page, problems: string[]) {
  try {
    await page.locator(".results-map .leaflet-container").first().waitFor({ timeout: 15_000 });
  } catch (error) {
    throw new Error(`the map did not appear; the page reported:\n${problems.join("\n") || "(nothing)"}`, { cause: error });
  }
}

/** Home → type 「子育て」 → submit → a result that has a schedule → its page. Returns the place page. */
async function searchAndOpenResult(context: BrowserContext, label: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await expect.poll(() => page.locator("h1").textContent()).toContain("さがす");
  await shot(page, `${label}-1-home`);

  const box = page.getByRole("searchbox", { name: "キーワード" });
  await box.click();
  await box.pressSequentially("子育て");
  await Promise.all([page.waitForURL(/\/places\?q=/), box.press("Enter")]);
  expect(new URL(page.url()).searchParams.get("q")).toBe("子育て");
  await expect.poll(() => page.locator("h1").textContent()).toBe("「子育て」の検索結果");
  const count = await page.locator(".result-count").textContent();
  expect(Number(/([\d,]+)件/.exec(count ?? "")?.[1]?.replace(/,/g, "") ?? 0)).toBeGreaterThanOrEqual(5);
  await shot(page, `${label}-2-results`);

  // The first result that shows when it meets: its page has a rule and next dates to check.
  const withSchedule = page.locator(".result").filter({ has: page.locator(".result__when") }).first();
  const link = withSchedule.locator("h3 a");
  const name = (await link.textContent())?.trim() ?? "";
  expect(name).toContain("子育て");
  await Promise.all([page.waitForURL(/\/places\/\d+$/), link.click()]);
  await expect.poll(() => page.locator("h1").textContent()).toBe(name);
  return page;
}

/** What every place page must tell: when (rule in Japanese and the next dates) and whose data. */
async function expectScheduleAndAttribution(page: Page) {
  const when = page.locator("section[aria-labelledby='when-heading']");
  const rule = (await when.locator(".schedule__rule").first().textContent()) ?? "";
  // e.g. 「月〜金 9:30–12:00・13:30–16:00」 or 「毎月第2・第4火曜 10:00–12:00」
  expect(rule).toMatch(/[月火水木金土日]/);
  expect(rule).toMatch(/\d{1,2}:\d{2}/);
  const dates = when.locator(".schedule__dates").first();
  expect(await dates.textContent()).toContain("次回の予定");
  const times = await dates.locator("time").evaluateAll((nodes) =>
    nodes.map((n) => ({ datetime: n.getAttribute("datetime") ?? "", text: n.textContent ?? "" }))
  );
  expect(times.length).toBeGreaterThanOrEqual(1);
  expect(times.length).toBeLessThanOrEqual(3);
  for (const time of times) {
    expect(time.datetime).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(time.text).toMatch(/\d{1,2}月\d{1,2}日\([月火水木金土日]\)/);
  }
  // Dates come in order, none in the past (Tokyo time).
  const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());
  expect(times.map((t) => t.datetime)).toEqual([...times.map((t) => t.datetime)].sort());
  expect(times[0].datetime >= today).toBe(true);

  const credit = page.locator("section.attribution");
  await expect.poll(() => credit.locator("h2").textContent()).toBe("この情報の出典");
  const creditText = (await credit.textContent()) ?? "";
  expect(creditText).toContain("焼津市");
  expect(creditText).toContain("ライセンス");
  expect(await credit.getByRole("link", { name: "データの出典とライセンスについて" }).count()).toBe(1);
}

describe("a resident searches 「子育て」 and opens a result", () => {
  test("with JavaScript", async () => {
    const { context, problems } = await newContext();
    const documents: string[] = [];
    context.on("request", (request) => {
      if (request.isNavigationRequest() && request.frame() === request.frame().page()?.mainFrame()) {
        documents.push(new URL(request.url()).pathname);
      }
    });
    try {
      const page = await searchAndOpenResult(context, "js");
      await expectScheduleAndAttribution(page);
      // Opening the result stayed inside the app (the router fetched its data), as a <Link> does.
      expect(documents.some((p) => /^\/places\/\d+$/.test(p))).toBe(false);
      // Hydrated: the small map of the place is drawn by Leaflet.
      await waitForMap(page, problems);
      await shot(page, "js-3-place");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("without JavaScript", async () => {
    const { context, problems } = await newContext({ javaScriptEnabled: false });
    try {
      const page = await searchAndOpenResult(context, "nojs");
      await expectScheduleAndAttribution(page);
      // No map box without scripts; the page says so instead.
      expect(await page.locator(".leaflet-container").count()).toBe(0);
      await shot(page, "nojs-3-place");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("accessibility (axe)", () => {
  let context: BrowserContext;
  let placePath = "";
  beforeAll(async () => {
    ({ context } = await newContext());
    const page = await context.newPage();
    await page.goto(`${server.url}/places?q=${encodeURIComponent("子育て支援センター")}`);
    placePath = (await page.locator(".result h3 a").first().getAttribute("href")) ?? "";
    await page.close();
  });
  afterAll(async () => {
    await context?.close();
  });

  test.each([
    ["home", "/"],
    ["places", "/places"],
    ["places-filtered", `/places?q=${encodeURIComponent("子育て")}&kind=kosodate_shien`],
    ["places-near", `/places?near=${encodeURIComponent("焼津駅")}`],
    ["places-near-missing", `/places?near=${encodeURIComponent("ほげほげ")}`],
    ["places-area-empty", "/places?bbox=24.0,123.0,24.1,123.1"],
    ["place", "PLACE"],
  ])("axe finds no violations on %s", async (name, target) => {
    const path = target === "PLACE" ? placePath : target;
    expect(path).toMatch(/^\//);
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState("networkidle");
      const violations = await axeViolations(page);
      if (violations.length > 0) console.log(`axe violations on ${path}:\n${JSON.stringify(violations, null, 2)}`);
      expect(violations).toEqual([]);
      await shot(page, `axe-${name}`);
    } finally {
      await page.close();
    }
  });
});

describe("the map on /places", () => {
  test("shows markers over the outline of Japan when tiles cannot load", async () => {
    const { context, problems } = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/places?kind=kosodate_shien`);
      await waitForMap(page, problems);
      await expect.poll(() => page.locator(".results-map .map-pin, .results-map .map-cluster").count()).toBeGreaterThan(0);
      // The bundled outline is drawn in its own pane under the tiles.
      await expect.poll(() => page.locator(".leaflet-outline-pane path").count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.locator(".results-map__notes").textContent()).toContain("簡易的な地図");
      // The list is unaffected.
      expect(await page.locator(".result").count()).toBeGreaterThan(0);
      await shot(page, "map-no-tiles");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** Names in the result list, in order. */
function listNames(page: Page): Promise<string[]> {
  return page.locator(".result h3 a").evaluateAll((links) => links.map((a) => a.textContent?.trim() ?? ""));
}

/** Markers on the map: single pins plus the counts written in cluster bubbles. */
async function markerCount(page: Page): Promise<number> {
  const pins = await page.locator(".results-map .map-pin").count();
  const clusters = await page
    .locator(".results-map .map-cluster")
    .evaluateAll((nodes) => nodes.reduce((sum, n) => sum + (Number.parseInt(n.textContent ?? "0", 10) || 0), 0));
  return pins + clusters;
}

describe("map search on /places", () => {
  test("moving the map offers 「このエリアで検索」; list, markers and URL follow, and the URL works without JavaScript", async () => {
    const { context, problems } = await newContext();
    const { context: plain } = await newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.goto(`${server.url}/places?kind=kodomo_shokudo`);
      await waitForMap(page, problems);
      const before = (await page.locator(".result-count").textContent()) ?? "";
      const areaButton = page.getByRole("button", { name: "このエリアで検索" });
      expect(await areaButton.count()).toBe(0); // nothing moved yet

      // Zoom in twice with the map's own control: a move made by the person.
      await page.locator(".results-map__canvas").scrollIntoViewIfNeeded();
      for (let i = 0; i < 2; i++) {
        await page.getByRole("button", { name: "拡大" }).click();
        await page.waitForTimeout(400); // the zoom animation
      }
      await areaButton.waitFor({ timeout: 5_000 });
      const apiCall = page.waitForResponse((r) => r.url().includes("/api/search?"));
      await areaButton.click();
      const response = await apiCall;
      expect(response.status()).toBe(200);
      await page.waitForURL(/[?&]bbox=/);
      const url = new URL(page.url());
      expect(url.searchParams.getAll("kind")).toEqual(["kodomo_shokudo"]);
      const bbox = url.searchParams.get("bbox")!.split(",").map(Number);
      expect(bbox).toHaveLength(4);

      // The live region tells the new count.
      const status = page.getByRole("status").filter({ hasText: "地図の範囲内で" });
      await status.waitFor();
      const count = Number(/([\d,]+)件/.exec((await status.textContent()) ?? "")?.[1]?.replace(/,/g, ""));
      expect(count).toBeGreaterThan(0);
      expect(await status.textContent()).not.toBe(before);

      // The list and the markers are the places the API found inside the box.
      const api = (await response.json()) as { total: number; hits: { name: string; lat: number; lon: number }[] };
      expect(api.total).toBe(count);
      const [south, west, north, east] = bbox;
      for (const hit of api.hits) {
        expect(hit.lat >= south && hit.lat <= north && hit.lon >= west && hit.lon <= east).toBe(true);
      }
      const names = await listNames(page);
      expect(names).toEqual(api.hits.map((h) => h.name));
      await expect.poll(() => markerCount(page)).toBe(api.hits.length);
      expect(await page.getByRole("link", { name: "条件「地図の範囲」を外す" }).count()).toBe(1);
      await shot(page, "map-area-search");

      // The same URL, reloaded and without JavaScript, renders the same list on the server.
      await page.reload();
      expect(await listNames(page)).toEqual(names);
      const noJs = await plain.newPage();
      await noJs.goto(page.url());
      expect(await listNames(noJs)).toEqual(names);
      expect(await noJs.locator(".result-count").textContent()).toContain("地図の範囲内で");
      await shot(noJs, "map-area-search-nojs");

      // Back goes to the list before the area search.
      await page.goBack();
      await page.waitForURL((u) => !u.searchParams.has("bbox"));
      await expect.poll(() => page.locator(".result-count").textContent()).toBe(before);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await plain.close();
    }
  });
});

describe("「近くの場所をさがす」", () => {
  test("「現在地から探す」 uses the browser's location when it is allowed", async () => {
    const { context, problems } = await newContext();
    // Near Yaizu city hall.
    await context.grantPermissions(["geolocation"], { origin: server.url });
    await context.setGeolocation({ latitude: 34.8669, longitude: 138.3236 });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/places?kind=kosodate_shien`);
      await waitForMap(page, problems);
      await Promise.all([page.waitForURL(/[?&]lat=/), page.getByRole("button", { name: "現在地から探す" }).click()]);
      const url = new URL(page.url());
      expect(url.searchParams.get("sort")).toBe("distance");
      expect(Number(url.searchParams.get("lat"))).toBeCloseTo(34.867, 2);
      expect(url.searchParams.getAll("kind")).toEqual(["kosodate_shien"]);
      await expect.poll(() => page.locator(".result-count").textContent()).toContain("指定した地点から近い順");
      expect(await page.locator(".result__distance").first().textContent()).toMatch(/^約[\d.]+(m|km)$/);
      await shot(page, "near-geolocation");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("when the location is refused, the address box takes over", async () => {
    const { context, problems } = await newContext();
    await context.clearPermissions();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/places`);
      await waitForMap(page, problems);
      await page.getByRole("button", { name: "現在地から探す" }).click();
      await expect.poll(() => page.locator(".near-search__status").textContent()).toMatch(/住所や駅名を入れて探せます/);
      // Focus moved to the text box, so typing goes straight there.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("near-text");
      await page.keyboard.type("練馬区");
      await Promise.all([page.waitForURL(/[?&]near=/), page.keyboard.press("Enter")]);
      await expect.poll(() => page.locator(".near-note").textContent()).toContain(
        "『練馬区』の周辺（登録された場所の中心）から近い順"
      );
      expect(await page.locator(".result").first().textContent()).toContain("練馬区");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("without JavaScript the address box works, and says when nothing matches", async () => {
    const { context, problems } = await newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/places?kind=kosodate_shien`);
      expect(await page.getByRole("button", { name: "現在地から探す" }).count()).toBe(0);
      const box = page.getByRole("textbox", { name: "住所・駅名・地名から探す" });
      await box.fill("焼津駅");
      await Promise.all([page.waitForURL(/[?&]near=/), box.press("Enter")]);
      const url = new URL(page.url());
      expect(url.searchParams.getAll("kind")).toEqual(["kosodate_shien"]); // the filters stay
      const note = (await page.locator(".near-note").textContent()) ?? "";
      expect(note).toContain("『焼津』の周辺（登録された場所の中心）から近い順");
      expect(note).toContain("「焼津駅」は見つからなかったため");
      expect(await page.locator(".result__distance").first().textContent()).toMatch(/^約/);
      await shot(page, "near-text-nojs");

      const unknown = page.getByRole("textbox", { name: "住所・駅名・地名から探す" });
      await unknown.fill("ほげほげ町");
      await Promise.all([page.waitForURL(/%E3%81%BB%E3%81%92/), unknown.press("Enter")]);
      expect(await page.locator(".near-note").textContent()).toContain("見つからなかったため、近い順には並べていません");
      expect(await page.locator(".result").count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
