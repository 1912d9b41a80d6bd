// The matching engine (参加支援): needs + candidate resources + today → ranked, explained, staged
// suggestions and the reasons each other place was excluded. Pure: no I/O and no clock (`today` is
// given), so it is unit-tested and benchmarked alone. The tables it applies (weights, ladder steps,
// certificate rules, keywords) are in tables.ts; the README quotes them.
import { kindLabel, targetGroupLabel } from "../../db/vocabulary";
import { describeSchedules, formatDateJa, formatTime, parseIsoDate, shortenText } from "../utils/schedule";
import type { Needs } from "./needs";
import { possibleWeekdays, sessionsWithin, type Session } from "./sessions";
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
import { TRANSPORTS, interestLabel, wantLabel, type Interest, type LadderStep, type Want } from "./vocabulary";

export { MIN_FIT_SCORE } from "./tables";

const DAY_MS = 86_400_000;
const DEFAULT_SUGGESTION_LIMIT = 30;
const WEEKDAY_CHARS = ["月", "火", "水", "木", "金", "土", "日"] as const;
const WEEKDAY_INDEX: Record<string, number> = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 };

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

// ---- Per-candidate features (independent of the person; remembered per candidate object) -------

/** What the hard constraints need first: cheap, computed for every place. */
interface Features {
  /** Candidate target groups allow any person (empty or 誰でも). */
  openToAll: boolean;
  /** 手帳不要 on a place for 障がいのある人: also open to TECHO_FUYO_OPENS_TO. */
  opensWithoutCertificate: boolean;
  techoFuyo: boolean;
  sougei: boolean;
  hasLocation: boolean;
  /** 「対象が…のみ」, built the first time a person is excluded by it. */
  targetReason: readonly string[] | null;
  /** The rest, computed when a person's check gets as far as the schedules (most places stop earlier). */
  detail: Detail | null;
}

interface Detail {
  /** Per schedule: the weekdays it can fall on (bit 0 = Monday). */
  scheduleMasks: number[];
  /** Per schedule: its sessions in the horizon, remembered for the day they were computed for. */
  sessions: ({ today: string; sessions: Session[] } | null)[];
  /** 0–1 (tables.ts SCORE_WEIGHTS.regularity). */
  regularity: number;
  weekly: boolean;
  verifiedMs: number | null;
  /** Longest session in minutes (null: no times known). */
  longestSession: number | null;
  /** Name, services, activities and description, NFKC-normalised, for keyword matching (built on first use). */
  text: string | null;
  interestHits: Map<Interest, number>;
  wantKeywordHits: Map<Want, boolean>;
}

/**
 * Features are remembered per candidates array (one entry per list, aligned by index), so scoring
 * the same list for another person skips this work. A WeakMap per place would cost the garbage
 * collector more than it saves (thousands of ephemerons).
 */
const featureLists = new WeakMap<readonly Candidate[], { candidates: Candidate[]; features: Features[] }>();

function featureListOf(candidates: readonly Candidate[]): Features[] {
  let cached = featureLists.get(candidates);
  if (!cached) {
    cached = { candidates: [], features: [] };
    featureLists.set(candidates, cached);
  }
  const { candidates: seen, features } = cached;
  for (let i = 0; i < candidates.length; i++) {
    if (seen[i] !== candidates[i]) {
      seen[i] = candidates[i];
      features[i] = featuresOf(candidates[i]);
    }
  }
  seen.length = features.length = candidates.length;
  return features;
}

function regularityOf(candidate: Candidate): { value: number; weekly: boolean } {
  if (candidate.schedules.length === 0) return { value: candidate.hoursNote ? 0.4 : 0.3, weekly: false };
  let best = 0;
  let weekly = false;
  for (const schedule of candidate.schedules) {
    const rule = schedule.rrule.toUpperCase();
    const interval = Number(/INTERVAL=(\d+)/.exec(rule)?.[1] ?? 1);
    let value = 0.3;
    if (/FREQ=(DAILY|WEEKLY)/.test(rule) && interval === 1) {
      value = 1;
      weekly = true;
    } else if (/FREQ=WEEKLY/.test(rule)) value = 0.8;
    else if (/FREQ=MONTHLY/.test(rule)) {
      const perMonth = (/BYDAY=([^;]*)/.exec(rule)?.[1] ?? /BYMONTHDAY=([^;]*)/.exec(rule)?.[1] ?? "").split(",").filter(Boolean).length;
      value = perMonth >= 2 && interval === 1 ? 0.8 : 0.6;
    }
    best = Math.max(best, value);
  }
  return { value: best, weekly };
}

