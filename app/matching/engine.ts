// The matching engine (参加支援): needs + candidate resources + today → ranked, explained, staged
// suggestions and the reasons each other place was excluded. Pure: no I/O and no clock (`today` is
// given), so it is unit-tested and benchmarked alone. The tables it applies (weights, ladder steps,
// certificate rules, keywords) are in tables.ts; the README quotes them.
//
// Speed (issue 6: ≤ 20 ms p95 for 10k places): the hard constraints run cheapest first on features
// worked out once per place (bit masks for target groups and conditions, the cost as a number, the
// cosine of the latitude) and per distinct schedule (weekday mask, sessions of the day, remembered
// across calls by the schedule's text); passing places get a number only (no text, no object);
// the best `limit` are picked without sorting the rest; only those are explained, and the excluded
// places get their reason text when a caller first reads `excluded`.
import { kindLabel, targetGroupLabel } from "../../db/vocabulary";
import type { ScheduleSummary } from "../../search/types";
import { describeSchedules, formatDateJa, formatTime, parseIsoDate, shortenText } from "../utils/schedule";
import type { Needs } from "./needs";
import { minutesOf, possibleWeekdays, sessionsWithin, type Session } from "./sessions";
import {
  CERTIFICATE_RULES,
  CHILD_FRIENDLY_KINDS,
  DEFAULT_LIMIT_BY_TRANSPORT_KM,
  DEFAULT_RADIUS_KM,
  DIVERSITY,
  ENVIRONMENT_CONFLICT_FACTOR,
  EXCLUDED_KINDS,
  HORIZON_DAYS,
  INTEREST_KEYWORDS,
  KIND_INTERESTS,
  KIND_STEPS,
  MIN_FIT_SCORE,
  MIN_OVERLAP_MINUTES,
  NOISY_KINDS,
  PICKUP_SHORT_KM,
  SCORE_PENALTIES,
  SCORE_WEIGHTS,
  TECHO_FUYO_OPENS_TO,
  WANT_KEYWORDS,
  WANT_KIND_FIT,
  WANT_MISMATCH_FACTOR,
  WANT_STEPS,
  WORK_COST_KINDS,
} from "./tables";
import type { Candidate, Exclusion, MatchOptions, MatchResult, Suggestion } from "./types";
import { INTEREST_CODES, TRANSPORTS, WANT_CODES, interestLabel, wantLabel, type Interest, type LadderStep, type Want } from "./vocabulary";

export { MIN_FIT_SCORE } from "./tables";

const DAY_MS = 86_400_000;
const DEFAULT_SUGGESTION_LIMIT = 30;
const WEEKDAY_CHARS = ["月", "火", "水", "木", "金", "土", "日"] as const;
const WEEKDAY_INDEX: Record<string, number> = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 };
const RAD = Math.PI / 180;
/** The Earth's diameter in km (haversine: d = EARTH_DIAMETER_KM × asin(√h)). */
const EARTH_DIAMETER_KM = 12_742;
/** Caches that live across calls (keyed by text) are emptied when they reach this size. */
const CACHE_LIMIT = 20_000;

// ---- The ladder ------------------------------------------------------------------------------

/** A person who needs an easy first step (見学・体験可, 短時間, or an assessment that says step 1). */
function wantsEasyStart(needs: Needs): boolean {
  return Boolean(needs.conditions.firstTimeFriendly || needs.conditions.shortTime || needs.startStep === 1);
}

/** The step the suggestions page starts from: the assessment's, else the lowest step of the wants. */
export function deriveStartStep(needs: Needs): LadderStep {
  if (needs.startStep) return needs.startStep;
  let step: LadderStep = needs.wants.length > 0 ? (Math.min(...needs.wants.map((w) => WANT_STEPS[w])) as LadderStep) : 2;
  if (step <= 2 && (needs.conditions.firstTimeFriendly || needs.conditions.shortTime)) step = 1;
  return step;
}

/**
 * The ladder step of a place (tables.ts KIND_STEPS). Given the person's needs, a step-2 place with
 * both 見学可 and 短時間可 is step 1 for someone who needs an easy first step.
 */
export function stepOf(candidate: Candidate, needs?: Needs): LadderStep {
  const base = KIND_STEPS[candidate.kind] ?? 2;
  if (
    base === 2 &&
    needs &&
    wantsEasyStart(needs) &&
    candidate.conditions.includes("kengaku") &&
    candidate.conditions.includes("tanjikan")
  ) {
    return 1;
  }
  return base;
}

// ---- Per-schedule facts (remembered across calls by the schedule's text) -------------------------

/**
 * What the engine needs of one schedule. Many places share a schedule text (毎週火曜 10:00–12:00),
 * and a page builds fresh place objects on every request, so these are remembered by text.
 */
interface ScheduleFacts {
  /** The weekdays it can fall on (bit 0 = Monday; 0x7f any). */
  mask: number;
  /** 0–1 (tables.ts SCORE_WEIGHTS.regularity) and whether it is weekly. */
  regularity: number;
  weekly: boolean;
  /** Minutes since midnight (null: unknown). */
  start: number | null;
  end: number | null;
  /** The sessions in the horizon from `today` (the last day asked); shared, never changed. */
  today: string | null;
  sessions: readonly Session[];
  /** Whether one of `sessions` falls in the windows of the matching call `fitCall` (its id). */
  fitCall: number;
  fit: boolean;
}

/**
 * Facts by rrule, startsOn, startTime, endTime and exception dates, nested (no key string is built
 * per place: a page asks this for every schedule of thousands of fresh place objects).
 */
type FactsTree = Map<string, Map<string, Map<string, Map<string, Map<string, ScheduleFacts>>>>>;
let scheduleFacts: FactsTree = new Map();
let scheduleFactsCount = 0;

function child<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function ruleRegularity(rrule: string): { value: number; weekly: boolean } {
  const rule = rrule.toUpperCase();
  const interval = Number(/INTERVAL=(\d+)/.exec(rule)?.[1] ?? 1);
  if (/FREQ=(DAILY|WEEKLY)/.test(rule) && interval === 1) return { value: 1, weekly: true };
  if (/FREQ=WEEKLY/.test(rule)) return { value: 0.8, weekly: false };
  if (/FREQ=MONTHLY/.test(rule)) {
    const perMonth = (/BYDAY=([^;]*)/.exec(rule)?.[1] ?? /BYMONTHDAY=([^;]*)/.exec(rule)?.[1] ?? "").split(",").filter(Boolean).length;
    return { value: perMonth >= 2 && interval === 1 ? 0.8 : 0.6, weekly: false };
  }
  return { value: 0.3, weekly: false };
}

