// The matching engine alone (pure): every hard constraint, every soft signal, the explanations,
// the ladder and the diversity rule, on hand-made places. Today is Monday 30 November 2026.
import { expect, test } from "vitest";
import { deriveStartStep, diversify, explainCandidate, matchNeeds, stepOf } from "~/matching/engine";
import { parseNeeds, type NeedsInput } from "~/matching/needs";
import type { Candidate, Suggestion } from "~/matching/types";

const TODAY = "2026-11-30"; // a Monday
const HOME = { lat: 34.866, lon: 138.32 };
/** About 1 km north of HOME per unit. */
const KM_LAT = 1 / 111.2;

let nextId = 1;
function place(fields: Partial<Candidate> = {}): Candidate {
  return {
    id: nextId++,
    name: "テストの場",
    kind: "salon",
    services: [],
    description: null,
    activities: [],
    targetGroups: ["anyone"],
    conditions: [],
    costKind: "free",
    costYen: 0,
    capacity: null,
    area: "焼津市",
    city: "焼津市",
    latitude: HOME.lat + KM_LAT,
    longitude: HOME.lon,
    status: "active",
    lastVerifiedOn: "2026-10-01",
    schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=TU", startsOn: "2025-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: [] }],
    hoursNote: null,
    sample: false,
    ...fields,
  };
}

function needs(input: NeedsInput = {}) {
  const parsed = parseNeeds(input);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.needs;
}

function explain(input: NeedsInput, candidate: Candidate) {
  return explainCandidate(needs(input), candidate, TODAY);
}

// ---- Hard constraints ----------------------------------------------------------------------------

test("a place only for parents with small children is excluded for a 50-year-old, with the reason", () => {
  const result = explain({ targetGroups: ["生活困窮"] }, place({ targetGroups: ["parents"] }));
  expect(result.excluded).toBe(true);
  expect(result.reasons).toEqual(["対象が子育て中の親子のみ"]);
});

test("places for anyone, or with no target groups, fit every person", () => {
  expect(explain({ targetGroups: ["elderly"] }, place({ targetGroups: ["anyone"] })).excluded).toBe(false);
  expect(explain({ targetGroups: ["elderly"] }, place({ targetGroups: [] })).excluded).toBe(false);
  expect(explain({ targetGroups: ["elderly"] }, place({ targetGroups: ["elderly", "disability"] })).excluded).toBe(false);
});

test("a person with no target groups is not excluded by target, but staff are asked to check", () => {
  const result = explain({}, place({ targetGroups: ["elderly"] }));
  expect(result.excluded).toBe(false);
  expect(result.suggestion!.cautions).toContain("対象（高齢者）に当てはまるか確認");
});

test("手帳不要 opens a place for people with a disability to a person without one (Komatsu)", () => {
  const workshop = { kind: "shuro_b", targetGroups: ["disability"] };
  expect(explain({ targetGroups: ["hardship"], certificate: "none" }, place(workshop)).reasons[0]).toMatch(/^対象が障がいのある人のみ|受給者証/);
  const open = explain({ targetGroups: ["hardship"], certificate: "none" }, place({ ...workshop, conditions: ["techo_fuyo"] }));
  expect(open.excluded).toBe(false);
  expect(open.reasons).toContain("手帳がなくても利用できる");
});

test("a B型 workshop needs a 受給者証: excluded without a certificate, kept with a caution when unknown", () => {
  const workshop = place({ kind: "shuro_b", targetGroups: ["disability"] });
  const without = explain({ targetGroups: ["disability"], conditions: { noCertificate: true } }, workshop);
  expect(without.excluded).toBe(true);
  expect(without.reasons).toEqual(["就労継続支援B型の利用には障害福祉サービス受給者証が必要（手帳不要の受け入れなし）"]);

  const unknown = explain({ targetGroups: ["disability"] }, workshop);
  const known = explain({ targetGroups: ["disability"], certificate: "療育手帳" }, workshop);
  expect(unknown.excluded).toBe(false);
  expect(unknown.suggestion!.cautions.join()).toContain("受給者証");
  expect(known.suggestion!.cautions.join()).not.toContain("受給者証");
  expect(unknown.suggestion!.score).toBeLessThan(known.suggestion!.score);
});