function featuresOf(candidate: Candidate): Features {
  const conditions = candidate.conditions;
  return {
    openToAll: candidate.targetGroups.length === 0 || candidate.targetGroups.includes("anyone"),
    opensWithoutCertificate: conditions.includes("techo_fuyo") && candidate.targetGroups.includes("disability"),
    techoFuyo: conditions.includes("techo_fuyo"),
    sougei: conditions.includes("sougei"),
    hasLocation: Number.isFinite(candidate.latitude) && Number.isFinite(candidate.longitude) && candidate.latitude !== null && candidate.longitude !== null,
    targetReason: null,
    detail: null,
  };
}

function detailOf(candidate: Candidate, f: Features): Detail {
  if (f.detail !== null) return f.detail;
  const { value, weekly } = regularityOf(candidate);
  const verified = candidate.lastVerifiedOn ? parseIsoDate(candidate.lastVerifiedOn.slice(0, 10)) : null;
  let longestSession: number | null = null;
  for (const schedule of candidate.schedules) {
    const start = minutes(schedule.startTime);
    const end = minutes(schedule.endTime);
    if (start !== null && end !== null && end > start) longestSession = Math.max(longestSession ?? 0, end - start);
  }
  f.detail = {
    scheduleMasks: candidate.schedules.map(possibleWeekdays),
    sessions: candidate.schedules.map(() => null),
    regularity: value,
    weekly,
    verifiedMs: verified ? verified.getTime() : null,
    longestSession,
    text: null,
    interestHits: new Map(),
    wantKeywordHits: new Map(),
  };
  return f.detail;
}

function minutes(time: string | null | undefined): number | null {
  const formatted = formatTime(time);
  if (!formatted) return null;
  const [h, m] = formatted.split(":").map(Number);
  return h * 60 + m;
}

/** 1 when the place's own words show the interest, 0.7 when its kind implies it, else 0. */
function textOf(candidate: Candidate, detail: Detail): string {
  detail.text ??= [candidate.name, ...candidate.services, ...candidate.activities, candidate.description ?? ""].join(" ").normalize("NFKC");
  return detail.text;
}

function interestHit(candidate: Candidate, detail: Detail, interest: Interest): number {
  let hit = detail.interestHits.get(interest);
  if (hit === undefined) {
    const text = textOf(candidate, detail);
    hit = INTEREST_KEYWORDS[interest].some((word) => text.includes(word))
      ? 1
      : (KIND_INTERESTS[candidate.kind] ?? []).includes(interest)
        ? 0.7
        : 0;
    detail.interestHits.set(interest, hit);
  }
  return hit;
}

function wantKeywordHit(candidate: Candidate, detail: Detail, want: Want): boolean {
  let hit = detail.wantKeywordHits.get(want);
  if (hit === undefined) {
    const text = textOf(candidate, detail);
    hit = (WANT_KEYWORDS[want] ?? []).some((word) => text.includes(word));
    detail.wantKeywordHits.set(want, hit);
  }
  return hit;
}

// ---- The person's side, prepared once per call ---------------------------------------------------

interface Window {
  from: number;
  to: number;
}

