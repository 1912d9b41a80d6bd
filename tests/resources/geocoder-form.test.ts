// The registration form's helpers without JavaScript, through the real route actions: 「住所から
// 位置を調べる」 (against a FAKE address search server on 127.0.0.1, since no network is reachable)
// and 「プレビュー」 come back as the same form, filled in and unsaved, and the re-rendered page
// shows the coordinates and the next dates; `/manage/geocode` answers the form's script; saving
// fills prefecture and municipality from the postal code.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { setDatabase } from "../../db/client.server";
import { resources } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { TEST_SESSION_SECRET } from "../helpers/server";

// A fixed secret: the env cache is reset below to pick up GEOCODER_URL, and the CSRF tokens minted
// before the reset must stay valid.
process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { makeUser, ORIGIN, outcome, signIn } = await import("../accounts/helpers");
const { resetEnvCache } = await import("~/utils/env.server");
const { GEOCODE_LIMIT, GEOCODE_MESSAGES, geocodeForUser } = await import("~/geocoder/geocoder.server");
const { action: newAction } = await import("~/routes/manage.resources.new");
const { action: editAction } = await import("~/routes/manage.resources.$id.edit");
const { loader: geocodeLoader } = await import("~/routes/manage.geocode");
const { ResourceForm } = await import("~/resources/ResourceForm");
const { previewSchedule } = await import("~/resources/schedule-preview");

let database: TestDatabase;
let fake: http.Server;
let fakeUrl: string;
const fakeQueries: string[] = [];
type Session = Awaited<ReturnType<typeof signIn>>;
let coordinator: Session;
let coordinatorId: number;

