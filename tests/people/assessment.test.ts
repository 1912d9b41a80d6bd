// The assessment form: each save is a new version whose data the needs schema accepts (with the
// person's location and area filled in); invalid values give field errors and store nothing.
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { assessments, people } from "../../db/schema";
import { setDatabase } from "../../db/client.server";
import { makeUser, outcome, signIn } from "../accounts/helpers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { args, assessmentFields, createCase, get, post, type Session } from "./helpers";
import { parseNeeds } from "~/matching/needs";
import { action as assessmentAction, loader as assessmentLoader } from "~/routes/staff.people.$id_.assessment";

let database: TestDatabase;
let staff: Session;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  staff = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
}, 180_000);
afterAll(async () => {
  await database?.cleanup();
});

async function versions(caseNumber: string) {
  const [person] = await database.db.select({ id: people.id }).from(people).where(eq(people.caseNumber, caseNumber));
  return database.db.select().from(assessments).where(eq(assessments.personId, person.id)).orderBy(asc(assessments.version));
}

test("saving twice makes versions 1 and 2; the data is a valid needs object with the person's location and area", async () => {
  const caseNumber = await createCase(staff, { name: "評価 一郎" });
  const first = await outcome(() => assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, staff, assessmentFields()), { id: caseNumber })));
  expect(first.status).toBe(302);
  expect(first.headers.get("Location")).toBe(`/staff/people/${caseNumber}/suggestions?saved=1`);
  const second = await outcome(() =>
    assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, staff, assessmentFields([["wants", "work_trial"], ["startStep", "3"], ["maxCostYen", "500"]])), { id: caseNumber })),
  );
  expect(second.status).toBe(302);
  const rows = await versions(caseNumber);
  expect(rows.map((r) => r.version)).toEqual([1, 2]);
  const parsed = parseNeeds(rows[1].data);
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) return;
  expect(parsed.needs.location).toEqual({ lat: 34.8672, lon: 138.324 });
  expect(parsed.needs.area).toBe("焼津市");
  expect(parsed.needs.wants).toEqual(["ibasho", "koryu", "work_trial"]);
  expect(parsed.needs.startStep).toBe(3);
  expect(parsed.needs.maxCostYen).toBe(500);
  expect(parsed.needs.availability).toContainEqual({ weekday: "TU", from: "09:00", to: "17:00" });
  expect(parsed.needs.conditions).toEqual({ firstTimeFriendly: true });
  // The form opens with the latest version.
  const page = await outcome(() => assessmentLoader(args(get(`/staff/people/${caseNumber}/assessment`, staff), { id: caseNumber })));
  expect(page.data.latestVersion).toBe(2);
  expect((page.data.values as { wants: string[] }).wants).toContain("work_trial");
});

test("invalid values give field errors next to their fields and store nothing", async () => {
  const caseNumber = await createCase(staff, { name: "評価 二郎" });
  const bad: [[string, string][], string][] = [
    [[["interests", "skydiving"]], "interests"],
    [[["wants", "nap"]], "wants"],
    [[["maxDistanceKm", "とおく"]], "maxDistanceKm"],
    [[["maxDistanceKm", "-3"]], "maxDistanceKm"],
    [[["outingsPerWeek", "9"]], "outingsPerWeek"],
    [[["startStep", "7"]], "startStep"],
    [[["avail.SA.from", "18:00"], ["avail.SA.to", "10:00"]], "avail.SA"],
    [[["avail.SU.from", "25:00"], ["avail.SU.to", "26:00"]], "avail.SU"],
    [[["certificate", "gold"]], "certificate"],
    [[["transport", "helicopter"]], "transport"],
    [[["conditions", "noise"]], "conditions"],
  ];
  for (const [overrides, field] of bad) {
    const result = await outcome(() => assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, staff, assessmentFields(overrides)), { id: caseNumber })));
    expect(result.status, field).toBe(400);
    expect(Object.keys(result.data.errors as object), field).toContain(field);
  }
  const noDate = await outcome(() =>
    assessmentAction(args(post(`/staff/people/${caseNumber}/assessment`, staff, assessmentFields().filter(([k]) => k !== "assessedOn")), { id: caseNumber })),
  );
  expect(noDate.status).toBe(400);
  expect(await versions(caseNumber)).toEqual([]);
});