test("a 地域活動支援センター is never excluded for a missing certificate, only checked (Yokkaichi)", () => {
  const centre = place({ kind: "chiiki_katsudo", targetGroups: ["disability"], conditions: [] });
  const result = explain({ targetGroups: ["disability"], certificate: "none" }, centre);
  expect(result.excluded).toBe(false);
  expect(result.suggestion!.cautions).toContain("利用登録（手帳がなくても利用できる所が多い）：事前に確認");
});

test("no session inside the person's free time in the next 4 weeks excludes the place", () => {
  const wednesday = place({ schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=WE", startsOn: "2025-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: [] }] });
  const result = explain({ availability: [{ weekday: "TU", from: "09:00", to: "12:00" }] }, wednesday);
  expect(result.excluded).toBe(true);
  expect(result.reasons).toEqual(["空き時間（火 9:00–12:00）に開催がない（今後4週間）"]);
});

test("a session on the right day but outside the window does not fit; an hour of overlap does", () => {
  const afternoon = place({ schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=TU", startsOn: "2025-04-01", startTime: "14:00", endTime: "16:00", exceptionDates: [] }] });
  expect(explain({ availability: [{ weekday: "TU", from: "09:00", to: "12:00" }] }, afternoon).excluded).toBe(true);
  expect(explain({ availability: [{ weekday: "TU", from: "13:00", to: "15:00" }] }, afternoon).excluded).toBe(false);
  expect(explain({ availability: [{ weekday: "TU", from: "14:30", to: "15:00" }] }, afternoon).excluded).toBe(true);
});

test("a fitting session is explained with the weekday, time of day and next date", () => {
  const result = explain({ availability: [{ weekday: "TU", from: "09:00", to: "12:00" }] }, place());
  expect(result.reasons[0]).toBe("火曜午前の空き時間に開催（次回 12月1日(火)）");
  expect(result.suggestion!.nextSessions.slice(0, 2)).toEqual(["2026-12-01 10:00", "2026-12-08 10:00"]);
});

test("without time windows any session counts and the schedule is described", () => {
  const result = explain({}, place());
  expect(result.reasons[0]).toBe("毎週火曜 10:00–12:00（次回 12月1日(火)）");
});

test("exception dates and an ended rule leave no session: excluded", () => {
  const tuesdays = ["2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22"];
  const skipped = place({ schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=TU", startsOn: "2025-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: tuesdays }] });
  expect(explain({}, skipped).reasons).toEqual(["今後4週間に開催予定がない"]);
  const ended = place({ schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260101T000000Z", startsOn: "2025-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: [] }] });
  expect(explain({}, ended).reasons).toEqual(["今後4週間に開催予定がない"]);
});

test("a place with only free-text hours is kept with 「日時は要確認」", () => {
  const result = explain(
    { availability: [{ weekday: "TU", from: "09:00", to: "12:00" }] },
    place({ schedules: [], hoursNote: "月1回程度（不定期）" }),
  );
  expect(result.excluded).toBe(false);
  expect(result.suggestion!.cautions).toContain("日時は要確認（月1回程度（不定期））");
  expect(explain({}, place({ schedules: [], hoursNote: null })).suggestion!.cautions).toContain("日時は要確認");
});

test("beyond maxDistanceKm is excluded with the distance and the limit", () => {
  const far = place({ latitude: HOME.lat + 3 * KM_LAT });
  const result = explain({ location: HOME, maxDistanceKm: 2 }, far);
  expect(result.reasons).toEqual(["自宅から3.0km（上限2.0km）"]);
  expect(explain({ location: HOME, maxDistanceKm: 4 }, far).reasons).toContain("自宅から3.0km");
});

