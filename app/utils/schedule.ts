// Schedules for people: an RFC 5545 RRULE (stored without DTSTART) turned into Japanese
// (「毎月第2・第4火曜 10:00–11:30」) and into the next dates in Asia/Tokyo.
// Pure and browser-safe. Everything is computed on calendar dates, never on instants: a local date
// is represented as a Date at 00:00 UTC ("floating" time in rrule), so no timezone can shift a day.
import * as rruleModule from "rrule";
import type { Options as RRuleOptions, Weekday as RRuleWeekday } from "rrule";
import type { ScheduleSummary } from "../../search/types";

// rrule ships a UMD main (Node sees a CommonJS module without named exports) and an ESM module
// (bundlers see named exports only): accept both shapes.
type RRuleModule = typeof rruleModule;
const rrule: RRuleModule =
  "RRule" in rruleModule && rruleModule.RRule
    ? rruleModule
    : (rruleModule as unknown as { default: RRuleModule }).default;

export type { ScheduleSummary };

/** Weekday characters indexed by rrule's weekday number (0 = Monday). */
const WEEKDAY_CHARS = ["月", "火", "水", "木", "金", "土", "日"] as const;
/** Weekday characters indexed by Date#getUTCDay() (0 = Sunday). */
const DAY_OF_WEEK_CHARS = ["日", "月", "火", "水", "木", "金", "土"] as const;

export const TOKYO_TIME_ZONE = "Asia/Tokyo";

/** "09:00", "9:00:00" or "0900" → "9:00"; anything else → null. */
export function formatTime(time: string | null | undefined): string | null {
  if (!time) return null;
  const match = /^(\d{1,2}):?(\d{2})(?::\d{2})?$/.exec(time.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = match[2];
  if (hour > 24 || Number(minute) > 59) return null;
  return `${hour}:${minute}`;
}

/** 「10:00–12:00」, 「10:00〜」, 「〜12:00」 or "" when no time is known. */
export function formatTimeRange(startTime: string | null | undefined, endTime: string | null | undefined): string {
  const start = formatTime(startTime);
  const end = formatTime(endTime);
  if (start && end) return `${start}–${end}`;
  if (start) return `${start}〜`;
  if (end) return `〜${end}`;
  return "";
}

function parseRule(rule: string): Partial<RRuleOptions> | null {
  const text = rule.trim().replace(/^RRULE:/i, "");
  if (!/FREQ=/i.test(text)) return null;
  try {
    return rrule.RRule.parseString(text);
  } catch {
    return null;
  }
}

function asArray<T>(value: T | T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

interface NthWeekday {
  weekday: number;
  n: number | null;
}

function weekdaysOf(options: Partial<RRuleOptions>): NthWeekday[] {
  return asArray(options.byweekday as RRuleWeekday | number | string | (RRuleWeekday | number | string)[] | null).map(
    (value) => {
      if (typeof value === "number") return { weekday: value, n: null };
      if (typeof value === "string") {
        return { weekday: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].indexOf(value), n: null };
      }
      return { weekday: value.weekday, n: value.n ?? null };
    }
  );
}

/**
 * Weekdays in calendar order with runs of three or more collapsed: 月〜金, 月〜水・金, 火・木.
 */
export function formatWeekdayList(weekdays: number[]): string {
  const sorted = [...new Set(weekdays)].filter((d) => d >= 0 && d <= 6).sort((a, b) => a - b);
  const parts: string[] = [];
  let runStart = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1] + 1) continue;
    const run = sorted.slice(runStart, i);
    if (run.length >= 3) parts.push(`${WEEKDAY_CHARS[run[0]]}〜${WEEKDAY_CHARS[run[run.length - 1]]}`);
    else parts.push(...run.map((d) => WEEKDAY_CHARS[d]));
    runStart = i;
  }
  return parts.join("・");
}

function ordinal(n: number): string {
  return n === -1 ? "最終" : n < 0 ? `最後から${-n}番目の` : `第${n}`;
}

