// The profile set (tests/matching/profiles.ts) over the bundled real open data plus the sample
// venues, through the real retrieval (embedded search engine, geo radius, then the database) and
// the engine: each person's top 3 fitting suggestions are of acceptable kinds.
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadSampleResources } from "~/models/sample-data.server";
import { retrieveCandidates } from "~/matching/candidates.server";
import { MIN_FIT_SCORE, matchNeeds } from "~/matching/engine";
import { parseNeeds } from "~/matching/needs";
import { EmbeddedSearchEngine } from "../../search/embedded";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { createTestDatabaseWithOpenData, type TestDatabase } from "../helpers/db";
import { PROFILES } from "./profiles";

let database: TestDatabase;
const engine = new EmbeddedSearchEngine();
/** Today in Tokyo: the open data's schedules are anchored on the day the test template was imported. */
const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());

beforeAll(async () => {
  database = await createTestDatabaseWithOpenData();
  await loadSampleResources(database);
  await fillIndexFromDatabase(database, engine);
});

afterAll(async () => {
  await database?.cleanup();
});

test("the profile set has at least 20 people, each with valid needs", () => {
  expect(PROFILES.length).toBeGreaterThanOrEqual(20);
  for (const profile of PROFILES) expect(parseNeeds(profile.needs), profile.who).toMatchObject({ ok: true });
});

for (const profile of PROFILES) {
  test(profile.who, async () => {
    const parsed = parseNeeds(profile.needs);
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    const candidates = await retrieveCandidates(database, engine, parsed.needs);
    const result = matchNeeds(parsed.needs, candidates, today);
    const fitting = result.suggestions.filter((s) => s.score >= MIN_FIT_SCORE);
    const top3 = fitting.slice(0, 3).map((s) => `${s.kind} ${s.name} (${s.score})`);
    expect(result.unmet, "nothing fits").toBe(false);
    for (const suggestion of fitting.slice(0, 3)) {
      expect(profile.acceptableKinds, `top 3: ${top3.join(", ")}`).toContain(suggestion.kind);
      expect(suggestion.reasons.length, suggestion.name).toBeGreaterThan(0);
    }
    if (profile.expectKindInTop3) {
      expect(fitting.slice(0, 3).some((s) => profile.expectKindInTop3!.includes(s.kind)), `top 3: ${top3.join(", ")}`).toBe(true);
    }
    // Suggestions are in score order apart from the diversity re-rank of the first five.
    const rest = result.suggestions.slice(5).map((s) => s.score);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
  });
}