test("maxMinutes is turned into a distance with the transport's speed", () => {
  const threeKm = place({ latitude: HOME.lat + 3 * KM_LAT });
  expect(explain({ location: HOME, maxMinutes: 30, transport: ["徒歩"] }, threeKm).reasons).toEqual(["自宅から3.0km（上限：徒歩30分（約2.0km））"]);
  expect(explain({ location: HOME, maxMinutes: 30, transport: ["徒歩", "自転車"] }, threeKm).excluded).toBe(false);
});

test("a person who needs 送迎 gets places with 送迎 or very near ones", () => {
  const twoKm = { latitude: HOME.lat + 2 * KM_LAT };
  expect(explain({ location: HOME, transport: ["送迎が必要"] }, place(twoKm)).reasons).toEqual(["送迎がなく、自宅から2.0km（送迎が必要）"]);
  const withPickup = explain({ location: HOME, transport: ["送迎が必要"] }, place({ ...twoKm, conditions: ["sougei"] }));
  expect(withPickup.excluded).toBe(false);
  expect(withPickup.reasons).toContain("送迎あり");
  expect(explain({ location: HOME, transport: ["送迎が必要"] }, place({ latitude: HOME.lat + 0.5 * KM_LAT })).excluded).toBe(false);
});

test("over the cost limit is excluded; free-only excludes any fee", () => {
  expect(explain({ maxCostYen: 300 }, place({ costKind: "amount", costYen: 500 })).reasons).toEqual(["費用500円（上限300円）"]);
  expect(explain({ maxCostYen: 0 }, place({ costKind: "amount", costYen: 100 })).reasons).toEqual(["費用100円（無料の場のみ希望）"]);
  const within = explain({ maxCostYen: 300 }, place({ costKind: "amount", costYen: 200 }));
  expect(within.excluded).toBe(false);
  expect(within.suggestion!.cautions).toContain("費用 200円");
  expect(explain({ maxCostYen: 0 }, place({ costKind: "free", costYen: 0 })).reasons).toContain("参加費無料");
});

test("paused and closed places are excluded", () => {
  expect(explain({}, place({ status: "paused" })).reasons).toEqual(["休止中"]);
  expect(explain({}, place({ status: "closed" })).reasons).toEqual(["閉鎖"]);
});

test("care services and consultation bodies are never suggested as places to join", () => {
  expect(explain({ targetGroups: ["elderly"] }, place({ kind: "day_service", targetGroups: ["elderly"] })).reasons[0]).toMatch(/^介護保険サービス/);
  expect(explain({}, place({ kind: "consultation" })).reasons).toEqual(["相談窓口（参加の場ではない）"]);
});

test("with only an area, places elsewhere are excluded", () => {
  const elsewhere = place({ area: "下松市", city: "下松市" });
  expect(explain({ area: "焼津市" }, elsewhere).reasons).toEqual(["「焼津市」の外（下松市）"]);
  expect(explain({ area: "焼津市" }, place()).excluded).toBe(false);
});

test("matchNeeds lists each excluded place with its first reason; explainCandidate lists them all", () => {
  const bad = place({ status: "paused", targetGroups: ["parents"], costKind: "amount", costYen: 900 });
  const result = matchNeeds(needs({ targetGroups: ["elderly"], maxCostYen: 300 }), [bad], TODAY);
  expect(result.excluded).toEqual([{ resourceId: bad.id, name: bad.name, reasons: ["休止中"] }]);
  expect(explain({ targetGroups: ["elderly"], maxCostYen: 300 }, bad).reasons).toEqual(["休止中", "対象が子育て中の親子のみ", "費用900円（上限300円）"]);
});

// ---- Soft signals ----------------------------------------------------------------------------

function scoreOf(input: NeedsInput, candidate: Candidate): Suggestion {
  const result = explain(input, candidate);
  if (!result.suggestion) throw new Error(`excluded: ${result.reasons.join()}`);
  return result.suggestion;
}

test("interests: a place whose activities match scores higher and says so", () => {
  const cooking = scoreOf({ interests: ["料理"] }, place({ activities: ["調理実習", "会食"] }));
  const other = scoreOf({ interests: ["料理"] }, place({ activities: ["囲碁"] }));
  expect(cooking.score).toBeGreaterThan(other.score);
  expect(cooking.reasons).toContain("興味のある料理の活動がある");
  expect(other.reasons.join()).not.toContain("興味");
});

