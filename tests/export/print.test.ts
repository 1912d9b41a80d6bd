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

test("the static map numbers the located places as the list does", async () => {
  const response = await fetch(`${server.url}/places/print?area=${encodeURIComponent("焼津市")}&kind=kominkan`);
  const html = await response.text();
  const listed = [...html.matchAll(/<span class="print-entry__n">(\d+)<\/span>/g)].map((m) => Number(m[1]));
  expect(listed.length).toBeGreaterThan(0);
  expect(listed).toEqual(listed.map((_, i) => i + 1));
  expect(html).toMatch(/<svg viewBox="0 0 640 420" role="img" aria-label="地図：\d+か所/);
  const dots = [...html.matchAll(/<circle r="8" class="print-map__dot"/g)].length;
  expect(dots).toBeGreaterThan(0);
  expect(dots).toBeLessThanOrEqual(listed.length);
  // Yaizu is on the coast: the land outline is drawn.
  expect(html).toMatch(/<path d="M[\d.-]+ [\d.-]+L/);
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
