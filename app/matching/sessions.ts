// The sessions of a schedule inside the matching horizon (today … today + N days), with their
// weekday and times, for the availability check. Expansion is rrule's (as in app/utils/schedule.ts);
// this module only asks it once per schedule with `between` instead of once per session with
// `after` (which walks the rule again for every date: ~1 ms for a daily rule), and remembers the
// dates per rule text and day, since many places share a rule. Pure: the answer depends only on
// the schedule and `today`. Browser-safe.
import * as rruleModule from "rrule";
import type { Options as RRuleOptions } from "rrule";
import type { ScheduleSummary } from "../../search/types";
import { formatTime, isoDate, parseIsoDate } from "../utils/schedule";

// rrule ships a UMD main (Node sees a CommonJS module without named exports) and an ESM module
// (bundlers see named exports only): accept both shapes, as app/utils/schedule.ts does.
type RRuleModule = typeof rruleModule;
const rrule: RRuleModule =
  "RRule" in rruleModule && rruleModule.RRule ? rruleModule : (rruleModule as unknown as { default: RRuleModule }).default;

export interface Session {
  /** YYYY-MM-DD */
  date: string;
  /** 0 = Monday … 6 = Sunday (RFC 5545 order). */
  weekday: number;
  /** Minutes since midnight, or null when the schedule has no time. */
  start: number | null;
  end: number | null;
}

const DAY_MS = 86_400_000;

/** "9:30" / "09:30" / "0930" → 570; null when there is no readable time. */
export function minutesOf(time: string | null | undefined): number | null {
  const formatted = formatTime(time);
  if (!formatted) return null;
  const [h, m] = formatted.split(":").map(Number);
  return h * 60 + m;
}

/** Monday-first weekday (0–6) of a floating date. */
export function weekdayOf(date: Date): number {
  return (date.getUTCDay() + 6) % 7;
}

function asArray<T>(value: T | T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const parsedRules = new Map<string, Partial<RRuleOptions> | null>();

/** RRule.parseString, remembered per text (a directory repeats a few hundred distinct rules). */
export function parseRule(text: string): Partial<RRuleOptions> | null {
  let options = parsedRules.get(text);
  if (options !== undefined) return options;
  try {
    const body = text.trim().replace(/^RRULE:/i, "");
    options = /FREQ=/i.test(body) ? rrule.RRule.parseString(body) : null;
  } catch {
    options = null;
  }
  if (parsedRules.size > 10_000) parsedRules.clear();
  parsedRules.set(text, options);
  return options;
}

/**
 * A 7-bit mask (bit 0 = Monday) of the weekdays a rule can fall on, or 0x7f when any day is
 * possible (monthly by date, yearly). Only used to skip expansion when the person is never free
 * on those days; it never decides that a session exists.
 */
export function possibleWeekdays(schedule: ScheduleSummary): number {
  const options = parseRule(schedule.rrule);
  if (!options || options.freq === undefined) return 0;
  const days = asArray(options.byweekday as unknown as (number | { weekday: number } | string)[] | null);
  let mask = 0;
  for (const day of days) {
    const index = typeof day === "number" ? day : typeof day === "string" ? ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].indexOf(day) : day.weekday;
    if (index >= 0 && index <= 6) mask |= 1 << index;
  }
  if (mask !== 0) return mask;
  const { Frequency } = rrule;
  const anchor = parseIsoDate(schedule.startsOn);
  if (options.freq === Frequency.WEEKLY && anchor && asArray(options.bymonthday).length === 0) return 1 << weekdayOf(anchor);
  return 0x7f;
}

/**
 * Moves DTSTART forward by whole periods to just before `today` (same dates from there on), so
 * rrule does not walk years of past sessions. Rules with COUNT keep their start (COUNT counts
 * from it); yearly rules are cheap enough as they are.
 */
