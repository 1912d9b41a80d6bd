// The matching side of the staff pages, over the bundled open data and the embedded search
// engine: grouped, explained suggestions; 「このまま提案する」; 「この場所が除外された理由」; an unmet
// need recorded when nothing fits, aggregated without personal identifiers; publishing a place that
// fits the waiting need notifies the assigned staff (and nobody else); person data never reaches
// the search index.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { notifications, placements, resources, searchOutbox, unmetNeeds } from "../../db/schema";
import { getSearchEngine } from "../../search/engine.server";
import { loadSearchDocuments } from "../../search/documents.server";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { createTestApp } from "../helpers/app";
import type { TestDatabase } from "../helpers/db";
import { args, assessmentFields, createCase, get, post, type Session } from "./helpers";
import { LADDER_STEPS } from "~/matching/vocabulary";
import { aggregateUnmetNeeds } from "~/people/unmet-needs.server";
import type { SuggestionGroup } from "~/people/suggestions.server";
import { action as reviewAction } from "~/routes/admin.review";
import { action as newResourceAction } from "~/routes/manage.resources.new";
import { action as assessmentAction } from "~/routes/staff.people.$id_.assessment";
import { action as notificationsAction, loader as notificationsLoader } from "~/routes/staff.notifications";
import { action as suggestionsAction, loader as suggestionsLoader } from "~/routes/staff.people.$id_.suggestions";
import { loader as unmetLoader } from "~/routes/staff.unmet-needs";

let database: TestDatabase;
let staffA: Session;
let staffB: Session;
let admin: Session;
let coordinator: Session;
let staffAId: number;
let staffBId: number;

beforeAll(async () => {
  database = await createTestApp();
  const a = await makeUser(database.db, { role: "staff", totp: true });
  const b = await makeUser(database.db, { role: "staff", totp: true });
  staffAId = a.id;
  staffBId = b.id;
  staffA = await signIn(database.db, a, { twoFactorVerified: true });
  staffB = await signIn(database.db, b, { twoFactorVerified: true });
  admin = await signIn(database.db, await makeUser(database.db, { role: "admin", totp: true }), { twoFactorVerified: true });
  coordinator = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
}, 180_000);
afterAll(async () => {
  await database?.cleanup();
});

interface Loaded {
  result: {
    kind: string;
    startStep: number;
    groups: SuggestionGroup[];
    unmet: boolean;
    why: { kind: string; name?: string; excluded?: boolean; reasons?: string[]; choices?: unknown[] } | null;
  };
}

async function suggestions(session: Session, caseNumber: string, query = ""): Promise<Loaded["result"]> {
  const page = await outcome(() => suggestionsLoader(args(get(`/staff/people/${caseNumber}/suggestions${query}`, session), { id: caseNumber })));
  expect(page.status).toBe(200);
  return (page.data as unknown as Loaded).result;
}

async function assess(session: Session, caseNumber: string, overrides: [string, string][] = []) {
  const saved = await outcome(() => assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, session, assessmentFields(overrides)), { id: caseNumber })));
  expect(saved.status, JSON.stringify(saved.data)).toBe(302);
}

test("suggestions come grouped by ladder step from the start step, each explained; 「このまま提案する」 records a 提案 with step and reasons", async () => {
  const caseNumber = await createCase(staffA, { name: "提案 花子" });
  const before = await suggestions(staffA, caseNumber);
  expect(before.kind).toBe("no-assessment");
  await assess(staffA, caseNumber, [["startStep", "2"]]);
  const result = await suggestions(staffA, caseNumber);
  expect(result.kind).toBe("ok");
  expect(result.startStep).toBe(2);
  expect(result.groups.length).toBeGreaterThan(0);
  // Page order: steps 2, 3, 4, 5 then 1, whichever have suggestions.
  const order = [2, 3, 4, 5, 1];
  const steps = result.groups.map((g) => g.step);
  expect(steps).toEqual(order.filter((s) => steps.includes(s as never)));
  for (const group of result.groups) {
    expect(group.label).toBe(LADDER_STEPS.find((s) => s.step === group.step)!.label);
    for (const s of group.suggestions) {
      expect(s.step).toBe(group.step);
      expect(s.reasons.length).toBeGreaterThan(0);
    }
  }
  const first = result.groups[0].suggestions[0];
  const proposed = await outcome(() =>
    suggestionsAction(
      args(
        post(`/staff/people/${caseNumber}/suggestions`, staffA, [
          ["intent", "propose"],
          ["resourceId", String(first.resourceId)],
          ["step", String(first.step)],
          ...first.reasons.map((r): [string, string] => ["reasons", r]),
        ]),
        { id: caseNumber },
      ),
    ),
  );
  expect(proposed.status).toBe(302);
  const placementId = Number(/\/staff\/placements\/(\d+)/.exec(proposed.headers.get("Location") ?? "")?.[1]);
  const [row] = await database.db.select().from(placements).where(eq(placements.id, placementId));
  expect(row).toMatchObject({ resourceId: first.resourceId, status: "proposed", step: first.step, reasons: first.reasons });

  // 「この場所が除外された理由」 by id and by name: a closed-to-this-person place explains itself.
  const [far] = await database.db
    .select({ id: resources.id, name: resources.name })
    .from(resources)
    .where(and(eq(resources.reviewStatus, "published"), sql`${resources.latitude} > 35.5`))
    .limit(1);
  const byId = await suggestions(staffA, caseNumber, `?why=${far.id}`);
  expect(byId.why).toMatchObject({ kind: "explained", name: far.name, excluded: true });
  expect(byId.why!.reasons!.join(" ")).toMatch(/km/);
  const byName = await suggestions(staffA, caseNumber, `?why=${encodeURIComponent(far.name)}`);
  expect(byName.why).toMatchObject({ kind: "explained", name: far.name });
  const none = await suggestions(staffA, caseNumber, `?why=${encodeURIComponent("存在しない場所ですよ")}`);
  expect(none.why?.kind).toBe("none");
});

