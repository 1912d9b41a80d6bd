// /places/print: the A4 district sheet, server-rendered by the real server (no script needed).
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

test("lists the district's places grouped by kind, with the credits at the end", async () => {
  const response = await fetch(`${server.url}/places/print?area=${encodeURIComponent("焼津市")}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain("焼津市 の地域資源一覧");
  const groups = html.match(/<section class="print-group"/g) ?? [];
  expect(groups.length).toBeGreaterThan(1);
  expect(html).toMatch(/<h2 id="group-[a-z_]+">[^<]+（\d+件）<\/h2>/);
  expect(html).toContain("<dt>住所</dt>");
  expect(html).toContain("<dt>電話</dt>");
  expect(html.lastIndexOf("出典")).toBeGreaterThan(html.lastIndexOf("print-entry"));
  expect(html).toContain("焼津市");
  expect(html).toMatch(/print-sheet[^"]*\.css/);
});

test("a kind filter narrows the sheet to one group", async () => {
  const response = await fetch(`${server.url}/places/print?kind=kominkan`);
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html.match(/<section class="print-group"/g) ?? []).toHaveLength(1);
});

test.each(["?kind=nonsense", `?area=${"あ".repeat(51)}`, "?area="])("%s → 400", async (query) => {
  const response = await fetch(`${server.url}/places/print${query}`);
  expect(response.status).toBe(400);
});
