// The placement lifecycle: the pure rules (every pair of states, legal or not) and the same rules
// through the placement page, where each transition records a dated event with who and a note.
import { asc, eq } from "drizzle-orm";
import { decryptField } from "~/utils/field-crypto.server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { followUps, placementEvents, placements, resources, users } from "../../db/schema";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { createTestDatabaseWithOpenData, type TestDatabase } from "../helpers/db";
import { setDatabase } from "../../db/client.server";
import { args, createCase, get, post, type Session } from "./helpers";
import { isLegalTransition, nextStatuses, PLACEMENT_STATUS_CODES, type PlacementStatus } from "~/people/placement";
import { action as newPlacementAction, loader as newPlacementLoader } from "~/routes/staff.people.$id_.placements.new";
import { action as placementAction, loader as placementLoader } from "~/routes/staff.placements.$id";

test("legal transitions: one step forward, 中断 / 終了 from any non-final state, resume after 中断, nothing after 終了", () => {
  const legal: Record<PlacementStatus, PlacementStatus[]> = {
    proposed: ["visit", "suspended", "ended"],
    visit: ["trial", "suspended", "ended"],
    trial: ["active", "suspended", "ended"],
    active: ["settled", "suspended", "ended"],
    settled: ["suspended", "ended"],
    suspended: ["visit", "trial", "active", "ended"],
    ended: [],
  };
  for (const from of PLACEMENT_STATUS_CODES) {
    expect(nextStatuses(from).sort()).toEqual([...legal[from]].sort());
    for (const to of PLACEMENT_STATUS_CODES) expect(isLegalTransition(from, to), `${from} → ${to}`).toBe(legal[from].includes(to));
  }
  // Skipping a step, going back, and unknown states are illegal.
  expect(isLegalTransition("proposed", "trial")).toBe(false);
  expect(isLegalTransition("active", "visit")).toBe(false);
  expect(isLegalTransition("proposed", "done")).toBe(false);
  expect(isLegalTransition("bogus", "visit")).toBe(false);
});

let database: TestDatabase;
let staff: Session;
let staffName: string;
let resourceId: number;
let resourceName: string;

beforeAll(async () => {
  database = await createTestDatabaseWithOpenData();
  setDatabase(database);
  const user = await makeUser(database.db, { role: "staff", totp: true });
  staff = await signIn(database.db, user, { twoFactorVerified: true });
  staffName = (await database.db.select({ name: users.displayName }).from(users).where(eq(users.id, user.id)))[0].name;
  const [first] = await database.db.select({ id: resources.id, name: resources.name }).from(resources).where(eq(resources.reviewStatus, "published")).limit(1);
  resourceId = first.id;
  resourceName = first.name;
}, 180_000);
afterAll(async () => {
  await database?.cleanup();
});