/** A place in 札幌 (far from all bundled data), meeting on weekday mornings, as a coordinator registers it. */
function sapporoPlace(): [string, string][] {
  const fields: Record<string, string> = {
    name: "北区ふれあい居場所テスト",
    nameKana: "きたくふれあいいばしょてすと",
    kind: "ibasho",
    description: "おしゃべりとお茶の居場所です。初めての方も見学できます。",
    activities: "おしゃべり、お茶会",
    costKind: "free",
    costYen: "",
    costNote: "",
    capacity: "10",
    postalCode: "001-0010",
    prefecture: "北海道",
    city: "札幌市北区",
    addressLine: "北10条西4丁目",
    building: "",
    latitude: "43.0700",
    longitude: "141.3500",
    area: "札幌市北区",
    operator: "テストNPO",
    phone: "011-700-0000",
    email: "",
    url: "",
    status: "active",
    hoursNote: "",
    accessNote: "",
    "schedule0.kind": "weekly",
    "schedule0.weekday": "TU",
    "schedule0.startTime": "10:00",
    "schedule0.endTime": "12:00",
    "schedule0.startsOn": "2026-01-01",
    "schedule0.exceptionDates": "",
    "schedule0.pausedFrom": "",
    "schedule0.pausedUntil": "",
  };
  return [...Object.entries(fields), ["targetGroups", "anyone"], ["conditions", "kengaku"], ["conditions", "shoninzu"]];
}