function factsOf(schedule: ScheduleSummary): ScheduleFacts {
  const byTimes = child(child(scheduleFacts, schedule.rrule, () => new Map()), schedule.startsOn, () => new Map());
  const byExceptions = child(child(byTimes, schedule.startTime ?? "", () => new Map()), schedule.endTime ?? "", () => new Map());
  const exceptions = schedule.exceptionDates.length > 0 ? schedule.exceptionDates.join(",") : "";
  let facts = byExceptions.get(exceptions);
  if (facts === undefined) {
    const { value, weekly } = ruleRegularity(schedule.rrule);
    facts = {
      mask: possibleWeekdays(schedule),
      regularity: value,
      weekly,
      start: minutesOf(schedule.startTime),
      end: minutesOf(schedule.endTime),
      today: null,
      sessions: NO_SESSIONS,
      fitCall: 0,
      fit: false,
    };
    if (scheduleFactsCount >= CACHE_LIMIT) {
      scheduleFacts = new Map();
      scheduleFactsCount = 0;
    }
    scheduleFactsCount++;
    byExceptions.set(exceptions, facts);
  }
  return facts;
}

/** The sessions of a schedule in the horizon from `today` (shared by every place with that schedule). */
function sessionsOf(facts: ScheduleFacts, schedule: ScheduleSummary, today: string): readonly Session[] {
  if (facts.today !== today) {
    facts.sessions = Object.freeze(sessionsWithin(schedule, today, HORIZON_DAYS));
    facts.today = today;
    facts.fitCall = 0;
  }
  return facts.sessions;
}

// ---- Per-candidate features (independent of the person; remembered per candidate list) ---------

/** Participation conditions as bits (db/vocabulary.ts CONDITIONS codes the engine reads). */
const CONDITION_BITS = new Map<string, number>([
  ["kengaku", 1],
  ["taiken", 2],
  ["doko", 4],
  ["techo_fuyo", 8],
  ["tanjikan", 16],
  ["shoninzu", 32],
  ["shizuka", 64],
  ["sougei", 128],
  ["barrier_free", 256],
]);
const KENGAKU = 1;
const TAIKEN = 2;
const DOKO = 4;
const TECHO_FUYO = 8;
const TANJIKAN = 16;
const SHONINZU = 32;
const SHIZUKA = 64;
const SOUGEI = 128;
const BARRIER_FREE = 256;

/**
 * Target group codes get a bit each, in the order first seen (the vocabulary has six); past 30
 * codes a place or person gets `-1` and the groups are compared as lists.
 */
const groupBits = new Map<string, number>();

function groupMaskOf(groups: readonly string[]): number {
  let mask = 0;
  for (const group of groups) {
    let bit = groupBits.get(group);
    if (bit === undefined) {
      if (groupBits.size >= 30) return -1;
      bit = 1 << groupBits.size;
      groupBits.set(group, bit);
    }
    mask |= bit;
  }
  return mask;
}

/** What the hard constraints and the score read of a place: cheap, computed once per place. */
interface Features {
  /** Not active, or a kind that is never a participation place: excluded for anyone. */
  closedToAll: boolean;
  /** Candidate target groups allow any person (empty or 誰でも). */
  openToAll: boolean;
  /** 手帳不要 on a place for 障がいのある人: also open to TECHO_FUYO_OPENS_TO. */
  opensWithoutCertificate: boolean;
  groupMask: number;
  /** CONDITION_BITS of the place's conditions. */
  conditions: number;
  certificateRule: { needs: string; whenLacking: "exclude" | "caution" } | undefined;
  /** The cost in yen when the place states an amount, else NaN (never over a limit). */
  costAmount: number;
  hasLocation: boolean;
  /** cos(latitude) (haversine), when hasLocation. */
  cosLat: number;
  baseStep: LadderStep;
  /** 「対象が…のみ」, built the first time a person is excluded by it. */
  targetReason: readonly string[] | null;
  /** Area and city, NFKC-normalised and trimmed (built on first use). */
  areaTexts: (string | null)[] | null;
  /** Facts per schedule (built when a person's check first gets as far as the schedules). */
  schedules: ScheduleFacts[] | null;
  /** The rest, computed when the place is first scored (most places are excluded earlier). */
  detail: Detail | null;
}

interface Detail {
  /** 0–1 (tables.ts SCORE_WEIGHTS.regularity). */
  regularity: number;
  weekly: boolean;
  verifiedMs: number | null;
  /** Longest session in minutes (null: no times known). */
  longestSession: number | null;
  /** Name, services, activities and description, NFKC-normalised, for keyword matching (built on first use). */
  text: string | null;
  /** Per INTEREST_CODES index: 1, 0.7 or 0; -1 not yet known. */
  interestHits: number[] | null;
  /** Per WANT_CODES index: 1 hit, 0 none; -1 not yet known. */
  wantKeywordHits: number[] | null;
}

/**
 * Features are remembered per candidates array (one entry per list, aligned by index), so scoring
 * the same list for another person skips this work; and, for callers that say they hand the same
 * place objects again in new lists (retrieval reuses a place's object across requests while its
 * index document and database row are unchanged: MatchOptions.reusesPlaces), per place object.
 * Only then: remembering thousands of fresh objects per call costs the garbage collector more
 * than it saves.
 */
const featureLists = new WeakMap<readonly Candidate[], { candidates: Candidate[]; features: Features[] }>();
const featuresByPlace = new WeakMap<Candidate, Features>();

function featureListOf(candidates: readonly Candidate[], byPlace: boolean): Features[] {
  const cached = featureLists.get(candidates);
  if (!cached) {
    const features = byPlace ? candidates.map(placeFeatures) : candidates.map((candidate) => featuresOf(candidate));
    featureLists.set(candidates, { candidates: candidates.slice(), features });
    return features;
  }
  const { candidates: seen, features } = cached;
  for (let i = 0; i < candidates.length; i++) {
    if (seen[i] !== candidates[i]) {
      seen[i] = candidates[i];
      features[i] = byPlace ? placeFeatures(candidates[i]) : featuresOf(candidates[i]);
    }
  }
  seen.length = features.length = candidates.length;
  return features;
}

function placeFeatures(candidate: Candidate): Features {
  let features = featuresByPlace.get(candidate);
  if (features === undefined) {
    features = featuresOf(candidate);
    featuresByPlace.set(candidate, features);
  }
  return features;
}

function featuresOf(candidate: Candidate): Features {
  let conditions = 0;
  for (const code of candidate.conditions) conditions |= CONDITION_BITS.get(code) ?? 0;
  const groups = candidate.targetGroups;
  const hasLocation =
    Number.isFinite(candidate.latitude) && Number.isFinite(candidate.longitude) && candidate.latitude !== null && candidate.longitude !== null;
  return {
    closedToAll: candidate.status !== "active" || EXCLUDED_KINDS[candidate.kind] !== undefined,
    openToAll: groups.length === 0 || groups.includes("anyone"),
    opensWithoutCertificate: (conditions & TECHO_FUYO) !== 0 && groups.includes("disability"),
    groupMask: groupMaskOf(groups),
    conditions,
    certificateRule: CERTIFICATE_RULES[candidate.kind],
    costAmount: candidate.costKind === "amount" && candidate.costYen !== null ? candidate.costYen : Number.NaN,
    hasLocation,
    cosLat: hasLocation ? Math.cos(candidate.latitude! * RAD) : 1,
    baseStep: KIND_STEPS[candidate.kind] ?? 2,
    targetReason: null,
    areaTexts: null,
    schedules: null,
    detail: null,
  };
}

