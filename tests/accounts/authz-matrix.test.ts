// The authorization matrix, against the real server: every route file in app/routes × every role
// (anonymous, coordinator, staff, admin) × GET/POST must answer what the table below says. A route
// file without an entry fails the test, so a new page cannot ship without deciding who may use it.
// Every response must also carry the security headers, and the log must hold no secrets.
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { resources } from "../../db/schema";
import { startTestServer, TEST_SESSION_SECRET, type RunningServer } from "../helpers/server";

// Cookies and CSRF tokens are minted here exactly as the server mints them: same secret.
process.env.SESSION_SECRET = TEST_SESSION_SECRET;
const { anonymous, cookiePair, makeUser } = await import("./helpers");
const { createSession } = await import("~/utils/session.server");
const { csrfTokenForSession } = await import("~/utils/csrf.server");
const { sha256Hex } = await import("~/utils/secrets.server");

type Role = "anonymous" | "coordinator" | "staff" | "admin";
const ROLES: Role[] = ["anonymous", "coordinator", "staff", "admin"];
/** A status, "login" (302 to /login?redirectTo=…), or "redirect:/path" (302 elsewhere). */
type Expected = number | "login" | `redirect:${string}`;
type PerRole = Record<Role, Expected>;
const all = (e: Expected): PerRole => ({ anonymous: e, coordinator: e, staff: e, admin: e });
const signedIn = (e: Expected, anonymous: Expected = "login"): PerRole => ({ anonymous, coordinator: e, staff: e, admin: e });

const BOGUS_TOKEN = "x".repeat(43);

