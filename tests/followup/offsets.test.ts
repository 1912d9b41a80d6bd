// Follow-up offsets per placement: the text staff type, and re-planning only the contacts not yet
// made (recorded and past ones stay), through the gate.
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { consentEvents, followUps, people, personAssignments, placementEvents, placements, resources } from "../../db/schema";
import { formatOffsets, parseOffsetsText, planFollowUps, setFollowUpOffsets } from "../../app/followup/followups.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, type TestUser } from "../accounts/helpers";

describe("the offsets text", () => {
  test.each([
    ["1週、2週、1か月、2か月、3か月", [{ weeks: 1 }, { weeks: 2 }, { months: 1 }, { months: 2 }, { months: 3 }]],
    ["1w,2w,1m", [{ weeks: 1 }, { weeks: 2 }, { months: 1 }]],
    ["２週間　６ヶ月", [{ weeks: 2 }, { months: 6 }]],
  ])("%s", (text, offsets) => {
    expect(parseOffsetsText(text)).toEqual(offsets);
  });
  test.each(["", "毎週", "0週", "1年", "1週,,x"])("「%s」 is refused", (text) => {
    expect(parseOffsetsText(text)).toBeNull();
  });
  test("round trip", () => {
    expect(formatOffsets(parseOffsetsText("1w,2w,1m")!)).toBe("1週、2週、1か月");
  });
});

let handle: TestDatabase;
let staff: TestUser;
let other: TestUser;
let placementId: number;
let personId: number;
beforeAll(async () => {
  handle = await createTestDatabase();
  staff = await makeUser(handle.db, { role: "staff", totp: true });
  other = await makeUser(handle.db, { role: "staff", totp: true });
  const [resource] = await handle.db.insert(resources).values({ name: "ひだまり", kind: "ibasho" }).returning({ id: resources.id });
  const [person] = await handle.db.insert(people).values({ caseNumber: "2026-0009", name: "テスト" }).returning({ id: people.id });
  personId = person!.id;
  await handle.db.insert(personAssignments).values({ personId, userId: staff.id });
  await handle.db.insert(consentEvents).values({ personId, state: "agree", recordedOn: "2026-11-01" });
  const [placement] = await handle.db.insert(placements).values({ personId, resourceId: resource!.id, status: "visit" }).returning({ id: placements.id });
  placementId = placement!.id;
  await handle.db.insert(placementEvents).values({ placementId, fromStatus: "proposed", toStatus: "visit", on: "2026-12-01" });
  await planFollowUps(handle.db, { id: placementId, personId, followUpOffsets: null }, "2026-12-01");
  // The first contact with the person was made.
  await handle.db.update(followUps).set({ status: "done", doneOn: "2026-12-08" }).where(and(eq(followUps.placementId, placementId), eq(followUps.dueOn, "2026-12-08"), eq(followUps.side, "person")));
});
afterAll(async () => {
  await handle?.cleanup();
});

test("new offsets replace the contacts still to come; recorded and past ones stay; other staff cannot", async () => {
  expect((await setFollowUpOffsets(handle.db, { actor: { id: other.id, role: "staff" }, placementId, offsets: [{ weeks: 3 }], today: "2026-12-10" })).kind).toBe("not-found");
  const result = await setFollowUpOffsets(handle.db, { actor: { id: staff.id, role: "staff" }, placementId, offsets: [{ weeks: 1 }, { weeks: 3 }, { months: 2 }], today: "2026-12-10" });
  expect(result.kind).toBe("ok");
  const rows = await handle.db.select().from(followUps).where(eq(followUps.placementId, placementId)).orderBy(asc(followUps.dueOn), asc(followUps.side));
  const dates = [...new Set(rows.map((r) => r.dueOn))];
  // Past: 12-08 (both sides, one done). New plan from 12-01: 1w (12-08, past), 3w 12-22, 2m 2027-02-01, then every 3 months.
  expect(dates.slice(0, 4)).toEqual(["2026-12-08", "2026-12-22", "2027-02-01", "2027-05-01"]);
  expect(rows.filter((r) => r.dueOn === "2026-12-08").map((r) => r.status).sort()).toEqual(["done", "planned"]);
  expect(rows.some((r) => r.dueOn === "2026-12-15")).toBe(false);
  const [placement] = await handle.db.select({ offsets: placements.followUpOffsets }).from(placements).where(eq(placements.id, placementId));
  expect(placement!.offsets).toEqual([{ weeks: 1 }, { weeks: 3 }, { months: 2 }]);
});