function schedulesOf(candidate: Candidate, f: Features): ScheduleFacts[] {
  f.schedules ??= candidate.schedules.map(factsOf);
  return f.schedules;
}

const verifiedDays = new Map<string, number | null>();

function verifiedMsOf(lastVerifiedOn: string | null): number | null {
  if (!lastVerifiedOn) return null;
  const day = lastVerifiedOn.slice(0, 10);
  let ms = verifiedDays.get(day);
  if (ms === undefined) {
    ms = parseIsoDate(day)?.getTime() ?? null;
    if (verifiedDays.size >= CACHE_LIMIT) verifiedDays.clear();
    verifiedDays.set(day, ms);
  }
  return ms;
}

function detailOf(candidate: Candidate, f: Features): Detail {
  if (f.detail !== null) return f.detail;
  let regularity = candidate.hoursNote ? 0.4 : 0.3;
  let weekly = false;
  let longestSession: number | null = null;
  if (candidate.schedules.length > 0) {
    regularity = 0;
    for (const facts of schedulesOf(candidate, f)) {
      regularity = Math.max(regularity, facts.regularity);
      if (facts.weekly) weekly = true;
      if (facts.start !== null && facts.end !== null && facts.end > facts.start) longestSession = Math.max(longestSession ?? 0, facts.end - facts.start);
    }
  }
  f.detail = {
    regularity,
    weekly,
    verifiedMs: verifiedMsOf(candidate.lastVerifiedOn),
    longestSession,
    text: null,
    interestHits: null,
    wantKeywordHits: null,
  };
  return f.detail;
}

function minutes(time: string | null | undefined): number | null {
  const formatted = formatTime(time);
  if (!formatted) return null;
  const [h, m] = formatted.split(":").map(Number);
  return h * 60 + m;
}

function textOf(candidate: Candidate, detail: Detail): string {
  detail.text ??= [candidate.name, ...candidate.services, ...candidate.activities, candidate.description ?? ""].join(" ").normalize("NFKC");
  return detail.text;
}

const INTEREST_INDEX = new Map<string, number>(INTEREST_CODES.map((code, i) => [code, i]));
const WANT_INDEX = new Map<string, number>(WANT_CODES.map((code, i) => [code, i]));

/** 1 when the place's own words show the interest, 0.7 when its kind implies it, else 0. */
function interestHit(candidate: Candidate, detail: Detail, interest: Interest): number {
  const index = INTEREST_INDEX.get(interest);
  const hits = (detail.interestHits ??= new Array<number>(INTEREST_CODES.length).fill(-1));
  if (index !== undefined && hits[index] !== -1) return hits[index];
  const text = textOf(candidate, detail);
  const hit = INTEREST_KEYWORDS[interest].some((word) => text.includes(word))
    ? 1
    : (KIND_INTERESTS[candidate.kind] ?? []).includes(interest)
      ? 0.7
      : 0;
  if (index !== undefined) hits[index] = hit;
  return hit;
}

function wantKeywordHit(candidate: Candidate, detail: Detail, want: Want): boolean {
  const keywords = WANT_KEYWORDS[want];
  if (keywords === undefined) return false;
  const index = WANT_INDEX.get(want);
  const hits = (detail.wantKeywordHits ??= new Array<number>(WANT_CODES.length).fill(-1));
  if (index !== undefined && hits[index] !== -1) return hits[index] === 1;
  const text = textOf(candidate, detail);
  const hit = keywords.some((word) => text.includes(word));
  if (index !== undefined) hits[index] = hit ? 1 : 0;
  return hit;
}

// ---- The person's side, prepared once per call ---------------------------------------------------

interface Window {
  from: number;
  to: number;
}

interface PreparedNeeds {
  needs: Needs;
  /** Distinguishes this call in the per-schedule memo (ScheduleFacts.fitCall). */
  callId: number;
  today: string;
  todayMs: number;
  currentYear: number;
  startStep: LadderStep;
  easyStart: boolean;
  /** Windows per weekday (0 = Monday), or null when the person gave none (any time). */
  windows: Window[][] | null;
  availabilityMask: number;
  /** 「火 9:00–12:00・木 13:00–16:00」 for exclusion reasons. */
  windowsText: string;
  limitKm: number | null;
  limitLabel: string;
  /** cos(latitude) of the person's location (haversine). */
  cosLat: number;
  /** A haversine `h` above this is certainly beyond the travel limit (Infinity: no shortcut). */
  hBeyondLimit: number;
  pickupOnly: boolean;
  lacksCertificate: boolean;
  hasCertificate: boolean;
  certificateUnknown: boolean;
  personGroups: Set<string>;
  /** The person's groups as bits (groupMaskOf), -1 when they have no bits. */
  groupMask: number;
  /** The person is in a group that 手帳不要 opens a place for 障がいのある人 to. */
  opensWithoutCertificate: boolean;
  area: string | null;
}

let lastCallId = 0;

/**
 * The travel limit: maxDistanceKm; else maxMinutes at the fastest given transport's speed (徒歩 when
 * none); else a default per transport (tables.ts); else 15 km around a known location; else none.
 */
export function travelLimit(needs: Needs): { km: number | null; label: string } {
  const transports = needs.transport ?? [];
  if (needs.maxDistanceKm !== undefined) return { km: needs.maxDistanceKm, label: `上限${formatKm(needs.maxDistanceKm)}` };
  if (needs.maxMinutes !== undefined) {
    const usable = TRANSPORTS.filter((t) => transports.includes(t.code));
    const fastest = (usable.length > 0 ? usable : TRANSPORTS.filter((t) => t.code === "walk")).reduce((a, b) => (b.kmPerHour > a.kmPerHour ? b : a));
    const km = (needs.maxMinutes / 60) * fastest.kmPerHour;
    return { km, label: `上限：${fastest.label}${needs.maxMinutes}分（約${formatKm(km)}）` };
  }
  if (transports.length > 0) {
    const km = Math.max(...transports.map((t) => DEFAULT_LIMIT_BY_TRANSPORT_KM[t]));
    return { km, label: `上限${formatKm(km)}` };
  }
  if (needs.location) return { km: DEFAULT_RADIUS_KM, label: `上限${formatKm(DEFAULT_RADIUS_KM)}` };
  return { km: null, label: "" };
}

