// Japanese schedule text → RFC 5545 RRULEs (without DTSTART) and start/end times:
// 「毎週水曜 10:00～12:00」, 「第2・第4火曜」, Tokyo's 開催頻度/開催曜日/開催日 columns and Yaizu's
// 「【開館時間】9:00～17:00 【休館日】火曜日」. A rule is emitted only when the text is unambiguous
// (「月1回」 alone says nothing about which day); otherwise null, and the caller keeps the text.
// Pure, no I/O. Every emitted rule is checked with the rrule package.
import * as rruleModule from "rrule";
import type { Weekday } from "../../db/vocabulary";

// rrule ships a UMD main (Node sees CommonJS without named exports) and an ESM build (bundlers see
// named exports only): accept both shapes, as app/utils/schedule.ts does.
type RRuleModule = typeof rruleModule;
const rrule: RRuleModule =
  "RRule" in rruleModule && rruleModule.RRule ? rruleModule : (rruleModule as unknown as { default: RRuleModule }).default;

export interface DerivedSchedule {
  /** RFC 5545 RRULE without DTSTART, e.g. `FREQ=MONTHLY;BYDAY=2TU,4TU`. */
  rrule: string;
  /** Local time "HH:MM", or null when the text gives none. */
  startTime: string | null;
  endTime: string | null;
}

export interface Recurrence {
  rrule: string;
  /** Weekdays the rule falls on (empty for BYMONTHDAY rules). */
  weekdays: Weekday[];
  /** The text hedged it (「原則」「基本」「変更あり」): the rule holds, but the text is worth keeping. */
  qualified: boolean;
}

const WEEKDAY_BY_CHAR: Record<string, Weekday> = { 月: "MO", 火: "TU", 水: "WE", 木: "TH", 金: "FR", 土: "SA", 日: "SU" };
const WEEK_ORDER: readonly Weekday[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const WEEKDAY_CHARS = "月火水木金土日";
const KANJI_DIGITS: Record<string, string> = { 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7" };

/** Checks a rule with the rrule package; only rules it parses are ever emitted. */
export function isValidRRule(rule: string): boolean {
  try {
    const parsed = rrule.RRule.fromString(rule);
    return parsed.options.freq !== undefined && rrule.rrulestr(rule) !== undefined;
  } catch {
    return false;
  }
}

/** NFKC, one kind of tilde, kanji numerals after 第/月/週 as digits, no spaces. */
function prepare(text: string): string {
  return prepareKeepingSpaces(text).replace(/\s+/g, "");
}

function prepareKeepingSpaces(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[〜～~]/g, "~")
    .replace(/(?<=第|月|週|毎月)[一二三四五六七]/g, (kanji) => KANJI_DIGITS[kanji] ?? kanji);
}

function sortWeekdays(days: Iterable<Weekday>): Weekday[] {
  const set = new Set(days);
  return WEEK_ORDER.filter((day) => set.has(day));
}

/**
 * A list of weekdays: 「月火水木金」「月~金」「土・日曜日」「水曜日・日曜日」「平日」「毎日」.
 * With `allowHolidays`, 祝日 words are accepted and ignored (「土日祝」). Null for anything else.
 */
export function parseWeekdays(text: string, options: { allowHolidays?: boolean } = {}): Weekday[] | null {
  let rest = prepare(text)
    .replace(/^毎週/, "")
    .replace(/毎日/g, "月~日")
    .replace(/平日/g, "月~金");
  if (options.allowHolidays) rest = rest.replace(/(?:国民の)?(?:祝祭日|祝休日|祝日|休日|祭日|祝)/g, "");
  rest = rest.replace(/曜日?/g, "").replace(/[・、,/と及び]/g, "");
  if (!rest || !new RegExp(`^[${WEEKDAY_CHARS}~]+$`).test(rest)) return null;
  const days: Weekday[] = [];
  for (let index = 0; index < rest.length; index++) {
    const char = rest[index];
    if (char === "~") return null;
    if (rest[index + 1] === "~") {
      const from = WEEKDAY_CHARS.indexOf(char);
      const to = WEEKDAY_CHARS.indexOf(rest[index + 2] ?? "");
      if (to < 0 || to < from) return null;
      for (let day = from; day <= to; day++) days.push(WEEK_ORDER[day]);
      index += 2;
      continue;
    }
    days.push(WEEKDAY_BY_CHAR[char]);
  }
  return days.length > 0 ? sortWeekdays(days) : null;
}

/**
 * 「第2・第4火曜日」「第1~3土曜日」「第3木曜日第4火曜日」「最終の水曜日」 → [ordinal, weekday] pairs.
 * Null unless the whole text is such a list.
 */
function parseNthWeekdays(text: string): [number, Weekday][] | null {
  if (!/^(?:第|最終)/.test(text)) return null;
  const entries: [number, Weekday][] = [];
  let pending: number[] = [];
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    let match: RegExpExecArray | null;
    if ((match = /^第?(\d)(?!\d)(?:~第?(\d)(?!\d))?/.exec(rest))) {
      const from = Number(match[1]);
      const to = match[2] ? Number(match[2]) : from;
      if (from < 1 || to > 5 || to < from) return null;
      for (let n = from; n <= to; n++) pending.push(n);
      index += match[0].length;
    } else if ((match = /^最終の?/.exec(rest))) {
      pending.push(-1);
      index += match[0].length;
    } else if ((match = /^[・、,と]/.exec(rest))) {
      index += 1;
    } else if ((match = new RegExp(`^([${WEEKDAY_CHARS}])(?:曜日?)?`).exec(rest))) {
      if (pending.length === 0) return null;
      for (const n of pending) entries.push([n, WEEKDAY_BY_CHAR[match[1]]]);
      pending = [];
      index += match[0].length;
    } else {
      return null;
    }
  }
  if (pending.length > 0 || entries.length === 0) return null;
  return entries;
}

