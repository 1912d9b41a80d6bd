// TOTP: person-data permissions refuse a staff session that has not passed its second factor;
// codes and recovery codes work once; enrolment shows recovery codes once and rotates the session.
import { afterAll, beforeAll, expect, test } from "vitest";
import { setDatabase } from "../../db/client.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { getRequest, makeUser, outcome, postForm, signIn, tokenFromSetCookie } from "./helpers";
import { action as twoFactorAction, loader as twoFactorLoader } from "~/routes/account.2fa";
import { requireUser } from "~/utils/auth.server";
import { csrfTokenForSession } from "~/utils/csrf.server";
import { sha256Hex } from "~/utils/secrets.server";
import { readSession } from "~/utils/session.server";
import { generateTotpCode } from "~/utils/totp.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
});
afterAll(async () => {
  await database?.cleanup();
});

test("person data refuses a staff session that has not passed TOTP, and allows it after", async () => {
  const staff = await makeUser(database.db, { role: "staff", totp: true });
  const pending = await signIn(database.db, staff);
  const refused = await outcome(() => requireUser(getRequest("/people/1", pending.cookie), { permission: "read:person:assigned", twoFactor: true }));
  expect(refused.status).toBe(302);
  expect(refused.headers.get("Location")).toBe(`/account/2fa?redirectTo=${encodeURIComponent("/people/1")}`);

  const verified = await signIn(database.db, staff, { twoFactorVerified: true });
  const auth = await requireUser(getRequest("/people/1", verified.cookie), { permission: "read:person:assigned", twoFactor: true });
  expect(auth.user.id).toBe(staff.id);
});

test("a staff member without TOTP cannot reach person data until enrolled", async () => {
  const staff = await makeUser(database.db, { role: "staff" });
  const session = await signIn(database.db, staff);
  // Non-person pages work (the account page, enrolment itself)…
  expect((await requireUser(getRequest("/account", session.cookie))).user.id).toBe(staff.id);
  // …person pages send them to enrol.
  const refused = await outcome(() => requireUser(getRequest("/people", session.cookie), { permission: "read:person:assigned" }));
  expect(refused.status).toBe(302);
  expect(refused.headers.get("Location")).toMatch(/^\/account\/2fa/);
});

test("a coordinator is refused person data with 403, even after TOTP", async () => {
  const coordinator = await makeUser(database.db, { role: "coordinator", totp: true });
  const session = await signIn(database.db, coordinator, { twoFactorVerified: true });
  const refused = await outcome(() => requireUser(getRequest("/people", session.cookie), { permission: "read:person:assigned", twoFactor: true }));
  expect(refused.status).toBe(403);
});

test("a correct code passes once, under a new session id; the same code cannot be replayed", async () => {
  const staff = await makeUser(database.db, { role: "staff", totp: true });
  const pending = await signIn(database.db, staff);
  const code = generateTotpCode(staff.totpSecret!, new Date());
  const wrong = await outcome(() =>
    twoFactorAction({ request: postForm("/account/2fa", { intent: "verify", code: code === "000000" ? "111111" : "000000", csrf: pending.csrf }, { cookie: pending.cookie }), params: {}, context: {} }),
  );
  expect(wrong.status).toBe(401);
  const ok = await outcome(() =>
    twoFactorAction({ request: postForm("/account/2fa", { intent: "verify", code, redirectTo: "/people", csrf: pending.csrf }, { cookie: pending.cookie }), params: {}, context: {} }),
  );
  expect(ok.status).toBe(302);
  expect(ok.headers.get("Location")).toBe("/people");
  const promoted = await tokenFromSetCookie(ok.headers);
  expect(promoted).not.toBe(pending.token);
  expect(await readSession(database.db, pending.token, new Date())).toBeNull();
  expect((await readSession(database.db, promoted!, new Date()))?.session.twoFactorVerifiedAt).not.toBeNull();

  const second = await signIn(database.db, staff);
  const replay = await outcome(() =>
    twoFactorAction({ request: postForm("/account/2fa", { intent: "verify", code, csrf: second.csrf }, { cookie: second.cookie }), params: {}, context: {} }),
  );
  expect(replay.status).toBe(401);
});