function prepare(needs: Needs, today: string): PreparedNeeds {
  const todayDate = parseIsoDate(today);
  if (!todayDate) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  let windows: Window[][] | null = null;
  let availabilityMask = 0x7f;
  if (needs.availability.length > 0) {
    windows = [[], [], [], [], [], [], []];
    availabilityMask = 0;
    for (const slot of needs.availability) {
      const day = WEEKDAY_INDEX[slot.weekday];
      windows[day].push({ from: minutes(slot.from) ?? 0, to: slot.to === "24:00" ? 1440 : (minutes(slot.to) ?? 1440) });
      availabilityMask |= 1 << day;
    }
  }
  const transports = needs.transport ?? [];
  const pickupOnly = transports.length > 0 && transports.every((t) => t === "pickup");
  const { km: limitKm, label: limitLabel } = travelLimit(needs);
  const certificate = needs.certificate;
  const lacksCertificate = Boolean(needs.conditions.noCertificate) || certificate === "none";
  const hasCertificate = certificate === "physical" || certificate === "intellectual" || certificate === "mental";
  const personGroups = new Set<string>(needs.targetGroups);
  // h = sin²(d / diameter) is increasing in d up to half the globe; the margin dwarfs rounding.
  const hBeyondLimit = limitKm !== null && limitKm >= 0 && limitKm < 10_000 ? Math.sin(limitKm / EARTH_DIAMETER_KM) ** 2 * (1 + 1e-9) : Infinity;
  return {
    needs,
    callId: ++lastCallId,
    today,
    todayMs: todayDate.getTime(),
    currentYear: todayDate.getUTCFullYear(),
    startStep: deriveStartStep(needs),
    easyStart: wantsEasyStart(needs),
    windows,
    availabilityMask,
    windowsText: windows ? windowsSummary(needs) : "",
    limitKm,
    limitLabel,
    cosLat: needs.location ? Math.cos(needs.location.lat * RAD) : 1,
    hBeyondLimit,
    pickupOnly,
    lacksCertificate,
    hasCertificate,
    certificateUnknown: !lacksCertificate && !hasCertificate,
    personGroups,
    groupMask: groupMaskOf([...personGroups]),
    opensWithoutCertificate: sharesGroup(TECHO_FUYO_OPENS_TO, personGroups),
    area: needs.location ? null : (needs.area?.normalize("NFKC").trim() ?? null),
  };
}

// ---- Small formatters --------------------------------------------------------------------------

/** 「800m」 below 1 km (to 100 m), 「1.2km」 below 10 km, 「12km」 beyond. */
export function formatKm(km: number): string {
  if (km < 0.95) return `${Math.max(100, Math.round(km * 10) * 100)}m`;
  if (km < 9.95) return `${(Math.round(km * 10) / 10).toFixed(1)}km`;
  return `${Math.round(km)}km`;
}

/** 「1,500円」 (toLocaleString is slow enough to show when thousands of places are excluded by cost). */
function formatYen(yen: number): string {
  return `${String(yen).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}円`;
}

function bandOf(start: number | null): string {
  if (start === null) return "";
  if (start < 12 * 60) return "午前";
  if (start < 17 * 60) return "午後";
  return "夜";
}

function windowsSummary(needs: Needs): string {
  const parts = needs.availability.slice(0, 3).map((w) => `${WEEKDAY_CHARS[WEEKDAY_INDEX[w.weekday]]} ${formatTime(w.from)}–${formatTime(w.to)}`);
  return needs.availability.length > 3 ? `${parts.join("・")} など` : parts.join("・");
}

const normalizedTexts = new Map<string, string>();

/** NFKC and trimmed; remembered (a directory repeats a few area and city names). */
function normalizedText(value: string): string {
  let text = normalizedTexts.get(value);
  if (text === undefined) {
    text = value.normalize("NFKC").trim();
    if (normalizedTexts.size >= CACHE_LIMIT) normalizedTexts.clear();
    normalizedTexts.set(value, text);
  }
  return text;
}

function areaMatches(area: string, candidate: Candidate, f: Features): boolean {
  f.areaTexts ??= [candidate.area ? normalizedText(candidate.area) : null, candidate.city ? normalizedText(candidate.city) : null];
  for (const text of f.areaTexts) {
    if (text === null) continue;
    if (text === area) return true;
    if (area.length >= 2 && text.length >= 2 && (text.includes(area) || area.includes(text))) return true;
  }
  return false;
}

// ---- Hard constraints --------------------------------------------------------------------------

/** A session fits a window on its weekday when they overlap ≥ 1 h (or the whole session, if shorter). */
function sessionFits(session: Session, windows: Window[][] | null): boolean {
  if (!windows) return true;
  const dayWindows = windows[session.weekday];
  if (dayWindows.length === 0) return false;
  const start = session.start;
  if (start === null) return true;
  const end = session.end !== null && session.end > start ? session.end : start + MIN_OVERLAP_MINUTES;
  const needed = Math.min(end - start, MIN_OVERLAP_MINUTES);
  for (const w of dayWindows) if (Math.min(end, w.to) - Math.max(start, w.from) >= needed) return true;
  return false;
}

function anySessionFits(sessions: readonly Session[], windows: Window[][]): boolean {
  for (const session of sessions) if (sessionFits(session, windows)) return true;
  return false;
}

interface HardOutcome {
  reasons: string[];
  distanceKm: number | null;
  /** Sessions inside the person's windows (all sessions when no windows), date order; null = no schedules. */
  sessions: readonly Session[] | null;
}

const NO_REASONS: string[] = [];
const NO_SESSIONS: readonly Session[] = Object.freeze([]);
/** The reasons of a place excluded by a quiet check (matching needs only whether it passed). */
const QUIETLY_EXCLUDED = Object.freeze(["除外"]) as unknown as string[];

function sessionOrder(a: Session, b: Session): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : (a.start ?? -1) - (b.start ?? -1);
}

/** Records a reason; true when checking should stop (matching needs only the first reason). */
function addReason(outcome: HardOutcome, all: boolean, reason: string): boolean {
  if (outcome.reasons === NO_REASONS) outcome.reasons = [];
  outcome.reasons.push(reason);
  return !all;
}

/**
 * Records a reason that depends on the place alone, from a frozen one-element list remembered for
 * it: matching thousands of places then shares the list instead of building text per person.
 */
function addPlaceReason(outcome: HardOutcome, all: boolean, reason: readonly string[]): boolean {
  if (!all && outcome.reasons === NO_REASONS) {
    outcome.reasons = reason as string[];
    return true;
  }
  return addReason(outcome, all, reason[0]);
}

function excludeQuietly(outcome: HardOutcome): HardOutcome {
  outcome.reasons = QUIETLY_EXCLUDED;
  return outcome;
}

const statusReasons = new Map<string, readonly string[]>();
const kindReasons = new Map<string, readonly string[]>();

function remembered(cache: Map<string, readonly string[]>, key: string, text: () => string): readonly string[] {
  let reason = cache.get(key);
  if (reason === undefined) {
    reason = Object.freeze([text()]);
    cache.set(key, reason);
  }
  return reason;
}

function sharesGroup(groups: readonly string[], person: Set<string>): boolean {
  for (const group of groups) if (person.has(group)) return true;
  return false;
}

function sharesPersonGroup(p: PreparedNeeds, candidate: Candidate, f: Features): boolean {
  if (f.groupMask >= 0 && p.groupMask >= 0) return (f.groupMask & p.groupMask) !== 0;
  return sharesGroup(candidate.targetGroups, p.personGroups);
}