/** What each route answers. POSTs carry a valid CSRF token and an empty form. */
const MATRIX: Record<string, { path: string | ((ids: { place: number }) => string); get: PerRole; post: PerRole }> = {
  // Public pages (residents): anyone may read; nothing to post.
  "_index.tsx": { path: "/", get: all(200), post: all(405) },
  "places._index.tsx": { path: "/places", get: all(200), post: all(405) },
  "places.$id.tsx": { path: ({ place }) => `/places/${place}`, get: all(200), post: all(405) },
  "about.tsx": { path: "/about", get: all(200), post: all(405) },
  "healthz.ts": { path: "/healthz", get: all(200), post: all(405) },
  "api.search.ts": { path: "/api/search", get: all(200), post: all(405) }, // the map's JSON search
  // Open data: the JSON API, its description, the downloads and the printable district sheet.
  "api.resources.ts": { path: "/api/resources", get: all(200), post: all(405) },
  "api.openapi[.]json.ts": { path: "/api/openapi.json", get: all(200), post: all(405) },
  "export.resources[.]csv.ts": { path: "/export/resources.csv", get: all(200), post: all(405) },
  "export.resources[.]hsds[.]json.ts": { path: "/export/resources.hsds.json", get: all(200), post: all(405) },
  "export.resources[.]geojson.ts": { path: "/export/resources.geojson", get: all(200), post: all(405) },
  "places.print.tsx": { path: "/places/print?area=焼津市", get: all(200), post: all(405) },
  "hello.tsx": { path: "/hello", get: all(404), post: all(405) }, // bench only
  "$.tsx": { path: "/no-such-page", get: all(404), post: all(405) },
  // Signing in and out.
  // Signed in, the page re-renders through its loader, which sends them to their account.
  "login.tsx": { path: "/login", get: signedIn("redirect:/account", 200), post: signedIn("redirect:/account", 400) },
  "logout.tsx": { path: "/logout", get: signedIn(200), post: all("redirect:/login?done=logout") },
  "password.forgot.tsx": { path: "/password/forgot", get: all(200), post: all(400) },
  "password.reset.$token.tsx": { path: `/password/reset/${BOGUS_TOKEN}`, get: all(404), post: all(400) },
  "invite.$token.tsx": { path: `/invite/${BOGUS_TOKEN}`, get: all(404), post: all(400) },
  // One's own account.
  "account._index.tsx": { path: "/account", get: signedIn(200), post: all(405) },
  "account.sessions.tsx": { path: "/account/sessions", get: signedIn(200), post: signedIn(400) },
  "account.2fa.tsx": { path: "/account/2fa", get: signedIn(200), post: signedIn(400) },
  // Administration.
  "admin.users.tsx": {
    path: "/admin/users",
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 403, admin: 400 },
  },
  // Registration and review of resources (issue 5). The edit and history pages use an imported
  // entry: a coordinator did not register it, so it is not theirs to edit (404).
  "manage.resources._index.tsx": {
    path: "/manage/resources",
    get: { anonymous: "login", coordinator: 200, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 400, staff: 403, admin: 400 },
  },
  "manage.resources.new.tsx": {
    path: "/manage/resources/new",
    get: { anonymous: "login", coordinator: 200, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 400, staff: 403, admin: 400 },
  },
  "manage.resources.$id.edit.tsx": {
    path: ({ place }) => `/manage/resources/${place}/edit`,
    get: { anonymous: "login", coordinator: 404, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 404, staff: 403, admin: 400 },
  },
  // The form's address look-up (JSON): an empty address is refused before any geocoder is asked.
  "manage.geocode.ts": {
    path: "/manage/geocode",
    get: { anonymous: "login", coordinator: 400, staff: 403, admin: 400 },
    post: all(405),
  },
  "manage.verify.tsx": {
    path: "/manage/verify",
    get: { anonymous: "login", coordinator: 200, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 400, staff: 403, admin: 400 },
  },
  "admin.review.tsx": {
    path: "/admin/review",
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 403, admin: 400 },
  },
  // Retention and the settled rule; an empty POST names no form (400).
  "admin.settings.tsx": {
    path: "/admin/settings",
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 403, admin: 400 },
  },
  // CSV import with a column-mapping step; an empty POST names no step (400).
  "admin.import.tsx": {
    path: "/admin/import",
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 403, admin: 400 },
  },
  "admin.resources.$id.history.tsx": {
    path: ({ place }) => `/admin/resources/${place}/history`,
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: all(405),
  },
  // Residents report outdated information without signing in; an empty report is refused.
  "places.$id_.report.tsx": { path: ({ place }) => `/places/${place}/report`, get: all(200), post: all(400) },
  "admin.audit.tsx": {
    path: "/admin/audit",
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: { anonymous: 405, coordinator: 405, staff: 405, admin: 405 },
  },
  // The staff side (issue 6): staff and admins only; a case that does not exist (or is not
  // visible) is 404; an empty POST is refused (400) before any person is looked at.
  "staff._index.tsx": { path: "/staff", get: { anonymous: "login", coordinator: 403, staff: 200, admin: 200 }, post: all(405) },
  "staff.people._index.tsx": {
    path: "/staff/people",
    get: { anonymous: "login", coordinator: 403, staff: 200, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.people.new.tsx": {
    path: "/staff/people/new",
    get: { anonymous: "login", coordinator: 403, staff: 200, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.people.$id.tsx": {
    path: "/staff/people/2026-9999",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  // 本人開示: administrators only; an empty POST lacks the request reference (400).
  "staff.people.$id_.disclosure.tsx": {
    path: "/staff/people/2026-9999/disclosure",
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 403, admin: 400 },
  },
  "staff.people.$id_.assessment.tsx": {
    path: "/staff/people/2026-9999/assessment",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.people.$id_.suggestions.tsx": {
    path: "/staff/people/2026-9999/suggestions",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.people.$id_.placements.new.tsx": {
    path: "/staff/people/2026-9999/placements/new",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.placements.$id.tsx": {
    path: "/staff/placements/999999",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  // Meetings (issue 7): members and administrators; a meeting that does not exist (or of which the
  // viewer is not a member) is 404; only administrators create one.
  "staff.meetings._index.tsx": { path: "/staff/meetings", get: { anonymous: "login", coordinator: 403, staff: 200, admin: 200 }, post: all(405) },
  "staff.meetings.new.tsx": {
    path: "/staff/meetings/new",
    get: { anonymous: "login", coordinator: 403, staff: 403, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 403, admin: 400 },
  },
  "staff.meetings.$id.tsx": {
    path: "/staff/meetings/999999",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.meetings.$id_.cases.$caseId.tsx": { path: "/staff/meetings/999999/cases/999999", get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 }, post: all(405) },
  "staff.meetings.$id_.print.tsx": { path: "/staff/meetings/999999/print", get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 }, post: all(405) },
  "staff.unmet-needs.tsx": { path: "/staff/unmet-needs", get: { anonymous: "login", coordinator: 403, staff: 200, admin: 200 }, post: all(405) },
  "staff.notifications.tsx": {
    path: "/staff/notifications",
    get: { anonymous: "login", coordinator: 403, staff: 200, admin: 200 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  // Plans and follow-ups (issue 7): the same door; a missing (or hidden) case, plan or contact is
  // 404; an empty POST is refused (400) before anything is looked up; read-only pages have no POST.
  "staff.people.$id_.plans._index.tsx": { path: "/staff/people/2026-9999/plans", get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 }, post: all(405) },
  "staff.people.$id_.plans.new.tsx": {
    path: "/staff/people/2026-9999/plans/new",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.plans.$planId.tsx": {
    path: "/staff/plans/999999",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
  "staff.plans.$planId_.print.tsx": { path: "/staff/plans/999999/print", get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 }, post: all(405) },
  "staff.plans.$planId_.evaluation.print.tsx": {
    path: "/staff/plans/999999/evaluation/print",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: all(405),
  },
  "staff.people.$id_.follow-ups.tsx": { path: "/staff/people/2026-9999/follow-ups", get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 }, post: all(405) },
  "staff.follow-ups.$id.tsx": {
    path: "/staff/follow-ups/999999",
    get: { anonymous: "login", coordinator: 403, staff: 404, admin: 404 },
    post: { anonymous: "login", coordinator: 403, staff: 400, admin: 400 },
  },
};

const routeFiles = fs.readdirSync(path.resolve(import.meta.dirname, "../../app/routes")).filter((f) => /\.(tsx|ts)$/.test(f));

let server: RunningServer;
const identities = {} as Record<Role, { cookie: string; csrf: string; token?: string }>;
let placeId = 0;

beforeAll(async () => {
  server = await startTestServer({}, {
    async prepare(database) {
      for (const role of ["coordinator", "staff", "admin"] as const) {
        const user = await makeUser(database.db, { role, totp: role !== "coordinator" });
        const { token } = await createSession(database.db, { userId: user.id, now: new Date(), twoFactorVerified: role !== "coordinator" });
        identities[role] = { cookie: await cookiePair(token, true), csrf: csrfTokenForSession(sha256Hex(token)), token };
      }
      const [first] = await database.db.select({ id: resources.id }).from(resources).orderBy(sql`id`).limit(1);
      placeId = first.id;
    },
  });
  identities.anonymous = await anonymous(true);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

test("every route file has an entry in the matrix, and every entry a file", () => {
  expect(routeFiles.filter((f) => !(f in MATRIX)), "route files missing from MATRIX").toEqual([]);
  expect(Object.keys(MATRIX).filter((f) => !routeFiles.includes(f)), "MATRIX entries without a route file").toEqual([]);
});

function describe(expected: Expected, response: Response): string | null {
  const location = response.headers.get("Location") ?? "";
  if (expected === "login") return response.status === 302 && location.startsWith("/login?redirectTo=") ? null : `${response.status} ${location}`;
  if (typeof expected === "string") {
    const target = expected.slice("redirect:".length);
    return response.status === 302 && location === target ? null : `${response.status} ${location}`;
  }
  return response.status === expected ? null : `${response.status} ${location}`;
}

function checkHeaders(response: Response, where: string) {
  const csp = response.headers.get("Content-Security-Policy") ?? "";
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(response.headers.get("X-Content-Type-Options"), where).toBe("nosniff");
  expect(response.headers.get("Referrer-Policy"), where).toBe("same-origin");
  expect(response.headers.get("Permissions-Policy"), where).toContain("geolocation=(self)");
  expect(response.headers.get("Strict-Transport-Security"), where).toContain("max-age=");
  expect(response.headers.get("X-Request-Id"), where).toMatch(/^[0-9a-f-]{36}$/);
}

test("each route × role × method answers as the matrix says, with the security headers", async () => {
  const failures: string[] = [];
  const ids = { place: placeId };
  const cases: { file: string; role: Role; method: "GET" | "POST" }[] = [];
  for (const file of Object.keys(MATRIX)) for (const method of ["GET", "POST"] as const) for (const role of ROLES) cases.push({ file, role, method });
  // Logging out ends the session the other cases use: those go last.
  cases.sort((a, b) => Number(a.file === "logout.tsx" && a.method === "POST") - Number(b.file === "logout.tsx" && b.method === "POST"));
  for (const { file, role, method } of cases) {
    const entry = MATRIX[file];
    const url = server.url + (typeof entry.path === "function" ? entry.path(ids) : entry.path);
    const identity = identities[role];
    const init: RequestInit = { method, redirect: "manual", headers: { Cookie: identity.cookie } };
    if (method === "POST") {
      init.headers = { Cookie: identity.cookie, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" };
      init.body = new URLSearchParams({ csrf: identity.csrf }).toString();
    }
    const response = await fetch(url, init);
    await response.arrayBuffer();
    const expected = (method === "GET" ? entry.get : entry.post)[role];
    const problem = describe(expected, response);
    if (problem) failures.push(`${method} ${file} as ${role}: expected ${expected}, got ${problem}`);
    checkHeaders(response, `${method} ${file} as ${role}`);
  }
  expect(failures).toEqual([]);
}, 120_000);

test("static files carry the security headers too", async () => {
  const response = await fetch(`${server.url}/favicon.svg`);
  expect(response.status).toBe(200);
  checkHeaders(response, "/favicon.svg");
});

test("the server log holds no tokens, session ids or cookies", () => {
  const output = server.output();
  expect(output).not.toContain(BOGUS_TOKEN);
  for (const role of ["coordinator", "staff", "admin"] as const) expect(output).not.toContain(identities[role].token!);
  expect(output).not.toMatch(/__Host-session=|csrf=/);
});