function describeNthWeekdays(days: NthWeekday[]): string {
  const byWeekday = new Map<number, number[]>();
  for (const { weekday, n } of days) {
    const list = byWeekday.get(weekday) ?? [];
    if (n !== null) list.push(n);
    byWeekday.set(weekday, list);
  }
  const parts = [...byWeekday.entries()]
    .sort(([a], [b]) => a - b)
    .map(([weekday, ns]) => {
      const sorted = [...new Set(ns)].sort((a, b) => (a < 0 ? 100 - a : a) - (b < 0 ? 100 - b : b));
      const prefix = sorted.length > 0 ? sorted.map(ordinal).join("・") : "毎週";
      return `${prefix}${WEEKDAY_CHARS[weekday]}曜`;
    });
  return parts.join("・");
}

function describeMonthDays(days: number[]): string {
  return [...new Set(days)]
    .sort((a, b) => (a < 0 ? 100 - a : a) - (b < 0 ? 100 - b : b))
    .map((d) => (d === -1 ? "末日" : d < 0 ? `月末の${-d - 1}日前` : `${d}日`))
    .join("・");
}

function describeUntil(options: Partial<RRuleOptions>): string {
  if (options.until) {
    const d = options.until;
    return `（${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日まで）`;
  }
  if (options.count) return `（全${options.count}回）`;
  return "";
}

/**
 * The rule part only: 「毎月第2・第4火曜」, 「隔週土曜」, 「月〜金」. Null when the rule cannot be read.
 * As in RFC 5545, a rule without BYDAY/BYMONTHDAY repeats on its start date's weekday or day.
 */
export function describeRule(rule: string, startsOn?: string | null): string | null {
  const options = parseRule(rule);
  if (!options || options.freq === undefined) return null;
  const { Frequency } = rrule;
  const anchor = startsOn ? parseIsoDate(startsOn) : null;
  const interval = options.interval && options.interval > 1 ? options.interval : 1;
  let weekdays = weekdaysOf(options);
  const setPos = asArray(options.bysetpos);
  let monthDays = asArray(options.bymonthday);
  let months = asArray(options.bymonth);
  if (anchor && weekdays.length === 0 && monthDays.length === 0) {
    if (options.freq === Frequency.WEEKLY) weekdays = [{ weekday: (anchor.getUTCDay() + 6) % 7, n: null }];
    if (options.freq === Frequency.MONTHLY) monthDays = [anchor.getUTCDate()];
    if (options.freq === Frequency.YEARLY) {
      monthDays = [anchor.getUTCDate()];
      if (months.length === 0) months = [anchor.getUTCMonth() + 1];
    }
  }
  let text: string | null = null;

  switch (options.freq) {
    case Frequency.DAILY:
      text = interval === 1 ? "毎日" : `${interval}日ごと`;
      if (weekdays.length > 0 && weekdays.length < 7) text = `${formatWeekdayList(weekdays.map((w) => w.weekday))}`;
      break;
    case Frequency.WEEKLY: {
      const days = weekdays.map((w) => w.weekday);
      const list = formatWeekdayList(days);
      if (interval === 1) {
        if (days.length === 0) text = "毎週";
        else if (new Set(days).size === 7) text = "毎日";
        else if (/^.〜.$/.test(list)) text = list; // one run of weekdays reads like opening days: 月〜金
        else text = `毎週${list}曜`;
      } else {
        const every = interval === 2 ? "隔週" : `${interval}週ごと`;
        text = days.length === 0 ? every : `${every}${list}曜`;
      }
      break;
    }
    case Frequency.MONTHLY: {
      const every = interval === 1 ? "毎月" : interval === 2 ? "隔月" : `${interval}か月ごと`;
      if (weekdays.length > 0) {
        // BYSETPOS=n with plain weekdays means the same as nTU etc.
        const nth =
          setPos.length > 0 && weekdays.every((w) => w.n === null)
            ? weekdays.flatMap((w) => setPos.map((n) => ({ weekday: w.weekday, n })))
            : weekdays;
        text = `${every}${describeNthWeekdays(nth)}`;
      } else if (monthDays.length > 0) {
        text = `${every}${describeMonthDays(monthDays)}`;
      } else {
        text = every;
      }
      break;
    }
    case Frequency.YEARLY: {
      const monthText = months.length > 0 ? months.map((m) => `${m}月`).join("・") : "";
      if (monthDays.length > 0) text = `毎年${monthText}${describeMonthDays(monthDays)}`;
      else if (weekdays.length > 0) text = `毎年${monthText}${describeNthWeekdays(weekdays)}`;
      else text = `毎年${monthText}`;
      break;
    }
    default:
      return null;
  }
  return `${text}${describeUntil(options)}`;
}