function nthRule(entries: [number, Weekday][]): string {
  const unique = [...new Map(entries.map(([n, day]) => [`${n}${day}`, [n, day] as const])).values()];
  unique.sort((a, b) => (a[0] === b[0] ? WEEK_ORDER.indexOf(a[1]) - WEEK_ORDER.indexOf(b[1]) : (a[0] < 0 ? 9 : a[0]) - (b[0] < 0 ? 9 : b[0])));
  return `FREQ=MONTHLY;BYDAY=${unique.map(([n, day]) => `${n}${day}`).join(",")}`;
}

function weeklyRule(days: Weekday[]): string {
  return days.length === 7 ? "FREQ=DAILY" : `FREQ=WEEKLY;BYDAY=${sortWeekdays(days).join(",")}`;
}

/**
 * A frequency or date text without times: 「毎週水曜日」「第2・第4火曜」「毎月第3水曜日」
 * 「月2回 第2・4火曜日」「週1回(毎週火曜日)」「毎月12日」「毎日」「平日」. 「月1回」 alone, 「隔週」,
 * 「第4または第5土曜日」 and anything unknown give null.
 */
export function parseRecurrence(text: string): Recurrence | null {
  let rest = prepare(text);
  let qualified = false;
  const hedge = /^(?:原則|基本的に|基本)/.exec(rest);
  if (hedge) {
    qualified = true;
    rest = rest.slice(hedge[0].length);
  }
  rest = rest.replace(/\((?:変更あり|変更の場合あり|要問合せ|要問い合わせ|予定)\)$/, () => {
    qualified = true;
    return "";
  });
  rest = rest.replace(/開催$/, "").replace(/[()]/g, "");

  let monthlyCount: number | null = null;
  let weeklyCount: number | null = null;
  const count = /^(?:毎月|月に?)(\d{1,2})回。?/.exec(rest) ?? null;
  if (count) {
    monthlyCount = Number(count[1]);
    rest = rest.slice(count[0].length);
  } else {
    const perWeek = /^週(\d)(?:回|日)/.exec(rest);
    if (perWeek) {
      weeklyCount = Number(perWeek[1]);
      rest = rest.slice(perWeek[0].length);
    }
  }
  if (!rest) return null;

  if (/^毎日$/.test(rest)) {
    if (monthlyCount !== null || (weeklyCount !== null && weeklyCount !== 7)) return null;
    return { rrule: "FREQ=DAILY", weekdays: [...WEEK_ORDER], qualified };
  }

  const weekly = /^毎週(.+)$/.exec(rest) ?? (weeklyCount !== null ? /^(.+)$/.exec(rest) : null);
  if (weekly) {
    if (monthlyCount !== null) return null;
    const days = parseWeekdays(weekly[1]);
    if (!days || (weeklyCount !== null && weeklyCount !== days.length)) return null;
    return { rrule: weeklyRule(days), weekdays: days, qualified };
  }
  if (/^平日(?:毎日)?$/.test(rest)) {
    return { rrule: weeklyRule(["MO", "TU", "WE", "TH", "FR"]), weekdays: ["MO", "TU", "WE", "TH", "FR"], qualified };
  }

  const monthDays = /^毎月((?:\d{1,2}日[・、,と]?)+)$/.exec(rest);
  if (monthDays) {
    const days = [...monthDays[1].matchAll(/(\d{1,2})日/g)].map((m) => Number(m[1]));
    if (days.some((day) => day < 1 || day > 31)) return null;
    if (monthlyCount !== null && monthlyCount !== days.length) return null;
    return { rrule: `FREQ=MONTHLY;BYMONTHDAY=${[...new Set(days)].sort((a, b) => a - b).join(",")}`, weekdays: [], qualified };
  }

  const nth = parseNthWeekdays(rest.replace(/^毎月/, ""));
  if (nth) {
    if (monthlyCount !== null && monthlyCount !== nth.length) return null;
    return { rrule: nthRule(nth), weekdays: sortWeekdays(nth.map(([, day]) => day)), qualified };
  }
  return null;
}

