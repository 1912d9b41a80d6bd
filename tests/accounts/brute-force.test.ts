// Login attempts: the 6th wrong password within a minute is refused with a lockout notice, and an
// unknown address gets the same messages, the same statuses and a similar response time.
import { afterAll, beforeAll, expect, test } from "vitest";
import { setDatabase } from "../../db/client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { anonymous, makeUser, outcome, postForm } from "./helpers";
import { action as loginAction } from "~/routes/login";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
});
afterAll(async () => {
  await database?.cleanup();
});

async function attempt(email: string, password: string, clientIp: string) {
  const anon = await anonymous();
  const started = performance.now();
  const result = await outcome(() => loginAction({ request: postForm("/login", { email, password, csrf: anon.csrf }, { cookie: anon.cookie }), params: {}, context: { clientIp } }));
  return { ...result, ms: performance.now() - started };
}

test("the 6th wrong password within a minute is refused with a Japanese lockout notice, even with the right password", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  const results = [];
  for (let i = 0; i < 6; i++) results.push(await attempt(user.email, `wrong password ${i}`, "192.0.2.10"));
  expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
  expect(results[0].data.message).toBe("メールアドレスまたはパスワードが正しくありません。");
  expect(String(results[5].data.message)).toMatch(/試行回数が上限を超えた.*分ほど待って/);
  const right = await attempt(user.email, user.password, "192.0.2.10");
  expect(right.status).toBe(429);
  // From another network the account is just as locked: the limit is per account, not only per IP.
  const elsewhere = await attempt(user.email, user.password, "198.51.100.7");
  expect(elsewhere.status).toBe(429);
});

test("an unknown address gets exactly the same answers as a known one", async () => {
  const user = await makeUser(database.db, { role: "staff" });
  const known = [];
  const unknown = [];
  for (let i = 0; i < 6; i++) {
    known.push(await attempt(user.email, `nope nope ${i}`, "192.0.2.20"));
    unknown.push(await attempt("nobody-here@example.jp", `nope nope ${i}`, "192.0.2.21"));
  }
  expect(unknown.map((r) => r.status)).toEqual(known.map((r) => r.status));
  expect(unknown.map((r) => r.data.message)).toEqual(known.map((r) => r.data.message));
  expect(unknown.map((r) => r.data.messageEn)).toEqual(known.map((r) => r.data.messageEn));
});

test("an unknown address takes about as long as a wrong password (a dummy hash is verified)", async () => {
  const user = await makeUser(database.db, { role: "admin" });
  // Warm up both paths (the dummy hash is computed on first use).
  await attempt("warmup@example.jp", "x", "192.0.2.30");
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 4; i++) {
    known.push((await attempt(user.email, `bad ${i}`, `192.0.2.${40 + i}`)).ms);
    unknown.push((await attempt(`ghost${i}@example.jp`, `bad ${i}`, `192.0.2.${50 + i}`)).ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = median(unknown) / median(known);
  expect(ratio).toBeGreaterThan(0.4);
  expect(ratio).toBeLessThan(2.5);
});

test("a successful sign-in clears the account's count of wrong passwords", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  for (let i = 0; i < 4; i++) expect((await attempt(user.email, `wrong ${i}`, "192.0.2.60")).status).toBe(401);
  expect((await attempt(user.email, user.password, "192.0.2.60")).status).toBe(302);
  for (let i = 0; i < 5; i++) expect((await attempt(user.email, `wrong again ${i}`, "192.0.2.60")).status).toBe(401);
});