/**
 * Checks the hard constraints in order of cost, into `outcome` (matching reuses one object for
 * every place). With `all` false it stops at the first failure (matchNeeds over thousands of
 * places; written without closures, it runs for every place); with `all` true it lists every
 * reason (「なぜ除外？」). With `quiet` it builds no text: a failure leaves QUIETLY_EXCLUDED (matching
 * builds the texts of excluded places only when they are read). With `collect` false it only asks
 * whether a session fits (remembered per schedule for the call) and leaves `sessions` empty; with
 * `collect` it lists them for the explanation.
 */
function checkHard(
  p: PreparedNeeds,
  candidate: Candidate,
  f: Features,
  all: boolean,
  collect: boolean,
  quiet: boolean,
  outcome: HardOutcome,
): HardOutcome {
  outcome.reasons = NO_REASONS;
  outcome.distanceKm = null;
  outcome.sessions = null;

  if (f.closedToAll) {
    if (quiet) return excludeQuietly(outcome);
    const status = candidate.status;
    if (status !== "active") {
      const reason = remembered(statusReasons, status, () => (status === "paused" ? "休止中" : status === "closed" ? "閉鎖" : `活動状況が「${status}」`));
      if (addPlaceReason(outcome, all, reason)) return outcome;
    }
    const kindRule = EXCLUDED_KINDS[candidate.kind];
    if (kindRule !== undefined && addPlaceReason(outcome, all, remembered(kindReasons, candidate.kind, () => kindRule))) return outcome;
  }

  if (!f.openToAll && p.personGroups.size > 0 && !sharesPersonGroup(p, candidate, f) && !(f.opensWithoutCertificate && p.opensWithoutCertificate)) {
    if (quiet) return excludeQuietly(outcome);
    f.targetReason ??= Object.freeze([`対象が${candidate.targetGroups.map(targetGroupLabel).join("・")}のみ`]);
    if (addPlaceReason(outcome, all, f.targetReason)) return outcome;
  }

  const certificateRule = f.certificateRule;
  if (certificateRule !== undefined && certificateRule.whenLacking === "exclude" && p.lacksCertificate && (f.conditions & TECHO_FUYO) === 0) {
    if (quiet) return excludeQuietly(outcome);
    const reason = remembered(kindReasons, `certificate:${candidate.kind}`, () => `${kindLabel(candidate.kind)}の利用には${certificateRule.needs}が必要（手帳不要の受け入れなし）`);
    if (addPlaceReason(outcome, all, reason)) return outcome;
  }

  const maxCost = p.needs.maxCostYen;
  if (maxCost !== undefined && f.costAmount > maxCost) {
    if (quiet) return excludeQuietly(outcome);
    const cost = f.costAmount;
    const reason = maxCost === 0 ? `費用${formatYen(cost)}（無料の場のみ希望）` : `費用${formatYen(cost)}（上限${formatYen(maxCost)}）`;
    if (addReason(outcome, all, reason)) return outcome;
  }

  const location = p.needs.location;
  const sougei = (f.conditions & SOUGEI) !== 0;
  if (location && f.hasLocation) {
    // Haversine, written out so that a place far beyond the limit costs no asin (and no text).
    const dLat = (candidate.latitude! - location.lat) * RAD;
    const dLon = (candidate.longitude! - location.lon) * RAD;
    const h = Math.sin(dLat / 2) ** 2 + p.cosLat * f.cosLat * Math.sin(dLon / 2) ** 2;
    if (quiet && h > p.hBeyondLimit) return excludeQuietly(outcome);
    const d = EARTH_DIAMETER_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    outcome.distanceKm = d;
    if (p.limitKm !== null && d > p.limitKm) {
      if (quiet) return excludeQuietly(outcome);
      if (addReason(outcome, all, `自宅から${formatKm(d)}（${p.limitLabel}）`)) return outcome;
    } else if (p.pickupOnly && d > PICKUP_SHORT_KM && !sougei) {
      if (quiet) return excludeQuietly(outcome);
      if (addReason(outcome, all, `送迎がなく、自宅から${formatKm(d)}（送迎が必要）`)) return outcome;
    }
  } else if (p.area && !areaMatches(p.area, candidate, f)) {
    if (quiet) return excludeQuietly(outcome);
    if (addReason(outcome, all, `「${p.area}」の外（${candidate.city ?? candidate.area ?? "所在地不明"}）`)) return outcome;
  } else if (!location && p.pickupOnly && !sougei) {
    if (quiet) return excludeQuietly(outcome);
    if (addReason(outcome, all, "送迎がない（送迎が必要）")) return outcome;
  }

  const scheduleCount = candidate.schedules.length;
  if (scheduleCount > 0) {
    const facts = schedulesOf(candidate, f);
    const windows = p.windows;
    let matched: readonly Session[] | null = null;
    let fits = false;
    let anySession = false;
    for (let i = 0; i < scheduleCount && (collect || !fits); i++) {
      const schedule = facts[i];
      if (windows !== null && (schedule.mask & p.availabilityMask) === 0) {
        if (schedule.mask !== 0) anySession = true; // it has sessions, never on the person's days
        continue;
      }
      const sessions = sessionsOf(schedule, candidate.schedules[i], p.today);
      if (sessions.length === 0) continue;
      anySession = true;
      if (windows === null) {
        fits = true;
        if (collect) matched = matched === null ? sessions : [...matched, ...sessions];
        continue;
      }
      if (!collect) {
        // Places sharing a schedule share the answer for this person.
        if (schedule.fitCall !== p.callId) {
          schedule.fit = anySessionFits(sessions, windows);
          schedule.fitCall = p.callId;
        }
        if (schedule.fit) fits = true;
        continue;
      }
      for (const session of sessions) {
        if (!sessionFits(session, windows)) continue;
        fits = true;
        ((matched ??= []) as Session[]).push(session);
      }
    }
    if (matched !== null && scheduleCount > 1) matched = [...matched].sort(sessionOrder);
    outcome.sessions = matched ?? NO_SESSIONS;
    if (!fits) {
      if (quiet) return excludeQuietly(outcome);
      addReason(
        outcome,
        all,
        anySession && windows !== null ? `空き時間（${p.windowsText}）に開催がない（今後${HORIZON_DAYS / 7}週間）` : `今後${HORIZON_DAYS / 7}週間に開催予定がない`,
      );
    }
  }
  return outcome;
}

// ---- Soft scores and explanations ------------------------------------------------------------------

/**
 * The environment fit of a place for what the person asked (少人数, 静か …): the mean of one value
 * per asked condition (1 met, lower when unknown, 0–0.1 when the place contradicts it), the number
 * of contradictions, and, when explaining, the labels and cautions. One instance is reused for the
 * numeric pass over every place (no allocation per place).
 */
class EnvironmentFit {
  sum = 0;
  count = 0;
  conflicts = 0;
  firstTime = false;
  calm = false;
  short = false;
  labels: string[] = [];
  cautions: string[] = [];

  constructor(readonly explain: boolean) {}

  reset(): this {
    this.sum = this.count = this.conflicts = 0;
    this.firstTime = this.calm = this.short = false;
    if (this.explain) this.labels = this.cautions = [];
    return this;
  }

