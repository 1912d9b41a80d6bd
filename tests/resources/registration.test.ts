// Registration and review of resources through the route actions (issue 5): bad input gives field
// errors in Japanese and stores nothing; a coordinator cannot publish and an admin can; publishing
// writes history and the search outbox in the same transaction; a returned entry keeps the
// coordinator's text; an edit to a published entry waits as a revision with a field diff.
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { setDatabase } from "../../db/client.server";
import { resourceHistory, resourceRevisions, resources, schedules, searchOutbox } from "../../db/schema";
import { loadSearchDocuments } from "../../search/documents.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { getRequest, makeUser, ORIGIN, outcome, signIn } from "../accounts/helpers";
import { listReviewQueue } from "~/models/resource-editor.server";
import { getPublicResource } from "~/models/resource.server";
import { action as reviewAction } from "~/routes/admin.review";
import { action as editAction, loader as editLoader } from "~/routes/manage.resources.$id.edit";
import { action as listAction } from "~/routes/manage.resources._index";
import { action as newAction } from "~/routes/manage.resources.new";

let database: TestDatabase;
type Session = Awaited<ReturnType<typeof signIn>>;
let coordinator: Session;
let otherCoordinator: Session;
let admin: Session;
let staff: Session;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  coordinator = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
  otherCoordinator = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
  admin = await signIn(database.db, await makeUser(database.db, { role: "admin", totp: true }), { twoFactorVerified: true });
  staff = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
});
afterAll(async () => {
  await database?.cleanup();
});

/** A form POST that may repeat fields (checkbox groups). */
function post(path: string, session: Session, fields: [string, string][]): Request {
  const body = new URLSearchParams([["csrf", session.csrf], ...fields]);
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: session.cookie },
    body: body.toString(),
  });
}

/** A salon meeting 毎月第2・第4火曜 10:00–11:30 at a 公民館: a valid registration. */
function salon(overrides: Record<string, string> = {}): [string, string][] {
  const fields: Record<string, string> = {
    name: "ふれあいいきいきサロン本町",
    nameKana: "ふれあいいきいきさろんほんまち",
    kind: "salon",
    description: "お茶を飲みながらおしゃべりと体操をします。",
    activities: "お茶会、体操",
    costKind: "amount",
    costYen: "100",
    costNote: "",
    capacity: "20",
    postalCode: "425-0023",
    prefecture: "静岡県",
    city: "焼津市",
    addressLine: "本町5丁目1-1",
    building: "本町公民館",
    latitude: "34.8685",
    longitude: "138.3250",
    area: "中部",
    operator: "本町自治会",
    phone: "054-626-1111",
    email: "salon@example.jp",
    url: "https://example.jp/salon",
    status: "active",
    hoursNote: "",
    accessNote: "",
    "schedule0.kind": "monthly_nth",
    "schedule0.weekday": "TU",
    "schedule0.startTime": "10:00",
    "schedule0.endTime": "11:30",
    "schedule0.startsOn": "2026-04-01",
    "schedule0.exceptionDates": "",
    "schedule0.pausedFrom": "",
    "schedule0.pausedUntil": "",
    ...overrides,
  };
  // Checkbox groups repeat their name; "schedule0.nths" in the overrides replaces the 2nd and 4th weeks.
  const nths = "schedule0.nths" in overrides ? overrides["schedule0.nths"].split(",").filter(Boolean) : ["2", "4"];
  delete fields["schedule0.nths"];
  return [
    ...Object.entries(fields),
    ...nths.map((n): [string, string] => ["schedule0.nths", n]),
    ["targetGroups", "elderly"],
    ["conditions", "kengaku"],
    ["conditions", "barrier_free"],
  ];
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as unknown as ActionFunctionArgs & LoaderFunctionArgs;

async function resourceCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(resources);
  return row.n;
}

async function register(session: Session, fields: [string, string][], intent: "save" | "save-submit" = "save-submit"): Promise<number> {
  const result = await outcome(() => newAction(args(post("/manage/resources/new", session, [...fields, ["intent", intent]]))));
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  const location = result.headers.get("Location") ?? "";
  return Number(/saved=(\d+)/.exec(location)?.[1]);
}