test("nothing fits → the page offers to record an unmet need; the aggregate has no personal identifiers; publishing a fitting place notifies the assigned staff only", async () => {
  const caseNumber = await createCase(staffA, {
    name: "不足 さくら",
    nameKana: "ふそく さくら",
    address: "北海道札幌市北区北9条西4丁目",
    area: "札幌市北区",
    latitude: "43.0686",
    longitude: "141.3508",
  });
  await assess(staffA, caseNumber, [["maxDistanceKm", "3"]]);
  const result = await suggestions(staffA, caseNumber);
  expect(result.unmet).toBe(true);
  expect(result.groups).toEqual([]);

  const recorded = await outcome(() =>
    suggestionsAction(args(post(`/staff/people/${caseNumber}/suggestions`, staffA, [["intent", "unmet"], ["kinds", "ibasho"], ["note", "秘密のメモ 不足さくら"]]), { id: caseNumber })),
  );
  expect(recorded.status).toBe(200);
  const badKind = await outcome(() => suggestionsAction(args(post(`/staff/people/${caseNumber}/suggestions`, staffA, [["intent", "unmet"], ["kinds", "castle"]]), { id: caseNumber })));
  expect(badKind.status).toBe(400);
  // Staff B cannot record one for staff A's case.
  const hidden = await outcome(() => suggestionsAction(args(post(`/staff/people/${caseNumber}/suggestions`, staffB, [["intent", "unmet"]]), { id: caseNumber })));
  expect(hidden.status).toBe(404);

  const [need] = await database.db.select().from(unmetNeeds).where(eq(unmetNeeds.area, "札幌市北区"));
  expect(need).toMatchObject({ status: "waiting", wants: ["ibasho", "koryu"], kinds: ["ibasho"], interests: ["talking", "cooking"] });
  expect(need.weekdays.sort()).toEqual(["FR", "MO", "TH", "TU", "WE"]);

  const aggregate = await aggregateUnmetNeeds(database.db);
  expect(aggregate.rows).toContainEqual({ area: "札幌市北区", dimension: "want", code: "ibasho", label: "居場所", waiting: 1, total: 1 });
  expect(aggregate.rows).toContainEqual({ area: "札幌市北区", dimension: "kind", code: "ibasho", label: "居場所・フリースペース", waiting: 1, total: 1 });
  const page = await outcome(() => unmetLoader(args(get("/staff/unmet-needs", staffB))));
  expect(page.status).toBe(200);
  const shown = JSON.stringify(page.data);
  for (const secret of ["不足 さくら", "ふそく", caseNumber, "秘密のメモ", "北9条", String(need.personId)]) expect(shown).not.toContain(secret);
  expect(Object.keys(aggregate.rows[0]).sort()).toEqual(["area", "code", "dimension", "label", "total", "waiting"]);

  // A coordinator registers a fitting place in 札幌; nothing is notified until an admin publishes it.
  const registered = await outcome(() => newResourceAction(args(post("/manage/resources/new", coordinator, [...sapporoPlace(), ["intent", "save-submit"]]))));
  expect(registered.status, JSON.stringify(registered.data)).toBe(302);
  const resourceId = Number(/saved=(\d+)/.exec(registered.headers.get("Location") ?? "")?.[1]);
  expect(await database.db.select().from(notifications)).toEqual([]);
  const approved = await outcome(() => reviewAction(args(post("/admin/review", admin, [["intent", "approve-resource"], ["id", String(resourceId)]]))));
  expect(approved.status).toBe(200);

  const [after] = await database.db.select({ status: unmetNeeds.status, matched: unmetNeeds.matchedResourceId }).from(unmetNeeds).where(eq(unmetNeeds.id, need.id));
  expect(after).toEqual({ status: "matched", matched: resourceId });
  const sent = await database.db.select().from(notifications);
  expect(sent).toHaveLength(1);
  expect(sent[0].userId).toBe(staffAId);
  expect(sent[0].message).toContain(caseNumber);
  expect(sent[0].message).toContain("北区ふれあい居場所テスト");
  expect(sent[0].message).not.toContain("不足 さくら");
  expect(sent[0].link).toBe(`/staff/people/${caseNumber}/suggestions?why=${resourceId}`);

  // Staff A sees it and marks it read; staff B has none and cannot mark staff A's.
  const listB = await outcome(() => notificationsLoader(args(get("/staff/notifications", staffB))));
  expect(listB.data.notifications).toEqual([]);
  const stolen = await outcome(() => notificationsAction(args(post("/staff/notifications", staffB, [["intent", "read"], ["id", String(sent[0].id)]]))));
  expect(stolen.data.message).toBe("既読にするお知らせはありませんでした。");
  const listA = await outcome(() => notificationsLoader(args(get("/staff/notifications", staffA))));
  expect((listA.data.notifications as { readAt: unknown }[]).map((n) => n.readAt)).toEqual([null]);
  const read = await outcome(() => notificationsAction(args(post("/staff/notifications", staffA, [["intent", "read"], ["id", String(sent[0].id)]]))));
  expect(read.data.message).toBe("1件を既読にしました。");
  const [readRow] = await database.db.select({ readAt: notifications.readAt }).from(notifications).where(eq(notifications.id, sent[0].id));
  expect(readRow.readAt).not.toBeNull();
  expect(staffBId).not.toBe(staffAId);
});

test("person data never reaches the search index: documents come only from resources", async () => {
  const name = "索引除外 確認子";
  const caseNumber = await createCase(staffA, { name, nameKana: "さくいんじょがい かくにんこ", address: "焼津市本町99-99 テスト荘" });
  await assess(staffA, caseNumber);
  const engine = getSearchEngine();
  for (const text of [name, "索引除外", "さくいんじょがい", caseNumber, "テスト荘"]) {
    const found = await engine.search({ text, limit: 10 });
    expect(found.total, text).toBe(0);
  }
  const documents = await loadSearchDocuments(database.db, undefined, { readings: false });
  const resourceIds = new Set((await database.db.select({ id: resources.id }).from(resources)).map((r) => String(r.id)));
  expect(documents.every((d) => resourceIds.has(String(d.id)))).toBe(true);
  expect(JSON.stringify(documents)).not.toContain("索引除外");
  const outbox = await database.db.select({ resourceId: searchOutbox.resourceId }).from(searchOutbox);
  expect(outbox.every((row) => resourceIds.has(String(row.resourceId)))).toBe(true);
});
