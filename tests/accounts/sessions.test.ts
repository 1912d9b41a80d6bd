// Sessions: a new id at every sign-in, logout and revocation delete the server row, idle and
// absolute limits end a session (the clock is passed in, not faked).
import { afterAll, beforeAll, expect, test } from "vitest";
import { setDatabase } from "../../db/client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { anonymous, getRequest, makeUser, outcome, postForm, signIn, tokenFromSetCookie } from "./helpers";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/account.sessions";
import { requireUser } from "~/utils/auth.server";
import { readSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "~/utils/session.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
});
afterAll(async () => {
  await database?.cleanup();
});

const MINUTE = 60_000;

test("signing in issues a new session id: a planted session token is worthless afterwards", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  // An attacker's own session, planted in the victim's browser before sign-in.
  const attacker = await makeUser(database.db, { role: "coordinator" });
  const planted = await signIn(database.db, attacker);
  const response = await outcome(() =>
    loginAction({ request: postForm("/login", { email: user.email, password: user.password, csrf: planted.csrf }, { cookie: planted.cookie }), params: {}, context: {} }),
  );
  expect(response.status).toBe(302);
  const issued = await tokenFromSetCookie(response.headers);
  expect(issued).toBeTruthy();
  expect(issued).not.toBe(planted.token);
  expect(await readSession(database.db, planted.token, new Date())).toBeNull();
  const fresh = await readSession(database.db, issued!, new Date());
  expect(fresh?.user.id).toBe(user.id);
});

test("logout deletes the session on the server: the old cookie no longer signs anyone in", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  const session = await signIn(database.db, user);
  const response = await outcome(() => logoutAction({ request: postForm("/logout", { csrf: session.csrf }, { cookie: session.cookie }), params: {}, context: {} }));
  expect(response.status).toBe(302);
  expect(response.headers.getSetCookie().join(";")).toMatch(/session=;.*Max-Age=0|session=;.*Expires=Thu, 01 Jan 1970/);
  expect(await readSession(database.db, session.token, new Date())).toBeNull();
  const again = await outcome(() => requireUser(getRequest("/account", session.cookie)));
  expect(again.status).toBe(302);
  expect(again.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
});

test("a staff session ends after 30 idle minutes; a coordinator's lasts 2 hours", async () => {
  const staff = await makeUser(database.db, { role: "staff" });
  const coordinator = await makeUser(database.db, { role: "coordinator" });
  const t0 = new Date("2026-11-23T09:00:00+09:00");
  const staffSession = await signIn(database.db, staff, { now: t0 });
  const coordinatorSession = await signIn(database.db, coordinator, { now: t0 });
  expect(SESSION_IDLE_MS.staff).toBe(30 * MINUTE);
  expect(await readSession(database.db, staffSession.token, new Date(t0.getTime() + 29 * MINUTE))).not.toBeNull();
  // Activity at 29 min moved the idle window: 31 min after t0 is only 2 min idle.
  expect(await readSession(database.db, staffSession.token, new Date(t0.getTime() + 31 * MINUTE))).not.toBeNull();
  expect(await readSession(database.db, staffSession.token, new Date(t0.getTime() + 61 * MINUTE))).toBeNull();
  expect(await readSession(database.db, coordinatorSession.token, new Date(t0.getTime() + 90 * MINUTE))).not.toBeNull();
  expect(await readSession(database.db, coordinatorSession.token, new Date(t0.getTime() + 90 * MINUTE + 2 * 60 * MINUTE))).toBeNull();
  // Expired means gone: going back in time does not revive it.
  expect(await readSession(database.db, staffSession.token, t0)).toBeNull();
});

test("requireUser refuses an idle-expired session through the clock it is given", async () => {
  const admin = await makeUser(database.db, { role: "admin" });
  const t0 = new Date();
  const session = await signIn(database.db, admin, { now: t0 });
  const later = new Date(t0.getTime() + 31 * MINUTE);
  const result = await outcome(() => requireUser(getRequest("/account", session.cookie), { now: later }));
  expect(result.status).toBe(302);
  expect(result.headers.get("Location")).toContain("/login");
});

test("the absolute limit ends a session after 12 hours even while it is in use", async () => {
  const coordinator = await makeUser(database.db, { role: "coordinator" });
  const t0 = new Date("2026-11-24T08:00:00+09:00");
  const session = await signIn(database.db, coordinator, { now: t0 });
  let t = t0.getTime();
  while (t + 20 * MINUTE < t0.getTime() + SESSION_ABSOLUTE_MS) {
    t += 20 * MINUTE;
    expect(await readSession(database.db, session.token, new Date(t))).not.toBeNull();
  }
  expect(await readSession(database.db, session.token, new Date(t0.getTime() + SESSION_ABSOLUTE_MS))).toBeNull();
});

test("a session revoked from the sessions page is refused at once", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  const laptop = await signIn(database.db, user);
  const phone = await signIn(database.db, user);
  const page = await outcome(() => sessionsLoader({ request: getRequest("/account/sessions", laptop.cookie), params: {}, context: {} }));
  const listed = page.data.sessions as { id: number; current: boolean }[];
  expect(listed).toHaveLength(2);
  const phoneRow = listed.find((s) => !s.current)!;
  const revoked = await outcome(() =>
    sessionsAction({ request: postForm("/account/sessions", { intent: "revoke", sessionId: String(phoneRow.id), csrf: laptop.csrf }, { cookie: laptop.cookie }), params: {}, context: {} }),
  );
  expect(revoked.status).toBe(200);
  expect(await readSession(database.db, phone.token, new Date())).toBeNull();
  const refused = await outcome(() => requireUser(getRequest("/account", phone.cookie)));
  expect(refused.status).toBe(302);
  expect(await readSession(database.db, laptop.token, new Date())).not.toBeNull();
});

test("one user cannot revoke another user's session", async () => {
  const alice = await makeUser(database.db, { role: "coordinator" });
  const bob = await makeUser(database.db, { role: "coordinator" });
  const aliceSession = await signIn(database.db, alice);
  const bobSession = await signIn(database.db, bob);
  const bobRow = await readSession(database.db, bobSession.token, new Date());
  const result = await outcome(() =>
    sessionsAction({ request: postForm("/account/sessions", { intent: "revoke", sessionId: String(bobRow!.session.id), csrf: aliceSession.csrf }, { cookie: aliceSession.cookie }), params: {}, context: {} }),
  );
  expect(result.status).toBe(404);
  expect(await readSession(database.db, bobSession.token, new Date())).not.toBeNull();
});

test("a disabled account's sessions stop working", async () => {
  const { setUserStatus } = await import("~/models/user.server");
  const user = await makeUser(database.db, { role: "coordinator" });
  const session = await signIn(database.db, user);
  await setUserStatus(database.db, { userId: user.id, status: "disabled", now: new Date() });
  expect(await readSession(database.db, session.token, new Date())).toBeNull();
  const anon = await anonymous();
  const login = await outcome(() => loginAction({ request: postForm("/login", { email: user.email, password: user.password, csrf: anon.csrf }, { cookie: anon.cookie }), params: {}, context: {} }));
  expect(login.status).toBe(401);
});
