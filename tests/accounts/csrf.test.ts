// CSRF: every route module with an action refuses a POST from another origin, a cross-site
// Sec-Fetch-Site, a missing token or another session's token, with 403 and a Japanese message,
// before doing anything else. New routes with actions are picked up automatically.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { setDatabase } from "../../db/client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { anonymous, makeUser, outcome, postForm, signIn } from "./helpers";

type RouteModule = { action?: (args: ActionFunctionArgs) => Promise<unknown> };
const routesDir = path.resolve(import.meta.dirname, "../../app/routes");
const routeFiles = fs.readdirSync(routesDir).filter((f) => /\.(tsx|ts)$/.test(f));

let database: TestDatabase;
let admin: Awaited<ReturnType<typeof signIn>>;
let other: Awaited<ReturnType<typeof signIn>>;
const actions: { file: string; path: string; params: Record<string, string>; action: NonNullable<RouteModule["action"]> }[] = [];

/** A concrete URL for a route file name (flat routes: dots are slashes, $x a parameter). */
function pathOf(file: string): { path: string; params: Record<string, string> } {
  const name = file.split("/").pop()!.replace(/\.(tsx|ts)$/, "");
  const params: Record<string, string> = {};
  const segments = name
    .split(".")
    .filter((s) => s !== "_index")
    .map((segment) => {
      if (segment === "$") {
        params["*"] = "anything";
        return "anything";
      }
      if (segment.startsWith("$")) {
        params[segment.slice(1)] = "x".repeat(43);
        return params[segment.slice(1)];
      }
      return segment;
    });
  return { path: `/${segments.join("/")}`, params };
}

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  const adminUser = await makeUser(database.db, { role: "admin", totp: true });
  admin = await signIn(database.db, adminUser, { twoFactorVerified: true });
  other = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
  for (const file of routeFiles) {
    const mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as RouteModule;
    if (mod.action) actions.push({ file, ...pathOf(file), action: mod.action });
  }
});
afterAll(async () => {
  await database?.cleanup();
});

test("the route modules with actions are found (the list below is checked against them)", () => {
  expect(actions.map((a) => a.file.split("/").pop()).sort()).toEqual(
    expect.arrayContaining([
      "account.2fa.tsx",
      "account.sessions.tsx",
      "admin.users.tsx",
      "invite.$token.tsx",
      "login.tsx",
      "logout.tsx",
      "password.forgot.tsx",
      "password.reset.$token.tsx",
    ]),
  );
});

async function expectRefused(request: Request, entry: (typeof actions)[number]) {
  const result = await outcome(() => entry.action({ request, params: entry.params, context: {} }));
  expect(result.status, `${entry.file}`).toBe(403);
  expect(String(result.data.message), entry.file).toContain("処理を中止しました");
}

test("a POST with a foreign Origin is refused on every action, even with a valid token", async () => {
  for (const entry of actions) {
    await expectRefused(postForm(entry.path, { csrf: admin.csrf, intent: "invite" }, { cookie: admin.cookie, origin: "https://evil.example" }), entry);
    const anon = await anonymous();
    await expectRefused(postForm(entry.path, { csrf: anon.csrf }, { cookie: anon.cookie, origin: "https://evil.example" }), entry);
    await expectRefused(postForm(entry.path, { csrf: anon.csrf }, { cookie: anon.cookie, origin: "null" }), entry);
  }
});

test("a cross-site Sec-Fetch-Site is refused on every action", async () => {
  for (const entry of actions) {
    await expectRefused(postForm(entry.path, { csrf: admin.csrf }, { cookie: admin.cookie, origin: null, secFetchSite: "cross-site" }), entry);
    await expectRefused(postForm(entry.path, { csrf: admin.csrf }, { cookie: admin.cookie, origin: null, secFetchSite: "same-site" }), entry);
  }
});

test("a same-origin POST without the token, or with another session's token, is refused on every action", async () => {
  for (const entry of actions) {
    await expectRefused(postForm(entry.path, {}, { cookie: admin.cookie }), entry);
    await expectRefused(postForm(entry.path, { csrf: "" }, { cookie: admin.cookie }), entry);
    await expectRefused(postForm(entry.path, { csrf: other.csrf }, { cookie: admin.cookie }), entry);
    const anon = await anonymous();
    await expectRefused(postForm(entry.path, {}, { cookie: anon.cookie }), entry);
    await expectRefused(postForm(entry.path, { csrf: anon.csrf }, {}), entry); // token without its cookie
  }
});

test("a refused POST changes nothing: no session, user or token rows appear", async () => {
  const { sql } = await import("drizzle-orm");
  const counts = async () => {
    const rows = await database.db.execute(
      sql`select (select count(*) from sessions)::int as s, (select count(*) from users)::int as u, (select count(*) from user_tokens)::int as t, (select count(*) from organisations)::int as o`,
    );
    return JSON.stringify(Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows);
  };
  const before = await counts();
  const login = actions.find((a) => a.file.endsWith("login.tsx"))!;
  const users = actions.find((a) => a.file.endsWith("admin.users.tsx"))!;
  await expectRefused(postForm("/login", { email: "x@example.jp", password: "whatever", csrf: admin.csrf }, { cookie: admin.cookie, origin: "https://evil.example" }), login);
  await expectRefused(
    postForm("/admin/users", { intent: "create-organisation", name: "乗っ取り", kind: "npo", csrf: other.csrf }, { cookie: admin.cookie }),
    users,
  );
  expect(await counts()).toBe(before);
});