  add(value: number, label: string | null = null, caution: string | null = null, conflict = false): number {
    this.sum += value;
    this.count++;
    if (conflict) this.conflicts++;
    if (this.explain) {
      if (label !== null && !this.labels.includes(label)) this.labels = [...this.labels, label];
      if (caution !== null) this.cautions = [...this.cautions, caution];
    }
    return value;
  }
}

const numericEnvironment = new EnvironmentFit(false);

function environmentFit(p: PreparedNeeds, candidate: Candidate, f: Features, detail: Detail, fit: EnvironmentFit): EnvironmentFit {
  const c = p.needs.conditions;
  const conditions = f.conditions;
  const capacity = candidate.capacity;
  fit.reset();
  if (c.smallGroup) {
    const value =
      (conditions & SHONINZU) !== 0
        ? fit.add(1, "少人数")
        : capacity !== null && capacity <= 10
          ? fit.add(1, fit.explain ? `少人数（定員${capacity}人）` : null)
          : capacity !== null && capacity > 20
            ? fit.add(0, null, fit.explain ? `定員${capacity}人と多め` : null, true)
            : fit.add(0.3);
    if (value === 1) fit.calm = true;
  }
  if (c.quiet) {
    const value = (conditions & SHIZUKA) !== 0 ? fit.add(1, "静か") : NOISY_KINDS.has(candidate.kind) ? fit.add(0.1, null, "子どもが多くにぎやかな場", true) : fit.add(0.4);
    if (value === 1) fit.calm = true;
  }
  if (c.avoidCrowds) {
    const value =
      (conditions & SHONINZU) !== 0
        ? fit.add(1, "少人数")
        : capacity !== null && capacity <= 15
          ? fit.add(1, fit.explain ? `小規模（定員${capacity}人）` : null)
          : capacity !== null && capacity > 30
            ? fit.add(0, null, fit.explain ? `定員${capacity}人で人が多い` : null, true)
            : fit.add(0.4);
    if (value === 1) fit.calm = true;
  }
  if (c.firstTimeFriendly) {
    const kengaku = (conditions & KENGAKU) !== 0;
    const taiken = (conditions & TAIKEN) !== 0;
    if (kengaku || taiken) {
      fit.add(1, kengaku && taiken ? "見学可・体験可" : kengaku ? "見学可" : "体験可");
      fit.firstTime = true;
    } else fit.add(0.3, null, "見学・体験ができるか要確認");
  }
  if (c.shortTime) {
    const value =
      (conditions & TANJIKAN) !== 0
        ? fit.add(1, "短時間可")
        : detail.longestSession !== null && detail.longestSession <= 120
          ? fit.add(0.8, fit.explain ? `1回${detail.longestSession}分以内` : null)
          : fit.add(0.3);
    if (value >= 0.8) fit.short = true;
  }
  // 「同行可」 is its own reason (in score); here only the value and the caution.
  if (c.needsAccompaniment) {
    if ((conditions & DOKO) !== 0) fit.add(1);
    else fit.add(0.3, null, "支援者の同行ができるか要確認");
  }
  if (c.barrierFree) {
    if ((conditions & BARRIER_FREE) !== 0) fit.add(1, "バリアフリー");
    else fit.add(0.2, null, "バリアフリーか要確認");
  }
  if (c.childcareNeeded) {
    const childFriendly = candidate.targetGroups.includes("parents") || CHILD_FRIENDLY_KINDS.has(candidate.kind);
    if (childFriendly) fit.add(1, "子連れ可");
    else fit.add(0.1, null, "子連れで参加できるか要確認");
  }
  return fit;
}

function scheduleReason(p: PreparedNeeds, candidate: Candidate, sessions: readonly Session[]): string {
  const first = sessions[0];
  const firstDate = parseIsoDate(first.date)!;
  const next = `次回 ${formatDateJa(firstDate, p.currentYear)}`;
  if (!p.windows) return `${describeSchedules(candidate.schedules) ?? "定期的に開催"}（${next}）`;
  const days = [...new Set(sessions.map((s) => s.weekday))].sort((a, b) => a - b).slice(0, 3);
  const band = sessions.every((s) => bandOf(s.start) === bandOf(first.start)) ? bandOf(first.start) : "";
  return `${days.map((d) => WEEKDAY_CHARS[d]).join("・")}曜${band}の空き時間に開催（${next}）`;
}

function nextSessionTexts(sessions: readonly Session[]): string[] {
  return sessions.slice(0, 5).map((s) => (s.start === null ? s.date : `${s.date} ${String(Math.floor(s.start / 60)).padStart(2, "0")}:${String(s.start % 60).padStart(2, "0")}`));
}

const NO_TEXTS = Object.freeze([]) as unknown as string[];

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/** stepOf with the person's needs, from the features. */
function stepFor(p: PreparedNeeds, f: Features): LadderStep {
  return f.baseStep === 2 && p.easyStart && (f.conditions & KENGAKU) !== 0 && (f.conditions & TANJIKAN) !== 0 ? 1 : f.baseStep;
}

/** Where `score` writes its texts when explaining. */
interface Texts {
  reasons: string[];
  cautions: string[];
}

/**
 * The score (0–100) and, with `texts`, the reasons and cautions. Matching scores every remaining
 * place without texts (nothing is built or allocated), then explains only the ones it returns: the
 * number is the same either way, since every text below is guarded by `explain` and nothing numeric is.
 */