/** The whole schedule for people: 「毎週水曜 10:00–12:00」. Unreadable rules give a polite fallback. */
export function describeSchedule(
  schedule: Pick<ScheduleSummary, "rrule" | "startTime" | "endTime"> & { startsOn?: string | null }
): string {
  const rule = describeRule(schedule.rrule, schedule.startsOn) ?? "日程はお問い合わせください";
  const time = formatTimeRange(schedule.startTime, schedule.endTime);
  return time ? `${rule} ${time}` : rule;
}

// ---- Dates in Asia/Tokyo --------------------------------------------------------------------

const tokyoParts = new Intl.DateTimeFormat("en-CA", {
  timeZone: TOKYO_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The calendar date (as a floating UTC midnight) and minutes since midnight of an instant in Tokyo. */
export function tokyoNow(instant: Date): { date: Date; minutes: number } {
  const parts = Object.fromEntries(tokyoParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    date: new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day))),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** "2025-12-09" → floating Date; null for anything that is not a real date. */
export function parseIsoDate(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCDate() === Number(match[3]) ? date : null;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function minutesOf(time: string | null | undefined): number | null {
  const formatted = formatTime(time);
  if (!formatted) return null;
  const [h, m] = formatted.split(":").map(Number);
  return h * 60 + m;
}

/** 「12月9日(火)」, with the year when it is not `currentYear`: 「2026年1月13日(火)」. */
export function formatDateJa(date: Date, currentYear?: number): string {
  const year = date.getUTCFullYear();
  const prefix = currentYear !== undefined && year !== currentYear ? `${year}年` : "";
  return `${prefix}${date.getUTCMonth() + 1}月${date.getUTCDate()}日(${DAY_OF_WEEK_CHARS[date.getUTCDay()]})`;
}

export interface Occurrence {
  /** YYYY-MM-DD in Asia/Tokyo */
  date: string;
  /** 「12月9日(火) 10:00–11:30」 */
  label: string;
}

/** Guard against rules whose every date is an exception (or that never match). */
const MAX_CANDIDATES = 1000;

/**
 * The next `count` sessions on or after `from` (Asia/Tokyo), skipping exception dates. Today's session
 * counts until it has ended (its end time, else its start time, else the end of the day).
 */
export function nextOccurrences(schedule: ScheduleSummary, from: Date, count: number): Occurrence[] {
  const now = tokyoNow(from);
  const time = formatTimeRange(schedule.startTime, schedule.endTime);
  const currentYear = now.date.getUTCFullYear();
  return sessionDates(schedule, now, count).map((date) => {
    const label = formatDateJa(date, currentYear);
    return { date: isoDate(date), label: time ? `${label} ${time}` : label };
  });
}

const DAY_MS = 86_400_000;

/**
 * rrule walks every occurrence from DTSTART, so a weekly rule that started years ago costs
 * hundreds of steps per lookup. Move DTSTART forward by whole periods (INTERVAL weeks, months…)
 * to just before `today`; the dates from there on are the same. Rules with COUNT keep their start,
 * since COUNT counts from it. Where the rule took its day from DTSTART (no BYDAY/BYMONTHDAY),
 * that day is written into the rule first.
 */
function anchorNear(options: Partial<RRuleOptions>, dtstart: Date, today: Date): Partial<RRuleOptions> {
  const unchanged = { ...options, dtstart };
  if (options.count || dtstart >= today) return unchanged;
  const { Frequency } = rrule;
  const interval = options.interval && options.interval > 1 ? options.interval : 1;
  const hasDays =
    asArray(options.byweekday).length > 0 ||
    asArray(options.bymonthday).length > 0 ||
    asArray(options.byyearday).length > 0 ||
    asArray(options.byweekno).length > 0;
  switch (options.freq) {
    case Frequency.DAILY:
    case Frequency.WEEKLY: {
      const periodDays = (options.freq === Frequency.DAILY ? 1 : 7) * interval;
      const periods = Math.floor((today.getTime() - dtstart.getTime()) / DAY_MS / periodDays) - 1;
      if (periods <= 0) return unchanged;
      return { ...options, dtstart: new Date(dtstart.getTime() + periods * periodDays * DAY_MS) };
    }
    case Frequency.MONTHLY: {
      const months =
        (today.getUTCFullYear() - dtstart.getUTCFullYear()) * 12 + today.getUTCMonth() - dtstart.getUTCMonth();
      const periods = Math.floor(months / interval) - 1;
      if (periods <= 0) return unchanged;
      const start = new Date(Date.UTC(dtstart.getUTCFullYear(), dtstart.getUTCMonth() + periods * interval, 1));
      return hasDays
        ? { ...options, dtstart: start }
        : { ...options, dtstart: start, bymonthday: [dtstart.getUTCDate()] };
    }
    case Frequency.YEARLY: {
      const periods = Math.floor((today.getUTCFullYear() - dtstart.getUTCFullYear()) / interval) - 1;
      if (periods <= 0) return unchanged;
      const start = new Date(Date.UTC(dtstart.getUTCFullYear() + periods * interval, 0, 1));
      if (hasDays || asArray(options.bymonth).length > 0) return { ...options, dtstart: start };
      return { ...options, dtstart: start, bymonth: [dtstart.getUTCMonth() + 1], bymonthday: [dtstart.getUTCDate()] };
    }
    default:
      return unchanged;
  }
}

/** The dates (floating) of a schedule's next `count` sessions, from `now` in Tokyo. */
function sessionDates(schedule: ScheduleSummary, now: { date: Date; minutes: number }, count: number): Date[] {
  if (count <= 0) return [];
  const options = parseRule(schedule.rrule);
  const dtstart = parseIsoDate(schedule.startsOn);
  if (!options || options.freq === undefined || !dtstart) return [];

  let rule: InstanceType<RRuleModule["RRule"]>;
  try {
    const anchored = anchorNear(options, dtstart, now.date);
    rule = new rrule.RRule({ ...anchored, tzid: null, byhour: [0], byminute: [0], bysecond: [0] }, true);
  } catch {
    return [];
  }

  const endsAt = minutesOf(schedule.endTime) ?? minutesOf(schedule.startTime);
  const includeToday = endsAt === null || now.minutes < endsAt;
  const exceptions = new Set(schedule.exceptionDates.map((d) => d.trim()));

  const result: Date[] = [];
  let cursor = now.date;
  let inclusive = includeToday;
  for (let i = 0; i < MAX_CANDIDATES && result.length < count; i++) {
    const next = rule.after(cursor, inclusive);
    if (!next) break;
    cursor = next;
    inclusive = false;
    if (!exceptions.has(isoDate(next))) result.push(next);
  }
  return result;
}

/**
 * The next `count` days with sessions across several schedules of one resource, in date order;
 * sessions on the same day share one entry: 「11月24日(火) 9:30–12:00・13:30–16:00」.
 */
export function nextOccurrencesOfAll(schedules: ScheduleSummary[], from: Date, count: number): Occurrence[] {
  const now = tokyoNow(from);
  const currentYear = now.date.getUTCFullYear();
  const byDate = new Map<string, { date: Date; sessions: { start: number; time: string }[] }>();
  for (const schedule of schedules) {
    const time = formatTimeRange(schedule.startTime, schedule.endTime);
    const start = minutesOf(schedule.startTime) ?? -1;
    for (const date of sessionDates(schedule, now, count)) {
      const key = isoDate(date);
      const day = byDate.get(key) ?? { date, sessions: [] };
      if (!day.sessions.some((s) => s.time === time)) day.sessions.push({ start, time });
      byDate.set(key, day);
    }
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, count)
    .map(([key, day]) => {
      const times = day.sessions
        .sort((a, b) => a.start - b.start)
        .map((s) => s.time)
        .filter(Boolean);
      const label = formatDateJa(day.date, currentYear);
      return { date: key, label: times.length > 0 ? `${label} ${times.join("・")}` : label };
    });
}

const recentOccurrences = new WeakMap<object, { key: string; value: Occurrence[] }>();

/**
 * `nextOccurrencesOfAll`, remembered per schedules array for the current minute: a search engine
 * that hands out the same document objects (the embedded one) then pays rrule once per place
 * per minute instead of once per result row. Other engines simply miss the cache.
 */
export function recentNextOccurrences(schedules: ScheduleSummary[], from: Date, count: number): Occurrence[] {
  if (schedules.length === 0) return [];
  const key = `${Math.floor(from.getTime() / 60_000)}:${count}`;
  const cached = recentOccurrences.get(schedules);
  if (cached && cached.key === key) return cached.value;
  const value = nextOccurrencesOfAll(schedules, from, count);
  recentOccurrences.set(schedules, { key, value });
  return value;
}

const descriptions = new WeakMap<object, string | null>();

/** `describeSchedules`, remembered per schedules array (the text depends on nothing else). */
export function rememberedDescription(schedules: ScheduleSummary[]): string | null {
  if (schedules.length === 0) return null;
  let text = descriptions.get(schedules);
  if (text === undefined) {
    text = describeSchedules(schedules);
    descriptions.set(schedules, text);
  }
  return text;
}

/** Schedules grouped by the days they repeat on (a morning and an afternoon session of 月〜金 together). */
export function groupSchedulesByRule<T extends ScheduleSummary>(schedules: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const schedule of schedules) {
    const key = describeRule(schedule.rrule, schedule.startsOn) ?? schedule.rrule;
    groups.set(key, [...(groups.get(key) ?? []), schedule]);
  }
  return [...groups.values()];
}

/**
 * Several schedules of one resource in one line: rules that repeat on the same days share their
 * text and list their times, 「月〜金 9:30–12:00・13:30–16:00」; different rules are joined by 「、」.
 */
export function describeSchedules(schedules: ScheduleSummary[]): string | null {
  if (schedules.length === 0) return null;
  const byRule = new Map<string, { start: number; time: string }[]>();
  for (const schedule of schedules) {
    const rule = describeRule(schedule.rrule, schedule.startsOn) ?? "日程はお問い合わせください";
    const list = byRule.get(rule) ?? [];
    const time = formatTimeRange(schedule.startTime, schedule.endTime);
    if (!list.some((s) => s.time === time)) list.push({ start: minutesOf(schedule.startTime) ?? -1, time });
    byRule.set(rule, list);
  }
  return [...byRule.entries()]
    .map(([rule, sessions]) => {
      const times = sessions
        .sort((a, b) => a.start - b.start)
        .map((s) => s.time)
        .filter(Boolean);
      return times.length > 0 ? `${rule} ${times.join("・")}` : rule;
    })
    .join("、");
}

/** Free-text hours cut to a length that fits a result row, on a character boundary. */
export function shortenText(text: string, maxLength = 40): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length <= maxLength ? flat : `${chars.slice(0, maxLength - 1).join("")}…`;
}
