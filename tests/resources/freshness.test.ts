// Keeping entries current (issue 5): the verification queue and its one-click 「内容に変更なし」,
// the resident notice after a year without confirmation, and 「情報の修正を報告」 from residents
// (no login, honeypot, rate limit) landing in the coordinators' queue.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { setDatabase } from "../../db/client.server";
import { correctionReports, resourceHistory, resources, searchOutbox } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { anonymous, getRequest, makeUser, outcome, postForm, signIn } from "../accounts/helpers";
import { isStale, listUnverified, monthsBefore, todayInTokyo, VERIFY_AFTER_MONTHS } from "~/models/resource-editor.server";
import { loader as placeLoader } from "~/routes/places.$id";
import { action as reportAction, loader as reportLoader } from "~/routes/places.$id_.report";
import { action as verifyAction, loader as verifyLoader } from "~/routes/manage.verify";

let database: TestDatabase;
type Session = Awaited<ReturnType<typeof signIn>>;
let coordinatorId: number;
let coordinator: Session;
let otherCoordinator: Session;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  const user = await makeUser(database.db, { role: "coordinator" });
  coordinatorId = user.id;
  coordinator = await signIn(database.db, user);
  otherCoordinator = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
});
afterAll(async () => {
  await database?.cleanup();
});

const args = (request: Request, params: Record<string, string> = {}, context: Record<string, string> = {}) =>
  ({ request, params, context }) as unknown as ActionFunctionArgs & LoaderFunctionArgs;

async function publishedResource(fields: Partial<typeof resources.$inferInsert> = {}): Promise<number> {
  const [row] = await database.db
    .insert(resources)
    .values({ name: "本町サロン", kind: "salon", reviewStatus: "published", createdBy: coordinatorId, lastVerifiedOn: "2025-01-10", ...fields })
    .returning({ id: resources.id });
  return row.id;
}

test("entries not confirmed for the set months are listed; 「内容に変更なし」 sets today, with history and outbox rows", async () => {
  const old = await publishedResource({ name: "古いサロン" });
  const fresh = await publishedResource({ name: "新しいサロン", lastVerifiedOn: todayInTokyo(new Date()) });
  const foreign = await publishedResource({ name: "他の人のサロン", createdBy: null });

  const page = await outcome(() => verifyLoader(args(getRequest("/manage/verify", coordinator.cookie))));
  const listed = (page.data.unverified as { id: number }[]).map((r) => r.id);
  expect(listed).toContain(old);
  expect(listed).not.toContain(fresh);
  expect(listed).not.toContain(foreign); // not theirs
  expect(page.data.months).toBe(VERIFY_AFTER_MONTHS);

  const notTheirs = await outcome(() => verifyAction(args(postForm("/manage/verify", { csrf: coordinator.csrf, intent: "verify", id: String(foreign) }, { cookie: coordinator.cookie }))));
  expect(notTheirs.status).toBe(404);

  const done = await outcome(() => verifyAction(args(postForm("/manage/verify", { csrf: coordinator.csrf, intent: "verify", id: String(old) }, { cookie: coordinator.cookie }))));
  expect(done.status).toBe(200);
  const today = todayInTokyo(new Date());
  const [row] = await database.db.select({ lastVerifiedOn: resources.lastVerifiedOn }).from(resources).where(eq(resources.id, old));
  expect(row.lastVerifiedOn).toBe(today);
  const history = await database.db.select().from(resourceHistory).where(eq(resourceHistory.resourceId, old));
  expect(history).toEqual([expect.objectContaining({ field: "lastVerifiedOn", before: "2025-01-10", after: today, userId: coordinatorId })]);
  expect(await database.db.select().from(searchOutbox).where(eq(searchOutbox.resourceId, old))).toHaveLength(1);
  const after = await listUnverified(database.db, { actor: { id: coordinatorId, role: "coordinator" }, now: new Date() });
  expect(after.map((r) => r.id)).not.toContain(old);
});

