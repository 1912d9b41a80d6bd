// Invitations and password resets end to end through the route actions: the mail carries a
// single-use link, the page sets the password under the policy, the link cannot be used twice, and
// the forgot-password page answers the same for unknown addresses.
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { setDatabase } from "../../db/client.server";
import { users, userTokens } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { anonymous, getRequest, makeUser, outcome, postForm, signIn } from "./helpers";
import { action as adminUsersAction } from "~/routes/admin.users";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { action as loginAction } from "~/routes/login";
import { action as forgotAction } from "~/routes/password.forgot";
import { action as resetAction } from "~/routes/password.reset.$token";
import { setMailTransport, type MailMessage } from "~/utils/mail.server";
import { readSession } from "~/utils/session.server";
import { ensureOrganisation } from "~/models/organisation.server";

let database: TestDatabase;
const outbox: MailMessage[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  setMailTransport({ name: "memory", send: async (message) => void outbox.push(message) });
});
afterAll(async () => {
  setMailTransport(undefined);
  await database?.cleanup();
});
afterEach(() => {
  outbox.length = 0;
});

function linkIn(message: MailMessage | undefined, kind: "invite" | "password/reset"): string {
  const match = new RegExp(`http://localhost/${kind}/([A-Za-z0-9_-]{43})`).exec(message?.text ?? "");
  if (!match) throw new Error(`no ${kind} link in mail: ${message?.text}`);
  return match[1];
}

test("an admin invites a coordinator; the link sets the password once and the coordinator can sign in", async () => {
  const admin = await makeUser(database.db, { role: "admin", totp: true });
  const session = await signIn(database.db, admin, { twoFactorVerified: true });
  const org = await ensureOrganisation(database.db, { name: "北地区社協", kind: "council" });
  const invited = await outcome(() =>
    adminUsersAction({
      request: postForm(
        "/admin/users",
        { intent: "invite", email: " Kita.Coordinator@Example.JP ", displayName: "北 花子", role: "coordinator", organisationId: String(org.id), csrf: session.csrf },
        { cookie: session.cookie },
      ),
      params: {},
      context: {},
    }),
  );
  expect(invited.status).toBe(200);
  expect(invited.data.ok).toBe(true);
  expect(outbox).toHaveLength(1);
  expect(outbox[0].to).toBe("kita.coordinator@example.jp");
  expect(outbox[0].subject).toContain("招待");
  const token = linkIn(outbox[0], "invite");
  // Only the hash is stored.
  const stored = await database.db.select({ tokenHash: userTokens.tokenHash }).from(userTokens);
  expect(JSON.stringify(stored)).not.toContain(token);

  const page = await outcome(() => inviteLoader({ request: getRequest(`/invite/${token}`), params: { token }, context: {} }));
  expect(page.status).toBe(200);
  expect(page.data.email).toBe("kita.coordinator@example.jp");

  const anon = await anonymous();
  const post = (password: string, confirm = password) =>
    outcome(() => inviteAction({ request: postForm(`/invite/${token}`, { password, confirm, csrf: anon.csrf }, { cookie: anon.cookie }), params: { token }, context: {} }));
  const tooShort = await post("short");
  expect(tooShort.status).toBe(400);
  expect((tooShort.data.errors as Record<string, string[]>).password[0]).toContain("12文字以上");
  const common = await post("password1234");
  expect(common.status).toBe(400);
  expect((common.data.errors as Record<string, string[]>).password[0]).toContain("推測されやすい");
  const mismatch = await post("hanabi no yoru ni aimashou", "hanabi no yoru ni aimasho");
  expect((mismatch.data.errors as Record<string, string[]>).confirm[0]).toContain("一致しません");
  const [stillInvited] = await database.db.select({ status: users.status }).from(users).where(eq(users.email, "kita.coordinator@example.jp"));
  expect(stillInvited.status).toBe("invited");

  // Full-width digits typed with the IME on are the same password as half-width ones (NFKC).
  const done = await post("hanabi no yoru ni aimashou ２０２６");
  expect(done.status).toBe(302);
  expect(done.headers.get("Location")).toBe("/login?done=invite");
  const reused = await post("another good passphrase 7");
  expect(reused.status).toBe(404);
  const gone = await outcome(() => inviteLoader({ request: getRequest(`/invite/${token}`), params: { token }, context: {} }));
  expect(gone.status).toBe(404);

  const login = await outcome(() =>
    loginAction({ request: postForm("/login", { email: "kita.coordinator@example.jp", password: "hanabi no yoru ni aimashou 2026", csrf: anon.csrf }, { cookie: anon.cookie }), params: {}, context: {} }),
  );
  expect(login.status).toBe(302);
  expect(login.headers.get("Location")).toBe("/account");
});

