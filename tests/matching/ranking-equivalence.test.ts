// matchNeeds ranks fast (no texts while scoring, only the best `limit` picked, excluded reasons built
// when read); this pins its output to a straightforward reference built from explainCandidate, place
// by place: exclusions with their first reason, suggestions fully sorted, diversified and cut.
import { expect, test } from "vitest";
import { diversify, explainCandidate, matchNeeds } from "~/matching/engine";
import type { Needs } from "~/matching/needs";
import type { Candidate, Exclusion, MatchResult, Suggestion } from "~/matching/types";
import { syntheticCandidates, syntheticNeeds } from "./synthetic";

function bySuggestionOrder(a: Suggestion, b: Suggestion): number {
  return b.score - a.score || (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || a.resourceId - b.resourceId;
}

/** The reference ranking, with every suggestion sorted (Array.prototype.sort is stable). */
function reference(needs: Needs, candidates: Candidate[], today: string) {
  const excluded: Exclusion[] = [];
  const suggestions: Suggestion[] = [];
  for (const candidate of candidates) {
    const explained = explainCandidate(needs, candidate, today);
    if (explained.excluded) excluded.push({ resourceId: candidate.id, name: candidate.name, reasons: [explained.reasons[0]] });
    else suggestions.push(explained.suggestion!);
  }
  const ranked = diversify(suggestions.sort(bySuggestionOrder));
  return {
    excluded,
    rankedFor(limit: number): Pick<MatchResult, "suggestions" | "excluded" | "unmet"> {
      const shown = ranked.slice(0, limit);
      return { suggestions: shown, excluded, unmet: !shown.some((s) => s.score >= 45) };
    },
  };
}

test("matchNeeds gives what the reference gives: 40 synthetic people × 1,500 places, several limits and days", () => {
  const candidates = syntheticCandidates(1500, 42);
  const people = syntheticNeeds(40, 11);
  let compared = 0;
  for (const [i, needs] of people.entries()) {
    const today = i % 2 === 0 ? "2026-12-01" : "2027-03-30";
    const expected = reference(needs, candidates, today);
    for (const limit of [1, 3, 30, 400]) {
      const result = matchNeeds(needs, candidates, today, { limit });
      expect({ suggestions: result.suggestions, excluded: result.excluded, unmet: result.unmet }).toEqual(expected.rankedFor(limit));
      expect(result.excludedCount).toBe(expected.excluded.length);
      compared += result.suggestions.length;
    }
  }
  expect(compared).toBeGreaterThan(1000);
});

test("fresh place objects, the same list again, and the same objects in new lists all rank the same", () => {
  const people = syntheticNeeds(10, 5);
  const reused = syntheticCandidates(800, 9);
  for (const needs of people) {
    const fresh = syntheticCandidates(800, 9);
    const expected = matchNeeds(needs, fresh, "2026-12-01");
    expect(matchNeeds(needs, reused, "2026-12-01")).toEqual(expected);
    expect(matchNeeds(needs, [...reused].reverse(), "2026-12-01", { reusesPlaces: true }).suggestions).toEqual(expected.suggestions);
    expect(matchNeeds(needs, [...reused], "2026-12-01", { reusesPlaces: true })).toEqual(expected);
  }
});

test("diversity reaches past the best places when one kind fills them, as the full sort does", () => {
  // 40 near, quiet salons outscore everything; three other kinds that fit sit further down.
  const base = syntheticCandidates(1, 1)[0];
  const place = (id: number, kind: string, fields: Partial<Candidate> = {}): Candidate => ({
    ...base,
    id,
    name: `場所${id}`,
    kind,
    status: "active",
    targetGroups: ["anyone"],
    conditions: ["shizuka", "shoninzu", "kengaku"],
    costKind: "free",
    costYen: 0,
    latitude: 34.867 + id * 0.0001,
    longitude: 138.323,
    lastVerifiedOn: "2026-10-01",
    schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=TU", startsOn: "2025-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: [] }],
    ...fields,
  });
  const candidates = [
    ...Array.from({ length: 40 }, (_, i) => place(i + 1, "salon")),
    place(101, "ibasho", { conditions: [], latitude: 34.9 }),
    place(102, "kominkan", { conditions: [], latitude: 34.91 }),
    place(103, "volunteer", { conditions: [], latitude: 34.92 }),
  ];
  const needs = syntheticNeeds(1, 2)[0];
  const person: Needs = { ...needs, location: { lat: 34.867, lon: 138.323 }, maxDistanceKm: 10, targetGroups: [], wants: ["koryu"], interests: [], availability: [], conditions: { quiet: true, smallGroup: true }, maxCostYen: undefined };
  const expected = reference(person, candidates, "2026-12-01");
  for (const limit of [2, 5, 10]) {
    const result = matchNeeds(person, candidates, "2026-12-01", { limit });
    expect(result.suggestions).toEqual(expected.rankedFor(limit).suggestions);
  }
  const top5 = matchNeeds(person, candidates, "2026-12-01", { limit: 5 }).suggestions;
  expect(top5.filter((s) => s.kind === "salon")).toHaveLength(2);
});