test("residents see a notice on entries unconfirmed for a year, and a link to report a correction", async () => {
  const now = new Date("2026-11-23T03:00:00Z");
  expect(isStale("2025-11-22", now)).toBe(true);
  expect(isStale("2025-11-24", now)).toBe(false);
  expect(isStale(null, now)).toBe(false);
  expect(monthsBefore("2026-11-23", 12)).toBe("2025-11-23");

  const stale = await publishedResource({ name: "長く未確認のサロン", lastVerifiedOn: monthsBefore(todayInTokyo(new Date()), 13) });
  const page = (await placeLoader(args(getRequest(`/places/${stale}`), { id: String(stale) }))) as { place: { stale: boolean } };
  expect(page.place.stale).toBe(true);
  const current = await publishedResource({ name: "確認済みのサロン", lastVerifiedOn: todayInTokyo(new Date()) });
  const currentPage = (await placeLoader(args(getRequest(`/places/${current}`), { id: String(current) }))) as { place: { stale: boolean } };
  expect(currentPage.place.stale).toBe(false);
});

test("unpublished entries have no public page and no report form", async () => {
  const draft = await publishedResource({ name: "下書きのサロン", reviewStatus: "draft" });
  expect((await outcome(() => placeLoader(args(getRequest(`/places/${draft}`), { id: String(draft) })))).status).toBe(404);
  expect((await outcome(() => reportLoader(args(getRequest(`/places/${draft}/report`), { id: String(draft) })))).status).toBe(404);
});

async function report(id: number, fields: Record<string, string>, ip: string) {
  const visitor = await anonymous();
  return outcome(() => reportAction(args(postForm(`/places/${id}/report`, { csrf: visitor.csrf, ...fields }, { cookie: visitor.cookie }), { id: String(id) }, { clientIp: ip })));
}

async function reportsOf(id: number) {
  return database.db.select().from(correctionReports).where(eq(correctionReports.resourceId, id));
}

test("a resident reports a correction without signing in; it lands in the coordinator's queue and can be closed", async () => {
  const id = await publishedResource({ name: "報告を受けるサロン" });
  const empty = await report(id, { message: " ", contact: "" }, "198.51.100.1");
  expect(empty.status).toBe(400);
  expect((empty.data.errors as Record<string, string[]>).message).toBeDefined();
  expect(await reportsOf(id)).toEqual([]);

  const sent = await report(id, { message: "開催日が第1水曜に変わりました。<script>alert(1)</script>", contact: "", website: "" }, "198.51.100.1");
  expect(sent.status).toBe(200);
  const stored = await reportsOf(id);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ status: "open", contact: null, message: "開催日が第1水曜に変わりました。<script>alert(1)</script>" });

  const queue = await outcome(() => verifyLoader(args(getRequest("/manage/verify", coordinator.cookie))));
  expect((queue.data.reports as { id: number }[]).map((r) => r.id)).toContain(stored[0].id);
  const otherQueue = await outcome(() => verifyLoader(args(getRequest("/manage/verify", otherCoordinator.cookie))));
  expect((otherQueue.data.reports as { id: number }[]).map((r) => r.id)).not.toContain(stored[0].id);

  const closed = await outcome(() => verifyAction(args(postForm("/manage/verify", { csrf: coordinator.csrf, intent: "close-report", id: String(stored[0].id) }, { cookie: coordinator.cookie }))));
  expect(closed.status).toBe(200);
  const [after] = await database.db.select().from(correctionReports).where(eq(correctionReports.id, stored[0].id));
  expect(after).toMatchObject({ status: "closed", handledBy: coordinatorId });
});

test("the honeypot turns bots away without storing anything", async () => {
  const id = await publishedResource({ name: "ボット対策のサロン" });
  const bot = await report(id, { message: "Buy cheap pills", contact: "bot@example.com", website: "https://spam.example" }, "198.51.100.2");
  expect(bot.status).toBe(200); // the bot learns nothing
  expect(await reportsOf(id)).toEqual([]);
});

test("reports from one address are rate-limited, and the refused ones are not stored", async () => {
  const id = await publishedResource({ name: "たくさん報告されるサロン" });
  for (let i = 0; i < 5; i++) expect((await report(id, { message: `報告 ${i}`, contact: "" }, "198.51.100.3")).status).toBe(200);
  const limited = await report(id, { message: "報告 6", contact: "" }, "198.51.100.3");
  expect(limited.status).toBe(429);
  expect(String(limited.data.message)).toMatch(/分ほど受付を止めています/);
  expect(await reportsOf(id)).toHaveLength(5);
  // Another address is not affected.
  expect((await report(id, { message: "別の人から", contact: "" }, "198.51.100.4")).status).toBe(200);
  const open = await database.db.select().from(correctionReports).where(and(eq(correctionReports.resourceId, id), eq(correctionReports.status, "open")));
  expect(open).toHaveLength(6);
});