interface PreparedNeeds {
  needs: Needs;
  today: string;
  todayMs: number;
  currentYear: number;
  startStep: LadderStep;
  /** Windows per weekday (0 = Monday), or null when the person gave none (any time). */
  windows: Window[][] | null;
  availabilityMask: number;
  /** 「火 9:00–12:00・木 13:00–16:00」 for exclusion reasons. */
  windowsText: string;
  limitKm: number | null;
  limitLabel: string;
  pickupOnly: boolean;
  lacksCertificate: boolean;
  hasCertificate: boolean;
  certificateUnknown: boolean;
  personGroups: Set<string>;
  area: string | null;
}

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
  return {
    needs,
    today,
    todayMs: todayDate.getTime(),
    currentYear: todayDate.getUTCFullYear(),
    startStep: deriveStartStep(needs),
    windows,
    availabilityMask,
    windowsText: windows ? windowsSummary(needs) : "",
    limitKm,
    limitLabel,
    pickupOnly,
    lacksCertificate,
    hasCertificate,
    certificateUnknown: !lacksCertificate && !hasCertificate,
    personGroups: new Set(needs.targetGroups),
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

function distanceKm(a: { lat: number; lon: number }, lat: number, lon: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat - a.lat) * rad;
  const dLon = (lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function areaMatches(area: string, candidate: Candidate): boolean {
  for (const value of [candidate.area, candidate.city]) {
    if (!value) continue;
    const text = value.normalize("NFKC").trim();
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

interface HardOutcome {
  reasons: string[];
  distanceKm: number | null;
  /** Sessions inside the person's windows (all sessions when no windows), date order; null = no schedules. */
  sessions: Session[] | null;
}

const NO_REASONS: string[] = [];
const NO_SESSIONS: Session[] = [];

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

/**
 * Checks the hard constraints in order of cost, into `outcome` (matching reuses one object for
 * every place). With `all` false it stops at the first failure (matchNeeds over thousands of
 * places; written without closures, it runs for every place); with `all` true it lists every
 * reason (「なぜ除外？」). With `collect` false it only asks whether a session fits (the first
 * found is enough) and leaves `sessions` empty; with `collect` it lists them for the explanation.
 */
function checkHard(p: PreparedNeeds, candidate: Candidate, f: Features, all: boolean, collect: boolean, outcome: HardOutcome): HardOutcome {
  outcome.reasons = NO_REASONS;
  outcome.distanceKm = null;
  outcome.sessions = null;

  const status = candidate.status;
  if (status !== "active") {
    const reason = remembered(statusReasons, status, () => (status === "paused" ? "休止中" : status === "closed" ? "閉鎖" : `活動状況が「${status}」`));
    if (addPlaceReason(outcome, all, reason)) return outcome;
  }

  const kindRule = EXCLUDED_KINDS[candidate.kind];
  if (kindRule !== undefined && addPlaceReason(outcome, all, remembered(kindReasons, candidate.kind, () => kindRule))) return outcome;

  if (
    !f.openToAll &&
    p.personGroups.size > 0 &&
    !sharesGroup(candidate.targetGroups, p.personGroups) &&
    !(f.opensWithoutCertificate && sharesGroup(TECHO_FUYO_OPENS_TO, p.personGroups))
  ) {
    f.targetReason ??= Object.freeze([`対象が${candidate.targetGroups.map(targetGroupLabel).join("・")}のみ`]);
    if (addPlaceReason(outcome, all, f.targetReason)) return outcome;
  }

  const certificateRule = CERTIFICATE_RULES[candidate.kind];
  if (certificateRule !== undefined && certificateRule.whenLacking === "exclude" && p.lacksCertificate && !f.techoFuyo) {
    const reason = remembered(kindReasons, `certificate:${candidate.kind}`, () => `${kindLabel(candidate.kind)}の利用には${certificateRule.needs}が必要（手帳不要の受け入れなし）`);
    if (addPlaceReason(outcome, all, reason)) return outcome;
  }

  const maxCost = p.needs.maxCostYen;
  if (maxCost !== undefined && candidate.costKind === "amount" && candidate.costYen !== null && candidate.costYen > maxCost) {
    const reason = maxCost === 0 ? `費用${formatYen(candidate.costYen)}（無料の場のみ希望）` : `費用${formatYen(candidate.costYen)}（上限${formatYen(maxCost)}）`;
    if (addReason(outcome, all, reason)) return outcome;
  }

  const location = p.needs.location;
  if (location && f.hasLocation) {
    const d = distanceKm(location, candidate.latitude!, candidate.longitude!);
    outcome.distanceKm = d;
    if (p.limitKm !== null && d > p.limitKm) {
      if (addReason(outcome, all, `自宅から${formatKm(d)}（${p.limitLabel}）`)) return outcome;
    } else if (p.pickupOnly && d > PICKUP_SHORT_KM && !f.sougei) {
      if (addReason(outcome, all, `送迎がなく、自宅から${formatKm(d)}（送迎が必要）`)) return outcome;
    }
  } else if (p.area && !areaMatches(p.area, candidate)) {
    if (addReason(outcome, all, `「${p.area}」の外（${candidate.city ?? candidate.area ?? "所在地不明"}）`)) return outcome;
  } else if (!location && p.pickupOnly && !f.sougei) {
    if (addReason(outcome, all, "送迎がない（送迎が必要）")) return outcome;
  }

  const scheduleCount = candidate.schedules.length;
  if (scheduleCount > 0) {
    const detail = detailOf(candidate, f);
    let matched: Session[] | null = null;
    let fits = false;
    let anySession = false;
    for (let i = 0; i < scheduleCount && (collect || !fits); i++) {
      if (p.windows !== null && (detail.scheduleMasks[i] & p.availabilityMask) === 0) {
        if (detail.scheduleMasks[i] !== 0) anySession = true; // it has sessions, never on the person's days
        continue;
      }
      let remembered = detail.sessions[i];
      if (remembered === null || remembered.today !== p.today) {
        remembered = detail.sessions[i] = { today: p.today, sessions: sessionsWithin(candidate.schedules[i], p.today, HORIZON_DAYS) };
      }
      const sessions = remembered.sessions;
      if (sessions.length === 0) continue;
      anySession = true;
      if (p.windows === null) {
        fits = true;
        if (collect) matched = matched === null ? sessions : [...matched, ...sessions];
        continue;
      }
      for (const session of sessions) {
        if (!sessionFits(session, p.windows)) continue;
        fits = true;
        if (!collect) break;
        (matched ??= []).push(session);
      }
    }
    if (matched !== null && scheduleCount > 1) matched = [...matched].sort(sessionOrder);
    outcome.sessions = matched ?? NO_SESSIONS;
    if (!fits) {
      addReason(
        outcome,
        all,
        anySession && p.windows !== null ? `空き時間（${p.windowsText}）に開催がない（今後${HORIZON_DAYS / 7}週間）` : `今後${HORIZON_DAYS / 7}週間に開催予定がない`,
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

function environmentFit(p: PreparedNeeds, candidate: Candidate, detail: Detail, fit: EnvironmentFit): EnvironmentFit {
  const c = p.needs.conditions;
  const conditions = candidate.conditions;
  const capacity = candidate.capacity;
  fit.reset();
  if (c.smallGroup) {
    const value = conditions.includes("shoninzu")
      ? fit.add(1, "少人数")
      : capacity !== null && capacity <= 10
        ? fit.add(1, fit.explain ? `少人数（定員${capacity}人）` : null)
        : capacity !== null && capacity > 20
          ? fit.add(0, null, fit.explain ? `定員${capacity}人と多め` : null, true)
          : fit.add(0.3);
    if (value === 1) fit.calm = true;
  }
  if (c.quiet) {
    const value = conditions.includes("shizuka") ? fit.add(1, "静か") : NOISY_KINDS.has(candidate.kind) ? fit.add(0.1, null, "子どもが多くにぎやかな場", true) : fit.add(0.4);
    if (value === 1) fit.calm = true;
  }
  if (c.avoidCrowds) {
    const value = conditions.includes("shoninzu")
      ? fit.add(1, "少人数")
      : capacity !== null && capacity <= 15
        ? fit.add(1, fit.explain ? `小規模（定員${capacity}人）` : null)
        : capacity !== null && capacity > 30
          ? fit.add(0, null, fit.explain ? `定員${capacity}人で人が多い` : null, true)
          : fit.add(0.4);
    if (value === 1) fit.calm = true;
  }
  if (c.firstTimeFriendly) {
    const kengaku = conditions.includes("kengaku");
    const taiken = conditions.includes("taiken");
    if (kengaku || taiken) {
      fit.add(1, kengaku && taiken ? "見学可・体験可" : kengaku ? "見学可" : "体験可");
      fit.firstTime = true;
    } else fit.add(0.3, null, "見学・体験ができるか要確認");
  }
  if (c.shortTime) {
    const value = conditions.includes("tanjikan")
      ? fit.add(1, "短時間可")
      : detail.longestSession !== null && detail.longestSession <= 120
        ? fit.add(0.8, fit.explain ? `1回${detail.longestSession}分以内` : null)
        : fit.add(0.3);
    if (value >= 0.8) fit.short = true;
  }
  // 「同行可」 is its own reason (in score); here only the value and the caution.
  if (c.needsAccompaniment) {
    if (conditions.includes("doko")) fit.add(1);
    else fit.add(0.3, null, "支援者の同行ができるか要確認");
  }
  if (c.barrierFree) {
    if (conditions.includes("barrier_free")) fit.add(1, "バリアフリー");
    else fit.add(0.2, null, "バリアフリーか要確認");
  }
  if (c.childcareNeeded) {
    const childFriendly = candidate.targetGroups.includes("parents") || CHILD_FRIENDLY_KINDS.has(candidate.kind);
    if (childFriendly) fit.add(1, "子連れ可");
    else fit.add(0.1, null, "子連れで参加できるか要確認");
  }
  return fit;
}

function scheduleReason(p: PreparedNeeds, candidate: Candidate, sessions: Session[]): string {
  const first = sessions[0];
  const firstDate = parseIsoDate(first.date)!;
  const next = `次回 ${formatDateJa(firstDate, p.currentYear)}`;
  if (!p.windows) return `${describeSchedules(candidate.schedules) ?? "定期的に開催"}（${next}）`;
  const days = [...new Set(sessions.map((s) => s.weekday))].sort((a, b) => a - b).slice(0, 3);
  const band = sessions.every((s) => bandOf(s.start) === bandOf(first.start)) ? bandOf(first.start) : "";
  return `${days.map((d) => WEEKDAY_CHARS[d]).join("・")}曜${band}の空き時間に開催（${next}）`;
}

function nextSessionTexts(sessions: Session[]): string[] {
  return sessions.slice(0, 5).map((s) => (s.start === null ? s.date : `${s.date} ${String(Math.floor(s.start / 60)).padStart(2, "0")}:${String(s.start % 60).padStart(2, "0")}`));
}

const NO_TEXTS = Object.freeze([]) as unknown as string[];

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/**
 * The score and, with `explain`, the reasons and cautions. Matching scores every remaining place
 * without `explain` (no text is built), then explains only the ones it returns: the numbers are the
 * same either way, since every text below is guarded by `explain` and nothing numeric is.
 */
function score(p: PreparedNeeds, candidate: Candidate, f: Features, hard: HardOutcome, explain = true): Suggestion {
  const needs = p.needs;
  // Every push below is under `explain`; the frozen arrays make a forgotten guard fail loudly.
  const reasons: string[] = explain ? [] : NO_TEXTS;
  const cautions: string[] = explain ? [] : NO_TEXTS;
  let weighted = 0;
  let weights = 0;
  let penalty = 0;
  const step = stepOf(candidate, needs);
  const sessions = hard.sessions;
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
  const env = environmentFit(p, candidate, detail, explain ? new EnvironmentFit(true) : numericEnvironment);
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
    if (needs.conditions.needsAccompaniment && candidate.conditions.includes("doko")) reasons.push("同行可");
    if (needs.transport?.includes("pickup") && f.sougei) reasons.push("送迎あり");
  }

  // Certificates (tables.ts CERTIFICATE_RULES).
  const certificateRule = CERTIFICATE_RULES[candidate.kind];
  if (f.techoFuyo && !p.hasCertificate) {
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
    if (hard.distanceKm !== null) {
      weighted += SCORE_WEIGHTS.distance * clamp01(1 - hard.distanceKm / (p.limitKm ?? DEFAULT_RADIUS_KM));
      if (explain) reasons.push(`自宅から${formatKm(hard.distanceKm)}`);
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
  return {
    resourceId: candidate.id,
    name: candidate.name,
    kind: candidate.kind,
    step,
    score: value < 0 ? 0 : value > 100 ? 100 : value,
    reasons,
    cautions,
    distanceKm: hard.distanceKm === null ? null : Math.round(hard.distanceKm * 100) / 100,
    nextSessions: sessions !== null && explain ? nextSessionTexts(sessions) : [],
    sample: candidate.sample,
  };
}

// ---- Ranking -------------------------------------------------------------------------------------

function bySuggestionOrder(a: Suggestion, b: Suggestion): number {
  return b.score - a.score || (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || a.resourceId - b.resourceId;
}

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

/** A first-pass suggestion (no texts) with the position of its place in the candidates. */
type RankedSuggestion = Suggestion & { index: number };

/**
 * Ranks the candidates for the person: suggestions (explained, staged) and the excluded places.
 * Candidates are read, never changed, and are expected not to change between calls: what the
 * engine works out per place is remembered for the same list (see featureListOf).
 */
export function matchNeeds(needs: Needs, candidates: Candidate[], today: string, options: MatchOptions = {}): MatchResult {
  const p = prepare(needs, today);
  const features = featureListOf(candidates);
  const scored: RankedSuggestion[] = [];
  const excluded: Exclusion[] = [];
  const scratch: HardOutcome = { reasons: NO_REASONS, distanceKm: null, sessions: null };
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    const hard = checkHard(p, candidate, features[i], false, false, scratch);
    if (hard.reasons.length > 0) excluded.push({ resourceId: candidate.id, name: candidate.name, reasons: hard.reasons });
    else scored.push(Object.assign(score(p, candidate, features[i], hard, false), { index: i }));
  }
  const ranked = diversify(scored.sort(bySuggestionOrder)).slice(0, options.limit ?? DEFAULT_SUGGESTION_LIMIT) as RankedSuggestion[];
  // Only the returned suggestions are explained: their sessions listed, their texts built.
  const suggestions = ranked.map(({ index }) => {
    const hard = checkHard(p, candidates[index], features[index], false, true, { reasons: NO_REASONS, distanceKm: null, sessions: null });
    return score(p, candidates[index], features[index], hard, true);
  });
  return {
    suggestions,
    excluded,
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
  const hard = checkHard(p, candidate, f, true, true, { reasons: NO_REASONS, distanceKm: null, sessions: null });
  if (hard.reasons.length > 0) return { excluded: true, reasons: hard.reasons, suggestion: null };
  const suggestion = score(p, candidate, f, hard);
  return { excluded: false, reasons: suggestion.reasons, suggestion };
}