function score(
  p: PreparedNeeds,
  candidate: Candidate,
  f: Features,
  distanceKm: number | null,
  sessions: readonly Session[] | null,
  texts: Texts | null,
): number {
  const needs = p.needs;
  const explain = texts !== null;
  // Every push below is under `explain`; the frozen arrays make a forgotten guard fail loudly.
  const reasons: string[] = texts?.reasons ?? NO_TEXTS;
  const cautions: string[] = texts?.cautions ?? NO_TEXTS;
  let weighted = 0;
  let weights = 0;
  let penalty = 0;
  const step = stepFor(p, f);
  const detail = detailOf(candidate, f);

  // When: the sessions inside the person's free time (the strongest reason for staff).
  if (explain) {
    if (sessions !== null && sessions.length > 0) reasons.push(scheduleReason(p, candidate, sessions));
    else if (candidate.schedules.length === 0) {
      cautions.push(candidate.hoursNote ? `日時は要確認（${shortenText(candidate.hoursNote, 40)}）` : "日時は要確認");
    }
    if (sessions?.some((session) => session.start === null)) cautions.push("開始時刻は要確認");
  }

  // Environment (少人数・見学可 …).
  const env = environmentFit(p, candidate, f, detail, explain ? new EnvironmentFit(true) : numericEnvironment);
  const conflicts = env.conflicts;
  if (env.count > 0) {
    weighted += SCORE_WEIGHTS.environment * clamp01(env.sum / env.count);
    weights += SCORE_WEIGHTS.environment;
    if (explain) {
      if (env.labels.length > 0) {
        const tail = env.firstTime ? "で初めてでも参加しやすい" : env.calm ? "で落ち着いて過ごせる" : env.short ? "で無理なく参加できる" : "";
        reasons.push(`${env.labels.join("・")}${tail}`);
      }
      cautions.push(...env.cautions);
    }
  }
  if (explain) {
    if (needs.conditions.needsAccompaniment && (f.conditions & DOKO) !== 0) reasons.push("同行可");
    if (needs.transport?.includes("pickup") && (f.conditions & SOUGEI) !== 0) reasons.push("送迎あり");
  }

  // Certificates (tables.ts CERTIFICATE_RULES).
  const certificateRule = f.certificateRule;
  if ((f.conditions & TECHO_FUYO) !== 0 && !p.hasCertificate) {
    if (explain) reasons.push("手帳がなくても利用できる");
  } else if (certificateRule?.whenLacking === "exclude" && p.certificateUnknown) {
    penalty += SCORE_PENALTIES.certificateUnknown;
    if (explain) cautions.push(`利用には${certificateRule.needs}が必要（手帳・受給者証の有無を確認）`);
  } else if (certificateRule?.whenLacking === "caution" && !p.hasCertificate) {
    penalty += SCORE_PENALTIES.registrationCheck;
    if (explain) cautions.push(`${certificateRule.needs}：事前に確認`);
  }

  // Distance.
  if (needs.location) {
    weights += SCORE_WEIGHTS.distance;
    if (distanceKm !== null) {
      weighted += SCORE_WEIGHTS.distance * clamp01(1 - distanceKm / (p.limitKm ?? DEFAULT_RADIUS_KM));
      if (explain) reasons.push(`自宅から${formatKm(distanceKm)}`);
    } else {
      weighted += SCORE_WEIGHTS.distance * 0.3;
      if (explain) cautions.push("地図上の位置が未登録（距離不明）");
    }
  }

  // Interests ↔ activities.
  const interestCount = needs.interests.length;
  if (interestCount > 0) {
    let sum = 0;
    for (const interest of needs.interests) sum += interestHit(candidate, detail, interest);
    weighted += SCORE_WEIGHTS.interests * clamp01(sum / Math.min(2, interestCount));
    weights += SCORE_WEIGHTS.interests;
    if (explain) {
      const explicit = needs.interests.filter((i) => interestHit(candidate, detail, i) === 1).map(interestLabel);
      const implied = needs.interests.filter((i) => interestHit(candidate, detail, i) === 0.7).map(interestLabel);
      if (explicit.length > 0) reasons.push(`興味のある${explicit.join("・")}の活動がある`);
      else if (implied.length > 0) reasons.push(`興味のある${implied.join("・")}に合う（${kindLabel(candidate.kind)}）`);
    }
  }

  // Wanted participation ↔ kind and ladder step.
  let wantMismatch = false;
  const stepDistance = Math.abs(step - p.startStep);
  const stepFit = stepDistance === 0 ? 1 : stepDistance === 1 ? 0.7 : stepDistance === 2 ? 0.4 : 0.2;
  weights += SCORE_WEIGHTS.wants;
  if (needs.wants.length > 0) {
    let bestFit = 0;
    let bestWant: Want | null = null;
    for (const want of needs.wants) {
      const fit = Math.max(WANT_KIND_FIT[want][candidate.kind] ?? 0, wantKeywordHit(candidate, detail, want) ? 0.8 : 0);
      if (fit > bestFit) {
        bestFit = fit;
        bestWant = want;
      }
    }
    weighted += SCORE_WEIGHTS.wants * clamp01(0.75 * bestFit + 0.25 * stepFit);
    wantMismatch = bestFit === 0;
    if (explain && bestWant && bestFit >= 0.6) reasons.push(`希望の「${wantLabel(bestWant)}」に合う（${kindLabel(candidate.kind)}）`);
  } else {
    weighted += SCORE_WEIGHTS.wants * stepFit;
  }

  // Regularity and freshness.
  weighted += SCORE_WEIGHTS.regularity * detail.regularity;
  weights += SCORE_WEIGHTS.regularity + SCORE_WEIGHTS.freshness;
  if (explain && detail.weekly && sessions !== null && sessions.length >= 2) reasons.push("毎週開催で通いやすい");
  if (detail.verifiedMs === null) {
    weighted += SCORE_WEIGHTS.freshness * 0.5;
    if (explain) cautions.push("最終確認日が不明");
  } else {
    const age = (p.todayMs - detail.verifiedMs) / DAY_MS;
    weighted += SCORE_WEIGHTS.freshness * (age <= 183 ? 1 : age <= 365 ? 0.7 : 0.2);
    if (explain && age > 365) cautions.push(`最終確認から1年以上（${candidate.lastVerifiedOn!.slice(0, 10)}）`);
  }

  // Cost (texts only).
  if (explain) {
    if (candidate.costKind === "free") {
      if (needs.maxCostYen !== undefined || p.personGroups.has("hardship")) reasons.push("参加費無料");
    } else if (candidate.costKind === "amount" && candidate.costYen !== null) cautions.push(`費用 ${formatYen(candidate.costYen)}`);
    else if (candidate.costKind === "actual") cautions.push("費用は実費");
    else if (needs.maxCostYen !== undefined) cautions.push("費用は要確認");
    if (WORK_COST_KINDS.has(candidate.kind) && (needs.maxCostYen !== undefined || p.personGroups.has("hardship"))) {
      cautions.push("食費・作業着などの実費がかかる場合あり（費用の支援を検討）");
    }
    if (needs.targetGroups.length === 0 && !f.openToAll) {
      cautions.push(`対象（${candidate.targetGroups.map(targetGroupLabel).join("・")}）に当てはまるか確認`);
    }
  }

  const factor = (wantMismatch ? WANT_MISMATCH_FACTOR : 1) * ENVIRONMENT_CONFLICT_FACTOR ** conflicts;
  const value = Math.round(((100 * weighted) / weights) * factor) - penalty;
  return value < 0 ? 0 : value > 100 ? 100 : value;
}

/** Distances are shown, and ranked, to 10 m. */
function roundedKm(km: number | null): number | null {
  return km === null ? null : Math.round(km * 100) / 100;
}

/** The explained suggestion for a place that passed the hard constraints (checked with `collect`). */
function suggestionOf(p: PreparedNeeds, candidate: Candidate, f: Features, hard: HardOutcome): Suggestion {
  const texts: Texts = { reasons: [], cautions: [] };
  const value = score(p, candidate, f, hard.distanceKm, hard.sessions, texts);
  return {
    resourceId: candidate.id,
    name: candidate.name,
    kind: candidate.kind,
    step: stepFor(p, f),
    score: value,
    reasons: texts.reasons,
    cautions: texts.cautions,
    distanceKm: roundedKm(hard.distanceKm),
    nextSessions: hard.sessions !== null ? nextSessionTexts(hard.sessions) : [],
    sample: candidate.sample,
  };
}

// ---- Ranking -------------------------------------------------------------------------------------