test("enrolment: QR and key shown, the first code enables TOTP and returns ten single-use recovery codes", async () => {
  const admin = await makeUser(database.db, { role: "admin" });
  const session = await signIn(database.db, admin);
  const page = await outcome(() => twoFactorLoader({ request: getRequest("/account/2fa", session.cookie), params: {}, context: {} }));
  expect(page.data.mode).toBe("enrol");
  const enrolment = page.data.enrolment as { secret: string; qrSvg: string; uri: string };
  expect(enrolment.qrSvg).toContain("<svg");
  expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\//);
  // Reloading shows the same key (the person may have scanned it already).
  const again = await outcome(() => twoFactorLoader({ request: getRequest("/account/2fa", session.cookie), params: {}, context: {} }));
  expect((again.data.enrolment as { secret: string }).secret).toBe(enrolment.secret);

  const enrolled = await outcome(() =>
    twoFactorAction({
      request: postForm("/account/2fa", { intent: "enrol", code: generateTotpCode(enrolment.secret, new Date()), csrf: session.csrf }, { cookie: session.cookie }),
      params: {},
      context: {},
    }),
  );
  // Redirected (new session id) with the codes stashed for the next page, shown there once.
  expect(enrolled.status).toBe(302);
  const setCookies = enrolled.headers.getSetCookie();
  const verifiedToken = await tokenFromSetCookie(enrolled.headers);
  expect(verifiedToken).not.toBe(session.token);
  expect((await readSession(database.db, verifiedToken!, new Date()))?.session.twoFactorVerifiedAt).not.toBeNull();
  const cookie = setCookies.map((c) => c.split(";")[0]).join("; ");
  const shown = await outcome(() => twoFactorLoader({ request: getRequest("/account/2fa", cookie), params: {}, context: {} }));
  expect(shown.data.mode).toBe("codes");
  const codes = shown.data.recoveryCodes as string[];
  expect(codes).toHaveLength(10);
  expect(new Set(codes).size).toBe(10);
  for (const c of codes) expect(c).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
  expect(shown.headers.getSetCookie().join()).toMatch(/recovery-codes=;/); // read once
  const sessionOnly = setCookies.filter((c) => /^session=/.test(c)).map((c) => c.split(";")[0]).join("; ");
  const afterwards = await outcome(() => twoFactorLoader({ request: getRequest("/account/2fa", sessionOnly), params: {}, context: {} }));
  expect(afterwards.data.mode).toBe("manage");

  // Next sign-in: a recovery code works once (lower case and without hyphens is forgiven)…
  const next = await signIn(database.db, admin);
  const used = await outcome(() =>
    twoFactorAction({
      request: postForm("/account/2fa", { intent: "recovery", recoveryCode: codes[0].replace(/-/g, "").toLowerCase(), csrf: next.csrf }, { cookie: next.cookie }),
      params: {},
      context: {},
    }),
  );
  expect(used.status).toBe(302);
  // …and not twice.
  const later = await signIn(database.db, admin);
  const reused = await outcome(() =>
    twoFactorAction({ request: postForm("/account/2fa", { intent: "recovery", recoveryCode: codes[0], csrf: later.csrf }, { cookie: later.cookie }), params: {}, context: {} }),
  );
  expect(reused.status).toBe(401);
});

test("six wrong codes in a row lock the second step for this account", async () => {
  const staff = await makeUser(database.db, { role: "staff", totp: true });
  const session = await signIn(database.db, staff);
  const real = generateTotpCode(staff.totpSecret!, new Date());
  const wrongCode = real === "123456" ? "654321" : "123456";
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await outcome(() =>
      twoFactorAction({ request: postForm("/account/2fa", { intent: "verify", code: wrongCode, csrf: session.csrf }, { cookie: session.cookie }), params: {}, context: {} }),
    );
    statuses.push(r.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  // Even the right code is refused while locked.
  const locked = await outcome(() =>
    twoFactorAction({ request: postForm("/account/2fa", { intent: "verify", code: real, csrf: csrfTokenForSession(sha256Hex(session.token)) }, { cookie: session.cookie }), params: {}, context: {} }),
  );
  expect(locked.status).toBe(429);
});