function anchorNear(options: Partial<RRuleOptions>, dtstart: Date, today: Date): Partial<RRuleOptions> {
  const unchanged = { ...options, dtstart };
  if (options.count || dtstart >= today) return unchanged;
  const { Frequency } = rrule;
  const interval = options.interval && options.interval > 1 ? options.interval : 1;
  if (options.freq === Frequency.DAILY || options.freq === Frequency.WEEKLY) {
    const periodDays = (options.freq === Frequency.DAILY ? 1 : 7) * interval;
    const periods = Math.floor((today.getTime() - dtstart.getTime()) / DAY_MS / periodDays) - 1;
    return periods <= 0 ? unchanged : { ...options, dtstart: new Date(dtstart.getTime() + periods * periodDays * DAY_MS) };
  }
  if (options.freq === Frequency.MONTHLY) {
    const months = (today.getUTCFullYear() - dtstart.getUTCFullYear()) * 12 + today.getUTCMonth() - dtstart.getUTCMonth();
    const periods = Math.floor(months / interval) - 1;
    if (periods <= 0) return unchanged;
    const start = new Date(Date.UTC(dtstart.getUTCFullYear(), dtstart.getUTCMonth() + periods * interval, 1));
    const hasDays = asArray(options.byweekday).length > 0 || asArray(options.bymonthday).length > 0;
    return hasDays ? { ...options, dtstart: start } : { ...options, dtstart: start, bymonthday: [dtstart.getUTCDate()] };
  }
  return unchanged;
}

/**
 * The dates of a rule from `today` for `days` days. Many places share a rule (毎週火曜, 第2・第4土曜),
 * so the dates are remembered per rule text (and start date, where it matters) and day.
 */
function ruleDates(schedule: ScheduleSummary, today: string, days: number): Date[] {
  const options = parseRule(schedule.rrule);
  const dtstart = parseIsoDate(schedule.startsOn);
  const first = parseIsoDate(today);
  if (!options || options.freq === undefined || !dtstart || !first) return [];
  // With explicit days, no COUNT, INTERVAL 1 and a start in the past, the start date cannot change
  // the dates from today on: such rules share one entry whatever their start.
  const interval = options.interval && options.interval > 1 ? options.interval : 1;
  const explicitDays = asArray(options.byweekday).length > 0 || asArray(options.bymonthday).length > 0;
  const startFree = explicitDays && !options.count && interval === 1 && dtstart < first && options.freq !== rrule.Frequency.YEARLY;
  const key = `${today}|${days}|${schedule.rrule}|${startFree ? "" : schedule.startsOn}`;
  const cached = datesByRule.get(key);
  if (cached) return cached;
  const last = new Date(first.getTime() + (days - 1) * DAY_MS);
  let dates: Date[];
  try {
    const rule = new rrule.RRule({ ...anchorNear(options, dtstart, first), tzid: null, byhour: [0], byminute: [0], bysecond: [0] }, true);
    dates = rule.between(first, last, true);
  } catch {
    dates = [];
  }
  if (datesByRule.size > 20_000) datesByRule.clear();
  datesByRule.set(key, dates);
  return dates;
}

const datesByRule = new Map<string, Date[]>();

function expand(schedule: ScheduleSummary, today: string, days: number): Session[] {
  const dates = ruleDates(schedule, today, days);
  if (dates.length === 0) return [];
  const start = minutesOf(schedule.startTime);
  const end = minutesOf(schedule.endTime);
  const exceptions = schedule.exceptionDates.length > 0 ? new Set(schedule.exceptionDates.map((d) => d.trim())) : null;
  const sessions: Session[] = [];
  for (const date of dates) {
    const iso = isoDate(date);
    if (exceptions?.has(iso)) continue;
    sessions.push({ date: iso, weekday: weekdayOf(date), start, end });
  }
  return sessions;
}

/** The sessions of `schedule` on `today` … `today + days - 1`, in date order (exception dates skipped). */
export function sessionsWithin(schedule: ScheduleSummary, today: string, days: number): Session[] {
  return expand(schedule, today, days);
}