const BAD_VALUES: { field: string; value: string; overrides?: Record<string, string> }[] = [
  { field: "postalCode", value: "12-3456" },
  { field: "postalCode", value: "〒abc" },
  { field: "phone", value: "03-1234" },
  { field: "phone", value: "090-abcd-efgh" },
  { field: "latitude", value: "51.5074", overrides: { longitude: "139.7" } }, // London's latitude
  { field: "longitude", value: "-0.1278" },
  { field: "schedule0.endTime", value: "09:30" }, // before the 10:00 start
  { field: "name", value: "" },
  { field: "name", value: "   " },
  { field: "description", value: "あ".repeat(10_000) },
  { field: "name", value: "<script>alert(1)</script>" },
  { field: "description", value: '<img src=x onerror="alert(1)">' },
  { field: "url", value: "javascript:alert(1)" },
  { field: "email", value: "not an address" },
  { field: "capacity", value: "-3" },
  { field: "schedule0.startsOn", value: "0001-01-01" },
  { field: "schedule0.exceptionDates", value: "2026-02-30" },
  { field: "schedule0.pausedUntil", value: "2026-01-01", overrides: { "schedule0.pausedFrom": "2026-03-01" } },
  { field: "schedule0.nths", value: "", overrides: { "schedule0.kind": "monthly_nth" } },
];

test.each(BAD_VALUES)("$field = $value is refused with a field error in Japanese, and nothing is stored", async ({ field, value, overrides }) => {
  const before = await resourceCount();
  const result = await outcome(() => newAction(args(post("/manage/resources/new", coordinator, [...salon({ [field]: value, ...overrides }), ["intent", "save"]]))));
  expect(result.status).toBe(400);
  const errors = result.data.errors as Record<string, string[]>;
  expect(errors[field], JSON.stringify(errors)).toBeDefined();
  expect(errors[field]!.join("")).toMatch(/[ぁ-んァ-ン一-龥]/);
  expect(await resourceCount()).toBe(before);
  // The form comes back with what was typed, so nothing has to be entered twice.
  expect((result.data.values as Record<string, unknown>)[field.startsWith("schedule0.") ? "schedules" : field]).toBeDefined();
});

test("a valid registration is stored as a draft with its schedule as an RRULE and its 休止 dates skipped", async () => {
  const id = await register(
    coordinator,
    salon({ "schedule0.startTime": "10:00:00", "schedule0.exceptionDates": "2026-12-08", "schedule0.pausedFrom": "2027-01-01", "schedule0.pausedUntil": "2027-01-31", postalCode: "４２５００２３" }),
    "save",
  );
  const [row] = await database.db.select().from(resources).where(eq(resources.id, id));
  expect(row).toMatchObject({ reviewStatus: "draft", postalCode: "425-0023", costYen: 100, activities: ["お茶会", "体操"], conditions: ["kengaku", "barrier_free"] });
  const [schedule] = await database.db.select().from(schedules).where(eq(schedules.resourceId, id));
  expect(schedule.rrule).toBe("FREQ=MONTHLY;BYDAY=2TU,4TU");
  expect(schedule).toMatchObject({ startTime: "10:00", endTime: "11:30", pausedFrom: "2027-01-01", pausedUntil: "2027-01-31" });
  // 2027-01: the 2nd and 4th Tuesdays are the 12th and 26th.
  expect(schedule.exceptionDates).toEqual(["2026-12-08", "2027-01-12", "2027-01-26"]);
  // A draft is not public: no place page, no search document.
  expect(await getPublicResource({ id })).toBeNull();
  expect(await loadSearchDocuments(database.db, [id], { readings: false })).toEqual([]);
});