/** One time of day; its six groups are: whole, 午前/午後, hour, minutes after ":", minutes before 分, 半. */
const TIME_SOURCE = String.raw`((午前|午後)?(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?))`;

function timeFromGroups(groups: readonly (string | undefined)[]): string | null {
  const [, meridiem, hourText, colonMinutes, kanjiMinutes, half] = groups;
  let hour = Number(hourText);
  const minutes = Number(colonMinutes ?? kanjiMinutes ?? (half ? "30" : "0"));
  if (meridiem === "午後" && hour < 12) hour += 12;
  if (hour > 24 || minutes > 59 || (hour === 24 && minutes > 0)) return null;
  return `${String(hour).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** 「10:00」「１０：００」「9時」「8時30分」「午後5時」 → "HH:MM"; null for anything else. */
export function parseTime(text: string | null | undefined): string | null {
  if (!text) return null;
  const match = new RegExp(`^${TIME_SOURCE}$`).exec(prepare(text));
  return match ? timeFromGroups(match.slice(1, 7)) : null;
}

const RANGE_PATTERN = () => new RegExp(`${TIME_SOURCE}(?:~|-|から)${TIME_SOURCE}(?:まで)?`, "g");

interface TimeRangeMatch {
  start: string;
  end: string;
  index: number;
  length: number;
}

/** Every 「start~end」 in prepared text; null when one of them is not a valid range. */
function findTimeRanges(prepared: string): TimeRangeMatch[] | null {
  const ranges: TimeRangeMatch[] = [];
  for (const match of prepared.matchAll(RANGE_PATTERN())) {
    const start = timeFromGroups(match.slice(1, 7));
    const end = timeFromGroups(match.slice(7, 13));
    if (!start || !end || end <= start) return null;
    ranges.push({ start, end, index: match.index ?? 0, length: match[0].length });
  }
  return ranges;
}

/** 「10:00～12:00」 → { start: "10:00", end: "12:00" }; null unless the text is one range. */
export function parseTimeRange(text: string): { start: string; end: string } | null {
  const prepared = prepare(text);
  const ranges = findTimeRanges(prepared);
  if (!ranges || ranges.length !== 1 || ranges[0].length !== prepared.length) return null;
  return { start: ranges[0].start, end: ranges[0].end };
}

function validated(schedules: DerivedSchedule[]): DerivedSchedule[] | null {
  return schedules.length > 0 && schedules.every((schedule) => isValidRRule(schedule.rrule)) ? schedules : null;
}

/**
 * Takes the times out of a schedule text: one 「start~end」 range, or one open-ended 「15時~」.
 * Null when the text holds several ranges (「1部11:30~12:50、2部13:00~14:20」): which one is meant?
 */
function separateTimes(text: string): { rest: string; start: string | null; end: string | null } | null {
  const prepared = prepare(text);
  const ranges = findTimeRanges(prepared);
  if (!ranges || ranges.length > 1) return null;
  const range = ranges[0];
  if (range) {
    return { rest: prepared.slice(0, range.index) + prepared.slice(range.index + range.length), start: range.start, end: range.end };
  }
  const openEnded = [...prepared.matchAll(new RegExp(`${TIME_SOURCE}~`, "g"))];
  if (openEnded.length === 1) {
    const [match] = openEnded;
    const start = timeFromGroups(match.slice(1, 7));
    if (!start) return null;
    const index = match.index ?? 0;
    return { rest: prepared.slice(0, index) + prepared.slice(index + match[0].length), start, end: null };
  }
  return { rest: prepared, start: null, end: null };
}

/**
 * Free text with a frequency and at most one time range: 「毎週水曜 10:00～12:00」「第2・第4火曜」
 * 「毎月第3水曜日 10：00～12：00」. Null when ambiguous.
 */
export function deriveSchedule(text: string): DerivedSchedule | null {
  const separated = separateTimes(text);
  if (!separated) return null;
  const recurrence = parseRecurrence(separated.rest);
  if (!recurrence) return null;
  return validated([{ rrule: recurrence.rrule, startTime: separated.start, endTime: separated.end }])?.[0] ?? null;
}

export interface EventColumns {
  /** 開催頻度: 「毎週」「月2回」「第2・第4土曜」; numeric codes (some wards' own coding) are ignored. */
  frequency?: string | null;
  /** 開催曜日: usually day characters (「水日」), sometimes a whole phrase (「毎月第3水曜日」). */
  weekdays?: string | null;
  /** 開催日: 「第３土曜日」「毎月12日」. */
  dates?: string | null;
  startTime?: string | null;
  endTime?: string | null;
  /** 開催日時特記事項: used only when it is nothing but a schedule (「毎月第2金曜日」). */
  note?: string | null;
}

/** Tokyo 子ども食堂 columns → one schedule, when the columns agree and say enough. */
export function scheduleFromEventColumns(columns: EventColumns): { schedule: DerivedSchedule; qualified: boolean } | null {
  const frequency = meaningfulText(columns.frequency);
  const dates = meaningfulText(columns.dates);
  const weekdayText = meaningfulText(columns.weekdays);
  const listedDays = weekdayText ? parseWeekdays(weekdayText) : null;

  const note = meaningfulText(columns.note?.replace(/^\s*開催日は/, ""));
  const candidates: string[] = [];
  for (const text of [frequency, dates, note]) {
    if (!text) continue;
    candidates.push(text);
    // 「毎週」 or 「第2・第4」 leave the weekday to 開催曜日.
    if (listedDays && weekdayText) candidates.push(text + weekdayText);
  }
  if (weekdayText && !listedDays) candidates.push(weekdayText);

  let recurrence: Recurrence | null = null;
  let textTimes: { start: string | null; end: string | null } = { start: null, end: null };
  for (const candidate of candidates) {
    // 開催日 sometimes carries the times too (「第2金曜日 17時~19時」).
    const separated = separateTimes(candidate);
    recurrence = separated ? parseRecurrence(separated.rest) : null;
    if (recurrence && separated) {
      textTimes = { start: separated.start, end: separated.end };
      break;
    }
  }
  if (!recurrence) return null;
  // A rule on days that 開催曜日 does not list means the columns disagree: trust neither.
  if (listedDays && recurrence.weekdays.some((day) => !listedDays.includes(day))) return null;
  if (listedDays && recurrence.weekdays.length > 0 && listedDays.some((day) => !recurrence!.weekdays.includes(day))) return null;

  const columnStart = parseTime(columns.startTime);
  const columnEnd = parseTime(columns.endTime);
  let startTime = columnStart ?? textTimes.start;
  let endTime = columnStart || columnEnd ? columnEnd : textTimes.end;
  if (startTime && endTime && endTime <= startTime) {
    startTime = null;
    endTime = null;
  }
  const schedule = validated([{ rrule: recurrence.rrule, startTime, endTime }])?.[0];
  return schedule ? { schedule, qualified: recurrence.qualified } : null;
}

/** Numeric codes and placeholders in frequency columns carry no meaning we can rely on. */
function meaningfulText(value: string | null | undefined): string | null {
  const text = value ? prepare(value) : "";
  if (!text || /^\d+$/.test(text) || /^(非公開|未定|不定期(開催)?|なし|無し)$/.test(text)) return null;
  return text;
}

export interface OpeningHoursColumns {
  /** 利用可能曜日: 「月火水木金」. */
  days?: string | null;
  /** 開始時間 / 終了時間. */
  startTime?: string | null;
  endTime?: string | null;
  /** 利用可能日時特記事項: 「【開館時間】9:00～17:00 【休館日】火曜日…」. */
  note?: string | null;
}

/**
 * Opening hours of a facility → weekly schedules on the open days. The 利用可能曜日/開始時間/終了時間
 * columns win when filled; otherwise Yaizu's 【開館時間】…【休館日】… note is read. Holidays and
 * year-end closures cannot be said in an RRULE: they stay in the note the caller keeps.
 */
export function scheduleFromOpeningHours(columns: OpeningHoursColumns): DerivedSchedule[] | null {
  const days = columns.days ? parseWeekdays(columns.days, { allowHolidays: true }) : null;
  if (days) {
    const startTime = parseTime(columns.startTime);
    const endTime = parseTime(columns.endTime);
    if (startTime && endTime && endTime <= startTime) return null;
    return validated([{ rrule: weeklyRule(days), startTime, endTime }]);
  }
  return columns.note ? parseOpeningHoursNote(columns.note) : null;
}

interface Closures {
  weekly: Set<Weekday>;
  /** Weekday → the ordinals (1–5) of that weekday in the month on which the facility is closed. */
  monthly: Map<Weekday, Set<number>>;
}

const IGNORABLE_CLOSURES: readonly RegExp[] = [
  /^(?:年末年始|お盆|盆|正月|年始|年末)$/,
  /^\d{1,2}月\d{1,2}日(?:~|から)?(?:翌年|翌月)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:まで)?$/,
  /^\d{1,2}\/\d{1,2}(?:~\d{1,2}\/\d{1,2})?$/,
  /^(?:月末日?|館内整理日|臨時休館日|展示替.*臨時休館日|展示替え?(?:期間)?)$/,
  /^[^第上中下旬]*(?:祝日|休日|祭日)[^第上中下旬]*$/,
];

/** The 【休館日】 part → closed weekdays and nth weekdays; null when a token is not understood. */
function parseClosures(text: string): Closures | null {
  const closures: Closures = { weekly: new Set(), monthly: new Map() };
  if (!text || /^(?:なし|無し|無休|年中無休)$/.test(text)) return closures;
  // Parentheses hold exceptions (「月曜日が祝日の場合は翌日」), except when they list nth weekdays
  // (「館内整理日(第4金曜日及び1月4日)」): those are closures too.
  const extra: string[] = [];
  let body = text;
  for (let guard = 0; guard < 5 && /\([^()]*\)/.test(body); guard++) {
    body = body.replace(/\(([^()]*)\)/g, (_whole, inner: string) => {
      if (/第\d[月火水木金土日]/.test(inner)) extra.push(inner);
      return "、";
    });
  }
  const tokens = [body, ...extra]
    .join("、")
    .split(/[、,。]|及び|および/)
    .map((token) => token.replace(/^毎週/, "").trim())
    .filter(Boolean);
  for (const token of tokens) {
    const nth = parseNthWeekdays(token.replace(/^(?:毎月|月の)/, ""));
    if (nth) {
      for (const [n, day] of nth) {
        if (n < 1) return null;
        const set = closures.monthly.get(day) ?? new Set<number>();
        set.add(n);
        closures.monthly.set(day, set);
      }
      continue;
    }
    const days = parseWeekdays(token, { allowHolidays: true });
    if (days) {
      days.forEach((day) => closures.weekly.add(day));
      continue;
    }
    if (IGNORABLE_CLOSURES.some((pattern) => pattern.test(token))) continue;
    return null;
  }
  return closures;
}

/** Labels before a time range that name an exception period rather than days. */
const SEASONAL_LABEL = /^(?:長期休暇|夏休み等?|冬休み|春休み|学校休業日|夏季|冬季)$/;

function parseOpeningHoursNote(note: string): DerivedSchedule[] | null {
  const prepared = prepareKeepingSpaces(note).replace(/から/g, "~");
  const hoursStart = prepared.indexOf("【開館時間】");
  if (hoursStart < 0) return null;
  const closedStart = prepared.indexOf("【休館日】");
  // Without 【休館日】 the open days are unknown (a 保健センター is not open on Sundays).
  if (closedStart < 0) return null;
  const hoursText = prepared
    .slice(hoursStart + "【開館時間】".length, closedStart > hoursStart ? closedStart : undefined)
    .replace(/\s+/g, "");
  // In the closures, spaces separate items as 、 does (「月曜日 (…) 月末日 (…)」).
  const closedText =
    closedStart >= 0
      ? prepared
          .slice(closedStart + "【休館日】".length)
          .replace(/【[\s\S]*$/, "")
          .trim()
          .replace(/\s*([()])\s*/g, "$1")
          .replace(/\s+/g, "、")
      : "";

  const closures = parseClosures(closedText);
  const ranges = findTimeRanges(hoursText);
  if (!closures || !ranges || ranges.length === 0) return null;
  const openDays = WEEK_ORDER.filter((day) => !closures.weekly.has(day));

  const plain: TimeRangeMatch[] = [];
  const labelled: { days: Weekday[]; range: TimeRangeMatch }[] = [];
  let cursor = 0;
  for (const range of ranges) {
    const label = hoursText
      .slice(cursor, range.index)
      .replace(/[:()、,]/g, "")
      .replace(/は$/, "");
    cursor = range.index + range.length;
    if (!label) {
      plain.push(range);
      continue;
    }
    if (SEASONAL_LABEL.test(label)) continue;
    const days = parseWeekdays(label, { allowHolidays: true });
    if (!days) return null;
    labelled.push({ days, range });
  }
  // Whatever follows the last range must be punctuation: 「(不定期)」 or a stray time is not understood.
  if (hoursText.slice(cursor).replace(/[()、,。]/g, "") !== "") return null;

  const labelledDays = new Set(labelled.flatMap((entry) => entry.days));
  const groups = [
    ...plain.map((range) => ({ days: openDays.filter((day) => !labelledDays.has(day)), range })),
    ...labelled.map(({ days, range }) => ({ days: days.filter((day) => openDays.includes(day)), range })),
  ];
  const schedules: DerivedSchedule[] = [];
  for (const { days, range } of groups) {
    const everyWeek = days.filter((day) => !closures.monthly.has(day));
    if (everyWeek.length > 0) schedules.push({ rrule: weeklyRule(everyWeek), startTime: range.start, endTime: range.end });
    // A day closed on some weeks of the month (「第3日曜日」) is open on the other weeks.
    const someWeeks: [number, Weekday][] = [];
    for (const day of days.filter((candidate) => closures.monthly.has(candidate))) {
      const closed = closures.monthly.get(day)!;
      for (let n = 1; n <= 5; n++) if (!closed.has(n)) someWeeks.push([n, day]);
    }
    if (someWeeks.length > 0) schedules.push({ rrule: nthRule(someWeeks), startTime: range.start, endTime: range.end });
  }
  return validated(schedules);
}