test("interests implied by the kind count for less than the place's own words", () => {
  const library = scoreOf({ interests: ["読書"] }, place({ kind: "library" }));
  const reading = scoreOf({ interests: ["読書"] }, place({ kind: "library", activities: ["朗読会"] }));
  expect(library.reasons).toContain("興味のある読書に合う（図書館）");
  expect(reading.score).toBeGreaterThan(library.score);
});

test("environment: small, quiet, first-time friendly places rank first and explain why", () => {
  const input: NeedsInput = { conditions: { smallGroup: true, quiet: true, firstTimeFriendly: true } };
  const calm = scoreOf(input, place({ conditions: ["shoninzu", "kengaku"], capacity: 8 }));
  const busy = scoreOf(input, place({ kind: "kodomo_shokudo", capacity: 40 }));
  expect(calm.score).toBeGreaterThan(busy.score);
  expect(calm.reasons).toContain("少人数・見学可で初めてでも参加しやすい");
  expect(busy.cautions).toEqual(expect.arrayContaining(["定員40人と多め", "子どもが多くにぎやかな場", "見学・体験ができるか要確認"]));
});

test("needs accompaniment: 同行可 is a reason, its absence a caution", () => {
  expect(scoreOf({ conditions: { needsAccompaniment: true } }, place({ conditions: ["doko"] })).reasons).toContain("同行可");
  expect(scoreOf({ conditions: { needsAccompaniment: true } }, place()).cautions).toContain("支援者の同行ができるか要確認");
});

test("short time and avoiding crowds read 短時間可 and capacity", () => {
  const short = scoreOf({ conditions: { shortTime: true } }, place({ conditions: ["tanjikan"] }));
  expect(short.reasons).toContain("短時間可で無理なく参加できる");
  const small = scoreOf({ conditions: { avoidCrowds: true } }, place({ capacity: 12 }));
  const crowded = scoreOf({ conditions: { avoidCrowds: true } }, place({ capacity: 60 }));
  expect(small.score).toBeGreaterThan(crowded.score);
  expect(crowded.cautions).toContain("定員60人で人が多い");
});

test("childcare needed: places without children are kept but flagged", () => {
  const plain = scoreOf({ conditions: { childcareNeeded: true } }, place());
  const parents = scoreOf({ conditions: { childcareNeeded: true } }, place({ kind: "kosodate_shien", targetGroups: ["parents"] }));
  expect(plain.cautions).toContain("子連れで参加できるか要確認");
  expect(parents.score).toBeGreaterThan(plain.score);
});

test("distance: nearer is better and is written as 「自宅から1.2km」", () => {
  const near = scoreOf({ location: HOME }, place({ latitude: HOME.lat + 1.2 * KM_LAT }));
  const far = scoreOf({ location: HOME }, place({ latitude: HOME.lat + 8 * KM_LAT }));
  expect(near.reasons).toContain("自宅から1.2km");
  expect(near.distanceKm).toBeCloseTo(1.2, 1);
  expect(near.score).toBeGreaterThan(far.score);
  expect(scoreOf({ location: HOME }, place({ latitude: HOME.lat + 0.8 * KM_LAT })).reasons).toContain("自宅から800m");
});

test("schedule regularity: weekly beats monthly", () => {
  const weekly = scoreOf({}, place());
  const monthly = scoreOf({}, place({ schedules: [{ rrule: "FREQ=MONTHLY;BYDAY=2TU", startsOn: "2025-04-01", startTime: "10:00", endTime: "12:00", exceptionDates: [] }] }));
  expect(weekly.score).toBeGreaterThan(monthly.score);
  expect(weekly.reasons).toContain("毎週開催で通いやすい");
  expect(monthly.reasons).not.toContain("毎週開催で通いやすい");
});