/**
 * Diversity (tables.ts DIVERSITY): the first 5 hold at most 2 of one kind, as long as places of other
 * kinds that fit (score ≥ MIN_FIT_SCORE) remain; the rest follows in score order.
 */
export function diversify(sorted: Suggestion[]): Suggestion[] {
  const top: Suggestion[] = [];
  const perKind = new Map<string, number>();
  const taken = new Set<Suggestion>();
  for (const suggestion of sorted) {
    if (top.length === DIVERSITY.top) break;
    if (suggestion.score < MIN_FIT_SCORE) break;
    const count = perKind.get(suggestion.kind) ?? 0;
    if (count >= DIVERSITY.maxPerKind) continue;
    top.push(suggestion);
    taken.add(suggestion);
    perKind.set(suggestion.kind, count + 1);
  }
  return [...top, ...sorted.filter((s) => !taken.has(s))];
}

/**
 * The places that passed, as parallel arrays (no object per place): position k is candidates[index[k]]
 * with its score and its distance rounded as shown (Infinity when unknown).
 */
interface Passed {
  index: number[];
  score: number[];
  distance: number[];
  id: number[];
  kind: string[];
}

/**
 * The suggestion order (score, then distance as shown, then resource id) on positions, with the position last: the
 * order of a stable sort of the places as given.
 */
function comparePassed(passed: Passed, a: number, b: number): number {
  return (
    passed.score[b] - passed.score[a] || passed.distance[a] - passed.distance[b] || passed.id[a] - passed.id[b] || passed.index[a] - passed.index[b]
  );
}

/**
 * The positions of the first `limit` suggestions, in the order diversify(sort(all)).slice(0, limit)
 * gives, without sorting every place: the best limit + 5 are kept while scanning (the diversity rule
 * moves at most 5 places forward, so everything else shown comes from them); when the diversity scan
 * runs past them, it continues over the rest that could still be taken (fitting score, a kind not yet
 * full), sorted.
 */
function rankPassed(passed: Passed, limit: number): number[] {
  const count = passed.index.length;
  const keep = limit + DIVERSITY.top;
  let best: number[];
  const partial = Number.isInteger(limit) && limit >= 0 && keep < count;
  if (!partial) {
    best = Array.from({ length: count }, (_, k) => k).sort((a, b) => comparePassed(passed, a, b));
  } else {
    best = [];
    for (let k = 0; k < count; k++) {
      if (best.length === keep && comparePassed(passed, k, best[keep - 1]) >= 0) continue;
      // Binary search for the first kept position that k precedes.
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (comparePassed(passed, k, best[mid]) < 0) hi = mid;
        else lo = mid + 1;
      }
      best.splice(lo, 0, k);
      if (best.length > keep) best.pop();
    }
  }

  // diversify() on positions.
  const top: number[] = [];
  const perKind = new Map<string, number>();
  let finished = false;
  const take = (k: number): boolean => {
    if (top.length === DIVERSITY.top || passed.score[k] < MIN_FIT_SCORE) return (finished = true);
    const kindCount = perKind.get(passed.kind[k]) ?? 0;
    if (kindCount < DIVERSITY.maxPerKind) {
      top.push(k);
      perKind.set(passed.kind[k], kindCount + 1);
    }
    return false;
  };
  for (const k of best) if (take(k)) break;
  if (!finished && top.length < DIVERSITY.top && partial) {
    const kept = new Set(best);
    const rest: number[] = [];
    for (let k = 0; k < count; k++) {
      if (kept.has(k) || passed.score[k] < MIN_FIT_SCORE || (perKind.get(passed.kind[k]) ?? 0) >= DIVERSITY.maxPerKind) continue;
      rest.push(k);
    }
    rest.sort((a, b) => comparePassed(passed, a, b));
    for (const k of rest) if (take(k)) break;
  }
  const taken = new Set(top);
  const ranked = [...top];
  for (const k of best) if (!taken.has(k)) ranked.push(k);
  return ranked.slice(0, limit);
}

/**
 * Ranks the candidates for the person: suggestions (explained, staged) and the excluded places.
 * Candidates are read, never changed, and are expected not to change between calls: what the
 * engine works out per place is remembered for the same list (see featureListOf). The excluded
 * places' reasons are built when `excluded` is first read (`excludedCount` costs nothing).
 */
export function matchNeeds(needs: Needs, candidates: Candidate[], today: string, options: MatchOptions = {}): MatchResult {
  const p = prepare(needs, today);
  const features = featureListOf(candidates, options.reusesPlaces === true);
  const limit = options.limit ?? DEFAULT_SUGGESTION_LIMIT;
  const passed: Passed = { index: [], score: [], distance: [], id: [], kind: [] };
  const excludedPlaces: Candidate[] = [];
  const excludedFeatures: Features[] = [];
  const scratch: HardOutcome = { reasons: NO_REASONS, distanceKm: null, sessions: null };
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    const f = features[i];
    const hard = checkHard(p, candidate, f, false, false, true, scratch);
    if (hard.reasons.length > 0) {
      excludedPlaces.push(candidate);
      excludedFeatures.push(f);
      continue;
    }
    passed.index.push(i);
    passed.score.push(score(p, candidate, f, hard.distanceKm, null, null));
    passed.distance.push(hard.distanceKm === null ? Infinity : roundedKm(hard.distanceKm)!);
    passed.id.push(candidate.id);
    passed.kind.push(candidate.kind);
  }
  // Only the returned suggestions are explained: their sessions listed, their texts built.
  const suggestions = rankPassed(passed, limit).map((k) => {
    const i = passed.index[k];
    const hard = checkHard(p, candidates[i], features[i], false, true, false, { reasons: NO_REASONS, distanceKm: null, sessions: null });
    return suggestionOf(p, candidates[i], features[i], hard);
  });
  let excluded: Exclusion[] | null = null;
  return {
    suggestions,
    get excluded(): Exclusion[] {
      excluded ??= excludedPlaces.map((candidate, k) => ({
        resourceId: candidate.id,
        name: candidate.name,
        reasons: checkHard(p, candidate, excludedFeatures[k], false, false, false, scratch).reasons,
      }));
      return excluded;
    },
    excludedCount: excludedPlaces.length,
    startStep: p.startStep,
    unmet: !suggestions.some((s) => s.score >= MIN_FIT_SCORE),
  };
}

/**
 * 「なぜこの場所？」: every reason a place is excluded, or the suggestion it would make with its
 * reasons (for any place, also one the person's radius left out).
 */
export function explainCandidate(
  needs: Needs,
  candidate: Candidate,
  today: string,
): { excluded: boolean; reasons: string[]; suggestion: Suggestion | null } {
  const p = prepare(needs, today);
  const f = featuresOf(candidate);
  const hard = checkHard(p, candidate, f, true, true, false, { reasons: NO_REASONS, distanceKm: null, sessions: null });
  if (hard.reasons.length > 0) return { excluded: true, reasons: hard.reasons, suggestion: null };
  const suggestion = suggestionOf(p, candidate, f, hard);
  return { excluded: false, reasons: suggestion.reasons, suggestion };
}