test("a placement for any published place moves through its lifecycle with dated events; illegal moves are refused and change nothing", async () => {
  const caseNumber = await createCase(staff, { name: "つなぎ 太郎" });
  const search = await outcome(() => newPlacementLoader(args(get(`/staff/people/${caseNumber}/placements/new?q=${encodeURIComponent(resourceName.slice(0, 4))}`, staff), { id: caseNumber })));
  expect(search.status).toBe(200);
  expect((search.data.found as { id: number }[]).map((r) => r.id)).toContain(resourceId);
  const created = await outcome(() =>
    newPlacementAction(args(post(`/staff/people/${caseNumber}/placements/new`, staff, [["resourceId", String(resourceId)], ["step", "2"], ["note", "本人が興味あり"]]), { id: caseNumber })),
  );
  expect(created.status).toBe(302);
  const id = Number(/\/staff\/placements\/(\d+)/.exec(created.headers.get("Location") ?? "")?.[1]);
  const params = { id: String(id) };
  const move = (toStatus: string, on: string, note = "") =>
    outcome(() => placementAction(args(post(`/staff/placements/${id}`, staff, [["intent", "transition"], ["toStatus", toStatus], ["on", on], ["note", note]]), params)));

  expect((await move("trial", "2026-11-20")).status).toBe(409); // 提案 → 体験 skips 見学
  expect((await move("visit", "2026-11-20", "本人と同行して見学")).status).toBe(200);
  expect((await move("visit", "2026-11-21")).status).toBe(409); // already 見学
  expect((await move("trial", "2026-11-27")).status).toBe(200);
  expect((await move("suspended", "2026-12-01", "体調不良")).status).toBe(200);
  expect((await move("active", "2026-12-15", "再開")).status).toBe(200);
  expect((await move("ended", "2027-01-10")).status).toBe(200);
  const afterEnd = await move("active", "2027-01-11");
  expect(afterEnd.status).toBe(409);
  expect(String(afterEnd.data.message)).toContain("「終了」から「参加中」には変更できません");
  expect((await move("bogus", "2027-01-11")).status).toBe(400);
  expect((await move("active", "2027-02-30")).status).toBe(400);

  const events = await database.db.select().from(placementEvents).where(eq(placementEvents.placementId, id)).orderBy(asc(placementEvents.id));
  expect(events.map((e) => [e.fromStatus, e.toStatus, e.on])).toEqual([
    [null, "proposed", expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)],
    ["proposed", "visit", "2026-11-20"],
    ["visit", "trial", "2026-11-27"],
    ["trial", "suspended", "2026-12-01"],
    ["suspended", "active", "2026-12-15"],
    ["active", "ended", "2027-01-10"],
  ]);
  expect(events[1].note).toMatch(/^enc:v1:/);
  expect(decryptField(events[1].note)).toBe("本人と同行して見学");
  // 見学 started the two-sided follow-up plan (from the 見学 date, once); 終了 cancelled what was left.
  const contacts = await database.db.select().from(followUps).where(eq(followUps.placementId, id)).orderBy(asc(followUps.dueOn), asc(followUps.id));
  expect(contacts.slice(0, 2).map((c) => [c.dueOn, c.side])).toEqual([
    ["2026-11-27", "person"],
    ["2026-11-27", "host"],
  ]);
  expect(contacts.filter((c) => c.status === "planned")).toEqual([]);
  expect(contacts.filter((c) => c.status === "cancelled").length).toBe(contacts.length);
  const [row] = await database.db.select({ status: placements.status, step: placements.step }).from(placements).where(eq(placements.id, id));
  expect(row).toEqual({ status: "ended", step: 2 });

  const page = await outcome(() => placementLoader(args(get(`/staff/placements/${id}`, staff), params)));
  expect(page.data.next).toEqual([]);
  expect((page.data.events as { by: string }[])[1].by).toBe(staffName);
});

test("host contact and 移行促進費 are saved; an amount without the flag is refused", async () => {
  const caseNumber = await createCase(staff, { name: "費用 支援" });
  const created = await outcome(() => newPlacementAction(args(post(`/staff/people/${caseNumber}/placements/new`, staff, [["resourceId", String(resourceId)]]), { id: caseNumber })));
  const id = Number(/\/staff\/placements\/(\d+)/.exec(created.headers.get("Location") ?? "")?.[1]);
  const save = (fields: [string, string][]) => outcome(() => placementAction(args(post(`/staff/placements/${id}`, staff, [["intent", "details"], ...fields]), { id: String(id) })));
  const refused = await save([["hostContact", "施設長 山田"], ["costSupportYen", "3000"]]);
  expect(refused.status).toBe(400);
  expect(Object.keys(refused.data.errors as object)).toContain("costSupport");
  expect((await save([["hostContact", "施設長 山田"], ["costSupport", "on"], ["costSupportYen", "３０００"], ["costSupportNote", "昼食代・作業着"]])).status).toBe(200);
  const [row] = await database.db
    .select({ hostContact: placements.hostContact, costSupport: placements.costSupport, yen: placements.costSupportYen, note: placements.costSupportNote })
    .from(placements)
    .where(eq(placements.id, id));
  expect(row).toEqual({ hostContact: "施設長 山田", costSupport: true, yen: 3000, note: "昼食代・作業着" });
  // An unpublished or unknown place cannot be proposed.
  const bogus = await outcome(() => newPlacementAction(args(post(`/staff/people/${caseNumber}/placements/new`, staff, [["resourceId", "99999999"]]), { id: caseNumber })));
  expect(bogus.status).toBe(409);
});