test("freshness: an entry not verified for over a year is penalised and flagged", () => {
  const fresh = scoreOf({}, place({ lastVerifiedOn: "2026-10-01" }));
  const stale = scoreOf({}, place({ lastVerifiedOn: "2025-06-01" }));
  expect(stale.score).toBeLessThan(fresh.score);
  expect(stale.cautions).toContain("最終確認から1年以上（2025-06-01）");
});

test("wants: a person who wants 就労体験 gets the employer before the salon", () => {
  const input: NeedsInput = { wants: ["就労体験"] };
  const employer = scoreOf(input, place({ kind: "work_experience" }));
  const salon = scoreOf(input, place({ kind: "salon" }));
  expect(employer.score).toBeGreaterThan(salon.score);
  expect(employer.reasons).toContain("希望の「就労体験」に合う（職場体験の受け入れ先）");
});

test("work-like places warn about meals and work clothes for a person short of money (移行促進費)", () => {
  const result = scoreOf({ targetGroups: ["hardship"] }, place({ kind: "work_experience" }));
  expect(result.cautions).toContain("食費・作業着などの実費がかかる場合あり（費用の支援を検討）");
});

// ---- Ladder ------------------------------------------------------------------------------------

test("ladder steps by kind, and step 1 for easy places when the person needs an easy start", () => {
  expect(stepOf(place({ kind: "salon" }))).toBe(2);
  expect(stepOf(place({ kind: "chiiki_katsudo" }))).toBe(2);
  expect(stepOf(place({ kind: "volunteer" }))).toBe(3);
  expect(stepOf(place({ kind: "work_experience" }))).toBe(4);
  expect(stepOf(place({ kind: "shuro_b" }))).toBe(4);
  expect(stepOf(place({ kind: "shuro_a" }))).toBe(5);
  const easy = place({ kind: "ibasho", conditions: ["kengaku", "tanjikan"] });
  expect(stepOf(easy)).toBe(2);
  expect(stepOf(easy, needs({ conditions: { firstTimeFriendly: true } }))).toBe(1);
  expect(stepOf(place({ kind: "ibasho", conditions: ["kengaku"] }), needs({ conditions: { firstTimeFriendly: true } }))).toBe(2);
});

test("the start step comes from the assessment, else from the lowest want", () => {
  expect(deriveStartStep(needs({ startStep: 3 }))).toBe(3);
  expect(deriveStartStep(needs({ wants: ["就労", "就労体験"] }))).toBe(4);
  expect(deriveStartStep(needs({ wants: ["役割"] }))).toBe(3);
  expect(deriveStartStep(needs({ wants: ["居場所"], conditions: { firstTimeFriendly: true } }))).toBe(1);
  expect(deriveStartStep(needs({}))).toBe(2);
  expect(matchNeeds(needs({ wants: ["就労"] }), [], TODAY).startStep).toBe(5);
});

// ---- Ranking -----------------------------------------------------------------------------------

test("diversity: at most two of one kind in the top five while other kinds fit", () => {
  const salons = Array.from({ length: 6 }, (_, i) => place({ name: `サロン${i}`, kind: "salon", conditions: ["shoninzu", "kengaku", "shizuka"] }));
  const others = [place({ name: "居場所", kind: "ibasho" }), place({ name: "公民館", kind: "kominkan" }), place({ name: "体操", kind: "kaigo_yobo" })];
  const result = matchNeeds(needs({ wants: ["交流"], conditions: { smallGroup: true, quiet: true } }), [...salons, ...others], TODAY);
  const top5 = result.suggestions.slice(0, 5);
  expect(top5.filter((s) => s.kind === "salon")).toHaveLength(2);
  expect(new Set(top5.map((s) => s.kind))).toEqual(new Set(["salon", "ibasho", "kominkan", "kaigo_yobo"]));
  expect(result.suggestions).toHaveLength(9);
  // Without other kinds, the salons fill the top.
  const onlySalons = matchNeeds(needs({ wants: ["交流"] }), salons, TODAY);
  expect(onlySalons.suggestions.slice(0, 5).every((s) => s.kind === "salon")).toBe(true);
});