beforeAll(async () => {
  fake = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const q = url.searchParams.get("q") ?? "";
    fakeQueries.push(q);
    response.writeHead(url.pathname === "/broken" ? 500 : 200, { "Content-Type": "application/json" });
    if (url.pathname === "/broken") return response.end("{}");
    response.end(
      q.includes("本町")
        ? JSON.stringify([{ geometry: { coordinates: [138.318054, 34.866756], type: "Point" }, type: "Feature", properties: { addressCode: "", title: "静岡県焼津市本町二丁目" } }])
        : "[]",
    );
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/address-search/AddressSearch`;
  useGeocoder(fakeUrl);
  database = await createTestDatabase();
  setDatabase(database);
  const user = await makeUser(database.db, { role: "coordinator" });
  coordinatorId = user.id;
  coordinator = await signIn(database.db, user);
});

afterAll(async () => {
  useGeocoder(undefined);
  await database?.cleanup();
  await new Promise((resolve) => fake.close(resolve));
});

function useGeocoder(url: string | undefined) {
  if (url === undefined) delete process.env.GEOCODER_URL;
  else process.env.GEOCODER_URL = url;
  resetEnvCache();
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as unknown as ActionFunctionArgs & LoaderFunctionArgs;

function post(path: string, fields: [string, string][]): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: coordinator.cookie },
    body: new URLSearchParams([["csrf", coordinator.csrf], ...fields]).toString(),
  });
}

/** A salon at a 公民館 meeting 毎月第2・第4火曜 10:00–11:30, without coordinates. */
function salon(overrides: Record<string, string> = {}): [string, string][] {
  const fields: Record<string, string> = {
    name: "テストいきいきサロン",
    kind: "salon",
    costKind: "free",
    status: "active",
    postalCode: "425-0022",
    prefecture: "静岡県",
    city: "焼津市",
    addressLine: "本町2丁目16-32",
    building: "本町公民館",
    latitude: "",
    longitude: "",
    "schedule0.kind": "monthly_nth",
    "schedule0.weekday": "TU",
    "schedule0.startTime": "10:00",
    "schedule0.endTime": "11:30",
    ...overrides,
  };
  return [...Object.entries(fields), ["schedule0.nths", "2"], ["schedule0.nths", "4"]];
}

async function resourceCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(resources);
  return row.n;
}

/** The form as the page renders it (server-side, as a browser without JavaScript receives it). */
async function renderForm(values: Record<string, unknown>, assist?: unknown): Promise<string> {
  const element = createElement(ResourceForm, { csrf: "t", values, errors: {}, submitLabel: "下書きとして保存", assist: assist as never, geocoder: true, previewFrom: new Date().toISOString() });
  const handler = createStaticHandler([{ path: "/", element }]);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

test("no JS, fake geocoder: 「住所から位置を調べる」 fills latitude and longitude, re-renders the form and saves nothing", async () => {
  const before = await resourceCount();
  const result = await outcome(() => newAction(args(post("/manage/resources/new", [...salon(), ["intent", "geocode"]]))));
  expect(result.status).toBe(200);
  const values = result.data.values as Record<string, unknown>;
  expect(values.latitude).toBe("34.866756");
  expect(values.longitude).toBe("138.318054");
  expect(values.name).toBe("テストいきいきサロン");
  expect(result.data.assist).toMatchObject({ intent: "geocode", geocode: { ok: true } });
  expect(await resourceCount()).toBe(before);
  // Only the address went out: prefecture + municipality + street, never the building or the name.
  expect(fakeQueries.at(-1)).toBe("静岡県焼津市本町2丁目16-32");

  const html = await renderForm(values, result.data.assist);
  expect(html).toMatch(/name="latitude"[^>]*value="34.866756"/);
  expect(html).toMatch(/name="longitude"[^>]*value="138.318054"/);
  expect(html).toContain("静岡県焼津市本町二丁目");
  expect(html).toContain("住所から位置を調べる");
});

test("no JS, fake geocoder: an address it does not know keeps the form and says so in Japanese", async () => {
  const result = await outcome(() => newAction(args(post("/manage/resources/new", [...salon({ addressLine: "どこにもない町1-1" }), ["intent", "geocode"]]))));
  expect(result.status).toBe(200);
  expect((result.data.values as Record<string, unknown>).latitude).toBe("");
  expect(result.data.assist).toMatchObject({ geocode: { ok: false, message: GEOCODE_MESSAGES.notFound } });
});

test("no JS, fake geocoder answering 500: the message says the service failed, nothing breaks", async () => {
  useGeocoder(fakeUrl.replace("/address-search/AddressSearch", "/broken"));
  try {
    const result = await outcome(() => newAction(args(post("/manage/resources/new", [...salon(), ["intent", "geocode"]]))));
    expect(result.status).toBe(200);
    expect(result.data.assist).toMatchObject({ geocode: { ok: false, message: GEOCODE_MESSAGES.unavailable } });
  } finally {
    useGeocoder(fakeUrl);
  }
});

test("without GEOCODER_URL the look-up says it is not set up, and the form offers no button", async () => {
  useGeocoder(undefined);
  try {
    const result = await outcome(() => newAction(args(post("/manage/resources/new", [...salon(), ["intent", "geocode"]]))));
    expect(result.data.assist).toMatchObject({ geocode: { ok: false, message: GEOCODE_MESSAGES.disabled } });
    const { loader } = await import("~/routes/manage.resources.new");
    const page = (await loader(args(new Request(`${ORIGIN}/manage/resources/new`, { headers: { Cookie: coordinator.cookie } })))) as { geocoder: boolean };
    expect(page.geocoder).toBe(false);
  } finally {
    useGeocoder(fakeUrl);
  }
});

test("no JS: 「プレビュー」 saves nothing and the re-rendered form lists the 2nd and 4th Tuesdays", async () => {
  const before = await resourceCount();
  const result = await outcome(() => newAction(args(post("/manage/resources/new", [...salon(), ["intent", "preview"]]))));
  expect(result.status).toBe(200);
  expect(await resourceCount()).toBe(before);
  const html = await renderForm(result.data.values as Record<string, unknown>, result.data.assist);
  expect(html).toContain("次回の予定");
  const dates = [...html.matchAll(/<time dateTime="(\d{4}-\d{2}-\d{2})">/g)].map((m) => m[1]);
  expect(dates).toHaveLength(5);
  for (const date of dates) {
    const d = new Date(`${date}T00:00:00Z`);
    expect(d.getUTCDay()).toBe(2);
    expect([2, 4]).toContain(Math.ceil(d.getUTCDate() / 7));
  }
  expect(html).toContain("10:00–11:30");
});

test("the edit page takes the same helper posts without saving", async () => {
  const created = await outcome(() => newAction(args(post("/manage/resources/new", [...salon({ latitude: "34.87", longitude: "138.32" }), ["intent", "save"]]))));
  expect(created.status).toBe(302);
  const id = /saved=(\d+)/.exec(created.headers.get("Location") ?? "")?.[1] ?? "";
  const result = await outcome(() => editAction(args(post(`/manage/resources/${id}/edit`, [...salon({ latitude: "34.87", longitude: "138.32" }), ["intent", "geocode"]]), { id })));
  expect(result.status).toBe(200);
  expect((result.data.values as Record<string, unknown>).latitude).toBe("34.866756");
  const [row] = await database.db.select({ latitude: resources.latitude }).from(resources).where(eq(resources.id, Number(id)));
  expect(row.latitude).toBe(34.87);
});

test("saving fills prefecture, municipality and town from a known postal code, and never overwrites what was typed", async () => {
  const saved = await outcome(() =>
    newAction(args(post("/manage/resources/new", [...salon({ postalCode: "４２５－００９１", prefecture: "", city: "", addressLine: "", latitude: "34.88", longitude: "138.30" }), ["intent", "save"]]))),
  );
  expect(saved.status).toBe(302);
  const id = Number(/saved=(\d+)/.exec(saved.headers.get("Location") ?? "")?.[1]);
  const [row] = await database.db.select({ prefecture: resources.prefecture, city: resources.city, addressLine: resources.addressLine, postalCode: resources.postalCode }).from(resources).where(eq(resources.id, id));
  expect(row).toEqual({ prefecture: "静岡県", city: "焼津市", addressLine: "八楠", postalCode: "425-0091" });

  const typed = await outcome(() => newAction(args(post("/manage/resources/new", [...salon({ postalCode: "425-0091", city: "藤枝市", addressLine: "", latitude: "34.88", longitude: "138.30" }), ["intent", "preview"]]))));
  const values = typed.data.values as Record<string, unknown>;
  expect(values.city).toBe("藤枝市");
  // The town belongs to 焼津市, not to what was typed: left empty.
  expect(values.addressLine).toBe("");

  const unknown = await outcome(() => newAction(args(post("/manage/resources/new", [...salon({ postalCode: "100-0001", prefecture: "", city: "" }), ["intent", "preview"]]))));
  expect((unknown.data.values as Record<string, unknown>).prefecture).toBe("");
});

test("/manage/geocode answers the form's script with JSON from the fake geocoder", async () => {
  const get = (address: string) =>
    geocodeLoader(args(new Request(`${ORIGIN}/manage/geocode?${new URLSearchParams({ address })}`, { headers: { Cookie: coordinator.cookie } }))) as Promise<Response>;
  const found = await get("静岡県焼津市本町2丁目16-32");
  expect(found.status).toBe(200);
  expect(found.headers.get("Cache-Control")).toBe("no-store");
  expect(await found.json()).toEqual({ ok: true, lat: 34.866756, lon: 138.318054, title: "静岡県焼津市本町二丁目" });
  const missing = await get("どこにもない町");
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ ok: false, message: GEOCODE_MESSAGES.notFound });
  const empty = await get("   ");
  expect(empty.status).toBe(400);
  expect((await empty.json()).message).toMatch(/住所を入力/);
});

test("look-ups are counted per user: over the limit the answer is 429 with a Japanese message", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  const now = new Date();
  const answers: number[] = [];
  for (let i = 0; i < GEOCODE_LIMIT.max; i++) answers.push((await geocodeForUser(database.db, { userId: user.id, address: "焼津市本町", now })).status);
  expect(answers.every((s) => s === 200)).toBe(true);
  const last = await geocodeForUser(database.db, { userId: user.id, address: "焼津市本町", now });
  expect(last).toMatchObject({ status: 429, message: GEOCODE_MESSAGES.limited });
  // Someone else is not affected.
  expect((await geocodeForUser(database.db, { userId: coordinatorId, address: "焼津市本町", now })).status).toBe(200);
});

test("the live preview: the same code in the browser as on the server, exceptions and 休止 removed", () => {
  const from = new Date("2026-11-23T01:00:00Z"); // Monday 23 November 2026, 10:00 in Tokyo
  const rows = [{ kind: "monthly_nth", weekday: "TU", nths: ["2", "4"], startTime: "10:00", endTime: "11:30", monthDay: "", startsOn: "", exceptionDates: "", pausedFrom: "", pausedUntil: "", note: "" }];
  expect(previewSchedule(rows, from).dates.map((o) => o.date)).toEqual(["2026-11-24", "2026-12-08", "2026-12-22", "2027-01-12", "2027-01-26"]);
  const withHolidays = [{ ...rows[0], exceptionDates: "2026-12-22", pausedFrom: "2027-01-01", pausedUntil: "2027-01-31" }];
  expect(previewSchedule(withHolidays, from).dates.map((o) => o.date)).toEqual(["2026-11-24", "2026-12-08", "2027-02-09", "2027-02-23", "2027-03-09"]);
  const incomplete = previewSchedule([{ ...rows[0], weekday: "" }], from);
  expect(incomplete.dates).toEqual([]);
  expect(incomplete.problems).toEqual(["開催日時 1: 曜日を選んでください"]);
  expect(previewSchedule([{ kind: "none" }], from)).toEqual({ dates: [], problems: [], used: false });
});
