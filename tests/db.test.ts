import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { resources, schedules } from "../db/schema";
import { createTestDatabase } from "./helpers/db";

test("a fresh test database has the migrated tables and starts empty", async () => {
  const database = await createTestDatabase();
  try {
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(resources);
    expect(row.n).toBe(0);
    const [inserted] = await database.db
      .insert(resources)
      .values({ name: "テストサロン", kind: "salon" })
      .returning({ id: resources.id });
    await database.db.insert(schedules).values({ resourceId: inserted.id, rrule: "FREQ=MONTHLY;BYDAY=2TU,4TU", startsOn: "2026-01-01" });
    const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(schedules);
    expect(count.n).toBe(1);
  } finally {
    await database.cleanup();
  }
});

test("two test databases do not see each other's rows", async () => {
  const first = await createTestDatabase();
  const second = await createTestDatabase();
  try {
    await first.db.insert(resources).values({ name: "片方だけ", kind: "salon" });
    const [row] = await second.db.select({ n: sql<number>`count(*)::int` }).from(resources);
    expect(row.n).toBe(0);
  } finally {
    await first.cleanup();
    await second.cleanup();
  }
});
