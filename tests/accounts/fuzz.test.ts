// Hostile input to the login and invite handlers (fast-check, 10,000 submissions each, actions
// called directly): never a server error, only the expected refusals, and a refused submission
// stores nothing (no session, user, invite token).
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { setDatabase } from "../../db/client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { anonymous, makeUser, ORIGIN, outcome, signIn } from "./helpers";
import { action as loginAction } from "~/routes/login";
import { action as adminUsersAction } from "~/routes/admin.users";
import { ensureOrganisation } from "~/models/organisation.server";
import { setMailTransport } from "~/utils/mail.server";

const RUNS = 10_000;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  setMailTransport({ name: "discard", send: async () => {} });
});
afterAll(async () => {
  setMailTransport(undefined);
  await database?.cleanup();
});

const HOSTILE = [
  "",
  " ",
  "' OR '1'='1",
  "admin@example.jp'--",
  "\"; DROP TABLE users; --",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>@example.jp",
  "\u0000",
  "a\u0000b@example.jp",
  "\r\nBcc: victim@example.jp",
  "x@example.jp\r\nSubject: hi",
  "%00",
  "../../etc/passwd",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "0",
  "1e309",
  "9".repeat(400),
  "😀".repeat(300),
  "ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｊｐ",
  "\u202etxt.exe",
  "\ud800",
  "a".repeat(5000),
  "//evil.example",
  "/\\evil.example",
  "javascript:alert(1)",
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.emailAddress(),
);

async function count(table: "sessions" | "users" | "user_tokens"): Promise<number> {
  const result = await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`));
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return rows[0].n;
}

/** A form body with the given fields; some runs repeat a field or leave it out. */
function body(fields: [string, string | undefined][]): string {
  const params = new URLSearchParams();
  for (const [name, value] of fields) if (value !== undefined) params.append(name, value);
  return params.toString();
}

test(`${RUNS} hostile login submissions: no 5xx, no session, nothing changed`, { timeout: 600_000 }, async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  const anon = await anonymous();
  const usersBefore = await database.db.execute(sql`select id, email, status, password_hash from users order by id`);
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        email: fc.option(fc.oneof(hostileString, fc.constant(user.email)), { nil: undefined }),
        password: fc.option(fc.oneof(hostileString, fc.string({ maxLength: 2000 })), { nil: undefined }),
        redirectTo: fc.option(hostileString, { nil: undefined }),
        duplicateEmail: fc.option(hostileString, { nil: undefined }),
        csrf: fc.oneof({ weight: 9, arbitrary: fc.constant(anon.csrf) }, { weight: 1, arbitrary: hostileString }),
        clientIp: fc.constantFrom("192.0.2.1", "192.0.2.2", "2001:db8::1"),
      }),
      async (input) => {
        const request = new Request(`${ORIGIN}/login`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: anon.cookie },
          body: body([
            ["email", input.email],
            ["email", input.duplicateEmail],
            ["password", input.password],
            ["redirectTo", input.redirectTo],
            ["csrf", input.csrf],
          ]),
        });
        const result = await outcome(() => loginAction({ request, params: {}, context: { clientIp: input.clientIp } }));
        expect(result.status).toBeLessThan(500);
        expect([400, 401, 403, 429]).toContain(result.status);
      },
    ),
    { numRuns: RUNS },
  );
  expect(await count("sessions")).toBe(0);
  expect(await database.db.execute(sql`select id, email, status, password_hash from users order by id`)).toEqual(usersBefore);
});

test("malformed bodies and content types never cause a server error", { timeout: 120_000 }, async () => {
  const anon = await anonymous();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=xyz", "text/plain", "application/json", ""),
      fc.string({ unit: "binary", maxLength: 500 }),
      async (contentType, raw) => {
        const headers: Record<string, string> = { Origin: ORIGIN, Cookie: anon.cookie };
        if (contentType) headers["Content-Type"] = contentType;
        const request = new Request(`${ORIGIN}/login`, { method: "POST", headers, body: raw });
        const result = await outcome(() => loginAction({ request, params: {}, context: {} }));
        expect(result.status).toBeLessThan(500);
      },
    ),
    { numRuns: 1000 },
  );
  const huge = new Request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: anon.cookie, "Content-Length": String(10 * 1024 * 1024) },
    body: "email=" + "a".repeat(1024),
  });
  expect((await outcome(() => loginAction({ request: huge, params: {}, context: {} }))).status).toBe(413);
});

test(`${RUNS} hostile invite submissions: no 5xx; a refused one creates no user and no token`, { timeout: 600_000 }, async () => {
  const admin = await makeUser(database.db, { role: "admin", totp: true });
  const session = await signIn(database.db, admin, { twoFactorVerified: true });
  const org = await ensureOrganisation(database.db, { name: "福祉総務課", kind: "municipality" });
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        intent: fc.oneof({ weight: 8, arbitrary: fc.constant("invite") }, { weight: 2, arbitrary: hostileString }),
        email: fc.option(fc.oneof(hostileString, fc.emailAddress()), { nil: undefined }),
        displayName: fc.option(hostileString, { nil: undefined }),
        role: fc.option(fc.oneof(fc.constantFrom("coordinator", "staff", "admin"), hostileString), { nil: undefined }),
        organisationId: fc.option(fc.oneof(fc.constant(String(org.id)), hostileString, fc.integer().map(String)), { nil: undefined }),
        csrf: fc.oneof({ weight: 19, arbitrary: fc.constant(session.csrf) }, { weight: 1, arbitrary: hostileString }),
      }),
      async (input) => {
        const usersBefore = await count("users");
        const tokensBefore = await count("user_tokens");
        const request = new Request(`${ORIGIN}/admin/users`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: session.cookie },
          body: body([
            ["intent", input.intent],
            ["email", input.email],
            ["displayName", input.displayName],
            ["role", input.role],
            ["organisationId", input.organisationId],
            ["csrf", input.csrf],
          ]),
        });
        const result = await outcome(() => adminUsersAction({ request, params: {}, context: {} }));
        expect(result.status).toBeLessThan(500);
        if (result.status === 200 && result.data.ok) {
          accepted++;
          expect(await count("users")).toBe(usersBefore + 1);
        } else {
          expect([400, 403, 404, 429]).toContain(result.status);
          expect(await count("users")).toBe(usersBefore);
          expect(await count("user_tokens")).toBe(tokensBefore);
        }
      },
    ),
    { numRuns: RUNS },
  );
  // Some valid invitations got through (up to the hourly limit), the rest were refused cleanly.
  expect(accepted).toBeGreaterThan(0);
  expect(accepted).toBeLessThanOrEqual(30);
});
