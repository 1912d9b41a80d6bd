// The geocoder client against a FAKE address search server (node http on 127.0.0.1, a random
// port) that answers in the format of 国土地理院's API: no network is reachable in tests. Each
// failure mode of a real service (nothing found, HTTP 500, a body that is not JSON, no answer at
// all) must give a Japanese message instead of an exception, and only the address may be sent.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createGsiGeocoder, GEOCODE_MESSAGES } from "~/geocoder/geocoder.server";

interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

const seen: SeenRequest[] = [];
let server: http.Server;
let base: string;
const hanging = new Set<http.ServerResponse>();

const HONCHO = [
  { geometry: { coordinates: [138.318054, 34.866756], type: "Point" }, type: "Feature", properties: { addressCode: "", title: "静岡県焼津市本町二丁目" } },
  { geometry: { coordinates: [138.3, 34.86], type: "Point" }, type: "Feature", properties: { addressCode: "", title: "静岡県焼津市本町" } },
];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    seen.push({ method: request.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers });
    const q = url.searchParams.get("q") ?? "";
    const json = (status: number, body: string) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(body);
    };
    if (url.pathname === "/500") return json(500, '{"error":"internal"}');
    if (url.pathname === "/bad-json") return json(200, "<html>maintenance</html>");
    if (url.pathname === "/not-a-list") return json(200, '{"features":[]}');
    if (url.pathname === "/hang") {
      hanging.add(response);
      return; // never answers
    }
    if (url.pathname === "/outside-japan") {
      return json(200, JSON.stringify([{ geometry: { coordinates: [-0.1278, 51.5074], type: "Point" }, type: "Feature", properties: { title: "London" } }]));
    }
    if (q.includes("本町")) return json(200, JSON.stringify(HONCHO));
    return json(200, "[]");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await new Promise((resolve) => server.close(resolve));
});

test("fake GSI server: an address is found, first feature wins, coordinates come as [lon, lat]", async () => {
  const geocoder = createGsiGeocoder({ url: `${base}/address-search/AddressSearch` });
  const outcome = await geocoder.geocodeAddress("静岡県焼津市本町２丁目");
  expect(outcome).toEqual({ kind: "found", lat: 34.866756, lon: 138.318054, title: "静岡県焼津市本町二丁目" });
});

test("fake GSI server: only the address is sent, as q, in a plain GET without cookies", async () => {
  seen.length = 0;
  const geocoder = createGsiGeocoder({ url: `${base}/address-search/AddressSearch` });
  await geocoder.geocodeAddress("  静岡県焼津市本町２丁目  ");
  expect(seen).toHaveLength(1);
  const [request] = seen;
  expect(request.method).toBe("GET");
  expect(request.path).toBe("/address-search/AddressSearch");
  // NFKC and trimmed: full-width digits typed with the IME become ASCII.
  expect(request.query).toEqual({ q: "静岡県焼津市本町2丁目" });
  expect(request.headers.cookie).toBeUndefined();
  expect(request.headers.authorization).toBeUndefined();
  expect(request.headers.referer).toBeUndefined();
});

test("fake GSI server: an empty answer is 'not found' with a Japanese message", async () => {
  const geocoder = createGsiGeocoder({ url: `${base}/address-search/AddressSearch` });
  const outcome = await geocoder.geocodeAddress("存在しない町1-1");
  expect(outcome).toEqual({ kind: "not-found", message: GEOCODE_MESSAGES.notFound });
  expect(outcome.kind === "not-found" && outcome.message).toMatch(/見つかりませんでした/);
});

test("fake GSI server: HTTP 500 gives an error message, not an exception", async () => {
  const outcome = await createGsiGeocoder({ url: `${base}/500` }).geocodeAddress("静岡県焼津市本町");
  expect(outcome).toEqual({ kind: "error", message: GEOCODE_MESSAGES.unavailable });
});

test("fake GSI server: a body that is not JSON, or JSON of another shape, gives an error message", async () => {
  expect(await createGsiGeocoder({ url: `${base}/bad-json` }).geocodeAddress("静岡県焼津市本町")).toEqual({ kind: "error", message: GEOCODE_MESSAGES.unavailable });
  expect(await createGsiGeocoder({ url: `${base}/not-a-list` }).geocodeAddress("静岡県焼津市本町")).toEqual({ kind: "error", message: GEOCODE_MESSAGES.unavailable });
});

test("fake GSI server: a point outside Japan is not taken", async () => {
  const outcome = await createGsiGeocoder({ url: `${base}/outside-japan` }).geocodeAddress("London");
  expect(outcome.kind).toBe("not-found");
});

test("fake GSI server that never answers: the look-up gives up with an error message", async () => {
  const outcome = await createGsiGeocoder({ url: `${base}/hang`, timeoutMs: 300 }).geocodeAddress("静岡県焼津市本町");
  expect(outcome).toEqual({ kind: "error", message: GEOCODE_MESSAGES.unavailable });
});

test("no server listening: an error message, not an exception", async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const outcome = await createGsiGeocoder({ url: `http://127.0.0.1:${port}/` }).geocodeAddress("静岡県焼津市本町");
  expect(outcome).toEqual({ kind: "error", message: GEOCODE_MESSAGES.unavailable });
});

test("an empty address is not sent at all", async () => {
  seen.length = 0;
  const outcome = await createGsiGeocoder({ url: `${base}/address-search/AddressSearch` }).geocodeAddress("   ");
  expect(outcome.kind).toBe("not-found");
  expect(seen).toHaveLength(0);
});