test("an expired invite link is refused", async () => {
  const { issueUserToken } = await import("~/models/user-token.server");
  const user = await makeUser(database.db, { role: "staff", status: "invited" });
  const token = await issueUserToken(database.db, { userId: user.id, purpose: "invite", createdBy: null, now: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) });
  const page = await outcome(() => inviteLoader({ request: getRequest(`/invite/${token}`), params: { token }, context: {} }));
  expect(page.status).toBe(404);
});

test("forgot password answers the same for unknown addresses and mails a reset link only to real accounts", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  const anon = await anonymous();
  const ask = (email: string, clientIp: string) =>
    outcome(() => forgotAction({ request: postForm("/password/forgot", { email, csrf: anon.csrf }, { cookie: anon.cookie }), params: {}, context: { clientIp } }));
  const known = await ask(user.email, "192.0.2.80");
  const unknown = await ask("nobody@example.jp", "192.0.2.81");
  expect(unknown.status).toBe(known.status);
  expect(unknown.data).toEqual(known.data);
  expect(outbox).toHaveLength(1);
  const token = linkIn(outbox[0], "password/reset");

  const other = await signIn(database.db, user);
  const done = await outcome(() =>
    resetAction({
      request: postForm(`/password/reset/${token}`, { password: "a brand new passphrase", confirm: "a brand new passphrase", csrf: anon.csrf }, { cookie: anon.cookie }),
      params: { token },
      context: {},
    }),
  );
  expect(done.status).toBe(302);
  expect(done.headers.get("Location")).toBe("/login?done=reset");
  // Everyone signed in as this account is signed out, and told by mail.
  expect(await readSession(database.db, other.token, new Date())).toBeNull();
  expect(outbox.at(-1)?.kind).toBe("password-changed");
});

test("the fourth reset request for one address within an hour is limited", async () => {
  const user = await makeUser(database.db, { role: "coordinator" });
  const anon = await anonymous();
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    const r = await outcome(() =>
      forgotAction({ request: postForm("/password/forgot", { email: user.email, csrf: anon.csrf }, { cookie: anon.cookie }), params: {}, context: { clientIp: `192.0.2.${90 + i}` } }),
    );
    statuses.push(r.status);
  }
  expect(statuses).toEqual([200, 200, 200, 429]);
  expect(outbox).toHaveLength(3);
});

test("the file transport writes one .eml per message and logs neither the address nor the link", async () => {
  const fs = await import("node:fs/promises");
  const os = await import("node:os");
  const path = await import("node:path");
  const { fileTransport, readEmlBody } = await import("~/utils/mail.server");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "portal-mail-"));
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await fileTransport(dir, "地域資源ポータル <no-reply@localhost>").send(
      { kind: "invite", to: "secret.person@example.jp", subject: "【地域資源ポータル】アカウントへの招待", text: "リンク: http://localhost/invite/TOKEN-XYZ" },
      { requestId: "req-1" },
    );
  } finally {
    spy.mockRestore();
  }
  const files = await fs.readdir(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/invite.*\.eml$/);
  const eml = await fs.readFile(path.join(dir, files[0]), "utf8");
  expect(eml).toContain("To: secret.person@example.jp");
  expect(eml).toContain("Subject: =?UTF-8?B?");
  expect(readEmlBody(eml)).toContain("http://localhost/invite/TOKEN-XYZ");
  const logged = lines.join("");
  expect(logged).toContain("mail.sent");
  expect(logged).not.toContain("secret.person");
  expect(logged).not.toContain("TOKEN-XYZ");
  await fs.rm(dir, { recursive: true, force: true });
});

test("admins cannot change their own role or disable the last admin; changes are audited", async () => {
  const admin = await makeUser(database.db, { role: "admin", totp: true });
  const session = await signIn(database.db, admin, { twoFactorVerified: true });
  const coordinator = await makeUser(database.db, { role: "coordinator" });
  const [org] = await database.db.select({ id: users.organisationId }).from(users).where(eq(users.id, coordinator.id));
  const post = (fields: Record<string, string>) =>
    outcome(() => adminUsersAction({ request: postForm("/admin/users", { ...fields, csrf: session.csrf }, { cookie: session.cookie }), params: {}, context: {} }));
  expect((await post({ intent: "update", userId: String(admin.id), role: "coordinator", organisationId: String(org.id) })).status).toBe(400);
  expect((await post({ intent: "disable", userId: String(admin.id) })).status).toBe(400);
  const promoted = await post({ intent: "update", userId: String(coordinator.id), role: "staff", organisationId: String(org.id) });
  expect(promoted.status).toBe(200);
  const [row] = await database.db.select({ role: users.role }).from(users).where(eq(users.id, coordinator.id));
  expect(row.role).toBe("staff");
  const audit = await database.db.execute(sql`select action from audit_log where record_id = ${String(coordinator.id)} and record_type = 'user'`);
  const actions = (Array.isArray(audit) ? audit : (audit as { rows: { action: string }[] }).rows).map((r) => (r as { action: string }).action);
  expect(actions).toContain("user.role.change");
  expect((await post({ intent: "disable", userId: String(coordinator.id) })).status).toBe(200);
});