test("diversity never promotes a place below the minimum fit score", () => {
  const s = (score: number, kind: string, id: number) => ({ resourceId: id, kind, score }) as Suggestion;
  const ranked = diversify([s(90, "salon", 1), s(85, "salon", 2), s(80, "salon", 3), s(20, "ibasho", 4)]);
  expect(ranked.map((x) => x.resourceId)).toEqual([1, 2, 3, 4]);
});

test("suggestions are sorted by score, limited, and unmet only when nothing fits", () => {
  const candidates = [place({ kind: "salon" }), place({ kind: "work_experience" }), place({ kind: "volunteer" })];
  const result = matchNeeds(needs({ wants: ["就労体験"] }), candidates, TODAY, { limit: 2 });
  expect(result.suggestions).toHaveLength(2);
  expect(result.suggestions[0].kind).toBe("work_experience");
  expect(result.suggestions[0].score).toBeGreaterThanOrEqual(result.suggestions[1].score);
  expect(result.unmet).toBe(false);
  expect(matchNeeds(needs({ targetGroups: ["elderly"] }), [place({ targetGroups: ["parents"] })], TODAY).unmet).toBe(true);
  expect(matchNeeds(needs({}), [], TODAY)).toMatchObject({ suggestions: [], excluded: [], unmet: true });
});

test("the result is the same when called again (no clock, no hidden state)", () => {
  const candidates = [place({ kind: "salon" }), place({ kind: "ibasho", conditions: ["kengaku"] })];
  const input = needs({ availability: [{ weekday: "TU", from: "09:00", to: "12:00" }], conditions: { firstTimeFriendly: true } });
  expect(matchNeeds(input, candidates, TODAY)).toEqual(matchNeeds(input, candidates, TODAY));
});

test("the ranked suggestions say exactly what explainCandidate says for each place", () => {
  const input = needs({
    location: HOME,
    interests: ["料理", "体操・運動"],
    wants: ["居場所", "交流"],
    availability: [{ weekday: "TU", from: "09:00", to: "12:00" }],
    conditions: { smallGroup: true, quiet: true, firstTimeFriendly: true, needsAccompaniment: true },
    maxCostYen: 300,
  });
  const candidates = [
    place({ kind: "salon", activities: ["体操"], conditions: ["kengaku", "shoninzu"], capacity: 8 }),
    place({ kind: "kodomo_shokudo", capacity: 40, costKind: "amount", costYen: 100, latitude: HOME.lat + 2 * KM_LAT }),
    place({ kind: "ibasho", conditions: ["doko", "shizuka"], activities: ["料理"], lastVerifiedOn: "2024-01-01" }),
    place({ kind: "chiiki_katsudo", targetGroups: ["disability"], conditions: ["techo_fuyo"] }),
  ];
  const result = matchNeeds(input, candidates, TODAY);
  expect(result.suggestions.length).toBeGreaterThanOrEqual(3);
  for (const suggestion of result.suggestions) {
    const candidate = candidates.find((c) => c.id === suggestion.resourceId)!;
    expect(explainCandidate(input, candidate, TODAY).suggestion).toEqual(suggestion);
  }
});

test("a list scored again after a place was replaced uses the new place", () => {
  const candidates = [place({ kind: "salon" }), place({ kind: "volunteer" })];
  const input = needs({ wants: ["交流"] });
  expect(matchNeeds(input, candidates, TODAY).suggestions.map((s) => s.kind)).toContain("salon");
  candidates[0] = place({ kind: "salon", status: "closed" });
  const again = matchNeeds(input, candidates, TODAY);
  expect(again.suggestions.map((s) => s.kind)).toEqual(["volunteer"]);
  expect(again.excluded[0].reasons).toEqual(["閉鎖"]);
});

test("sessions are computed for the day asked, also when the same places are scored again", () => {
  const candidates = [place()];
  const input = needs({});
  expect(matchNeeds(input, candidates, "2026-11-30").suggestions[0].nextSessions[0]).toBe("2026-12-01 10:00");
  expect(matchNeeds(input, candidates, "2026-12-02").suggestions[0].nextSessions[0]).toBe("2026-12-08 10:00");
});