test("a coordinator cannot publish; an admin can, with history rows and a search outbox row", async () => {
  const id = await register(coordinator, salon({ name: "いきいき体操クラブ" }));
  const [submitted] = await database.db.select({ reviewStatus: resources.reviewStatus }).from(resources).where(eq(resources.id, id));
  expect(submitted.reviewStatus).toBe("submitted");

  const refused = await outcome(() => reviewAction(args(post("/admin/review", coordinator, [["intent", "approve-resource"], ["id", String(id)]]))));
  expect(refused.status).toBe(403);
  const refusedStaff = await outcome(() => reviewAction(args(post("/admin/review", staff, [["intent", "approve-resource"], ["id", String(id)]]))));
  expect(refusedStaff.status).toBe(403);
  const [still] = await database.db.select({ reviewStatus: resources.reviewStatus }).from(resources).where(eq(resources.id, id));
  expect(still.reviewStatus).toBe("submitted");
  expect(await database.db.select().from(searchOutbox).where(eq(searchOutbox.resourceId, id))).toEqual([]);

  const approved = await outcome(() => reviewAction(args(post("/admin/review", admin, [["intent", "approve-resource"], ["id", String(id)]]))));
  expect(approved.status).toBe(200);
  const [published] = await database.db.select().from(resources).where(eq(resources.id, id));
  expect(published.reviewStatus).toBe("published");
  expect(published.publishedAt).not.toBeNull();
  expect(published.lastVerifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const outbox = await database.db.select().from(searchOutbox).where(eq(searchOutbox.resourceId, id));
  expect(outbox).toHaveLength(1);
  expect(outbox[0].op).toBe("upsert");
  const history = await database.db.select().from(resourceHistory).where(eq(resourceHistory.resourceId, id));
  const statusChanges = history.filter((h) => h.field === "review_status").map((h) => [h.before, h.after]);
  expect(statusChanges).toEqual(expect.arrayContaining([[null, "draft"], ["draft", "submitted"], ["submitted", "published"]]));
  expect(history.every((h) => h.userId !== null && h.at instanceof Date)).toBe(true);
  expect(await getPublicResource({ id })).not.toBeNull();
});

test("publishing and its outbox row commit together: when the outbox write fails, the entry stays unpublished", async () => {
  const id = await register(coordinator, salon({ name: "男の料理教室" }));
  await database.execute("ALTER TABLE search_outbox ADD CONSTRAINT outbox_refuses CHECK (false) NOT VALID");
  try {
    await expect(reviewAction(args(post("/admin/review", admin, [["intent", "approve-resource"], ["id", String(id)]])))).rejects.toThrow();
  } finally {
    await database.execute("ALTER TABLE search_outbox DROP CONSTRAINT outbox_refuses");
  }
  const [row] = await database.db.select().from(resources).where(eq(resources.id, id));
  expect(row.reviewStatus).toBe("submitted");
  expect(row.publishedAt).toBeNull();
  const history = await database.db.select().from(resourceHistory).where(eq(resourceHistory.resourceId, id));
  expect(history.some((h) => h.after === "published")).toBe(false);
});

test("a returned entry keeps the coordinator's text and shows the reason; it can be fixed and resubmitted", async () => {
  const text = "毎回ちがう手芸をします。\n材料は用意します。";
  const id = await register(coordinator, salon({ name: "手芸サロン", description: text }));
  const noReason = await outcome(() => reviewAction(args(post("/admin/review", admin, [["intent", "return-resource"], ["id", String(id)], ["reason", " "]]))));
  expect(noReason.status).toBe(400);
  expect((noReason.data.errors as Record<string, string[]>).reason).toBeDefined();

  const returned = await outcome(() =>
    reviewAction(args(post("/admin/review", admin, [["intent", "return-resource"], ["id", String(id)], ["reason", "開催場所の住所を確認してください"]]))),
  );
  expect(returned.status).toBe(200);
  const [row] = await database.db.select().from(resources).where(eq(resources.id, id));
  expect(row).toMatchObject({ reviewStatus: "returned", description: text, name: "手芸サロン", returnReason: "開催場所の住所を確認してください" });

  const page = await outcome(() => editLoader(args(getRequest(`/manage/resources/${id}/edit`, coordinator.cookie), { id: String(id) })));
  expect(page.data.returnReason).toBe("開催場所の住所を確認してください");
  expect((page.data.values as Record<string, unknown>).description).toBe(text);

  // Another coordinator may not see or change it.
  const foreign = await outcome(() => editLoader(args(getRequest(`/manage/resources/${id}/edit`, otherCoordinator.cookie), { id: String(id) })));
  expect(foreign.status).toBe(404);

  const fixed = await outcome(() =>
    editAction(args(post(`/manage/resources/${id}/edit`, coordinator, [...salon({ name: "手芸サロン", description: text, addressLine: "本町5丁目2-3" }), ["intent", "save-submit"]]), { id: String(id) })),
  );
  expect(fixed.status).toBe(302);
  const [again] = await database.db.select().from(resources).where(eq(resources.id, id));
  expect(again).toMatchObject({ reviewStatus: "submitted", addressLine: "本町5丁目2-3" });
  const history = await database.db.select().from(resourceHistory).where(eq(resourceHistory.resourceId, id));
  expect(history).toContainEqual(expect.objectContaining({ field: "addressLine", before: "本町5丁目1-1", after: "本町5丁目2-3" }));
});

test("an edit to a published entry waits as a revision with a field-by-field diff, and is public only once approved", async () => {
  const id = await register(coordinator, salon({ name: "いきいきサロン西町" }));
  await reviewAction(args(post("/admin/review", admin, [["intent", "approve-resource"], ["id", String(id)]])));
  await database.db.delete(searchOutbox);

  const edited = await outcome(() =>
    editAction(args(post(`/manage/resources/${id}/edit`, coordinator, [...salon({ name: "いきいきサロン西町", phone: "054-626-2222", "schedule0.startTime": "13:30", "schedule0.endTime": "15:00" }), ["intent", "save"]]), { id: String(id) })),
  );
  expect(edited.status).toBe(302);
  expect(edited.headers.get("Location")).toContain("revision=1");
  const [publicRow] = await database.db.select().from(resources).where(eq(resources.id, id));
  expect(publicRow.phone).toBe("054-626-1111");
  expect(publicRow.reviewStatus).toBe("published");

  const queue = await listReviewQueue(database.db);
  const revision = queue.revisions.find((r) => r.resourceId === id)!;
  expect(revision.changes.map((c) => c.field)).toEqual(["phone", "schedules"]);
  expect(revision.changes[0]).toMatchObject({ label: "電話番号", before: "054-626-1111", after: "054-626-2222" });
  expect(revision.changes[1].before).toContain("10:00–11:30");
  expect(revision.changes[1].after).toContain("13:30–15:00");

  const coordinatorApproves = await outcome(() => reviewAction(args(post("/admin/review", coordinator, [["intent", "approve-revision"], ["id", String(revision.id)]]))));
  expect(coordinatorApproves.status).toBe(403);

  const approved = await outcome(() => reviewAction(args(post("/admin/review", admin, [["intent", "approve-revision"], ["id", String(revision.id)]]))));
  expect(approved.status).toBe(200);
  const [updated] = await database.db.select().from(resources).where(eq(resources.id, id));
  expect(updated.phone).toBe("054-626-2222");
  const [schedule] = await database.db.select().from(schedules).where(eq(schedules.resourceId, id));
  expect(schedule.startTime).toBe("13:30");
  const [revisionRow] = await database.db.select().from(resourceRevisions).where(eq(resourceRevisions.id, revision.id));
  expect(revisionRow.status).toBe("approved");
  expect(await database.db.select().from(searchOutbox).where(eq(searchOutbox.resourceId, id))).toHaveLength(1);
  const history = await database.db.select().from(resourceHistory).where(eq(resourceHistory.resourceId, id));
  expect(history).toContainEqual(expect.objectContaining({ field: "phone", before: "054-626-1111", after: "054-626-2222" }));
});

test("the list's submit button sends only the coordinator's own drafts to review", async () => {
  const id = await register(coordinator, salon({ name: "朝の散歩の会" }), "save");
  const foreign = await outcome(() => listAction(args(post("/manage/resources", otherCoordinator, [["intent", "submit"], ["id", String(id)]]))));
  expect(foreign.status).toBe(404);
  const own = await outcome(() => listAction(args(post("/manage/resources", coordinator, [["intent", "submit"], ["id", String(id)]]))));
  expect(own.status).toBe(200);
  const [row] = await database.db.select({ reviewStatus: resources.reviewStatus }).from(resources).where(eq(resources.id, id));
  expect(row.reviewStatus).toBe("submitted");
  const twice = await outcome(() => listAction(args(post("/manage/resources", coordinator, [["intent", "submit"], ["id", String(id)]]))));
  expect(twice.status).toBe(409);
  const [n] = await database.db.select({ n: sql<number>`count(*)::int` }).from(resourceHistory).where(eq(resourceHistory.resourceId, id));
  expect(n.n).toBeGreaterThan(0);
});
