// Hostile and random input to the registration form: the schema never throws, every error names a
// field of the form, and the action answers 400 without storing anything for what it refuses.
import fc from "fast-check";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { setDatabase } from "../../db/client.server";
import { resources } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, ORIGIN, outcome, signIn } from "../accounts/helpers";
import { action as newAction } from "~/routes/manage.resources.new";
import { RESOURCE_TEXT_FIELDS, resourceFieldErrors, ResourceFormSchema, resourceFormInput, SCHEDULE_SLOTS, SCHEDULE_TEXT_FIELDS, slotField } from "~/utils/resource-form";

let database: TestDatabase;
let session: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabase(database);
  session = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
});
afterAll(async () => {
  await database?.cleanup();
});

const FIELD_NAMES = [
  ...RESOURCE_TEXT_FIELDS,
  "targetGroups",
  "conditions",
  ...Array.from({ length: SCHEDULE_SLOTS }, (_, i) => [...SCHEDULE_TEXT_FIELDS, "nths"].map((f) => slotField(i, f))).flat(),
];
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: "grapheme" }),
  fc.constantFrom("<script>alert(1)</script>", "javascript:alert(1)", "'; drop table resources; --", "\u0000", "９９９-９９９９", "25:61", "2026-02-30", "-1", "1e309", "NaN", "MO", "5", "monthly_nth", ""),
);
const formArbitrary = fc.array(fc.tuple(fc.constantFrom(...FIELD_NAMES), hostile), { maxLength: 30 });

test("10,000 hostile inputs: the schema never throws, and every error is keyed by a field the form has", { timeout: 120_000 }, () => {
  const known = new Set<string>(FIELD_NAMES);
  fc.assert(
    fc.property(formArbitrary, (pairs) => {
      const result = ResourceFormSchema.safeParse(resourceFormInput(new URLSearchParams(pairs)));
      if (result.success) return;
      for (const key of Object.keys(resourceFieldErrors(result.error))) expect(known.has(key) || key === "form", key).toBe(true);
    }),
    { numRuns: 10_000 },
  );
});

test("10,000 hostile submissions through the action: refused ones answer 400 and store nothing; none answers 5xx", { timeout: 600_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(formArbitrary, async (pairs) => {
      const [before] = await database.db.select({ n: count() }).from(resources);
      const body = new URLSearchParams([["csrf", session.csrf], ["intent", "save"], ...pairs]);
      const request = new Request(`${ORIGIN}/manage/resources/new`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: session.cookie },
        body: body.toString(),
      });
      const result = await outcome(() => newAction({ request, params: {}, context: {} } as unknown as ActionFunctionArgs));
      expect(result.status).toBeLessThan(500);
      const [after] = await database.db.select({ n: count() }).from(resources);
      if (result.status === 400) expect(after.n).toBe(before.n);
      else expect(result.status).toBe(302);
    }),
    { numRuns: 10_000 },
  );
});
