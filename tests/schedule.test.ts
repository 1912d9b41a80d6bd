import { expect, test } from "vitest";
import {
  describeSchedule,
  describeSchedules,
  formatWeekdayList,
  nextOccurrences,
  nextOccurrencesOfAll,
  recentNextOccurrences,
} from "~/utils/schedule";

// 2025-12-01 09:00 in Tokyo (a Monday) is 2025-12-01T00:00Z.
const mondayMorning = new Date("2025-12-01T00:00:00Z");

function schedule(
  rrule: string,
  extra: Partial<{ startsOn: string; startTime: string | null; endTime: string | null; exceptionDates: string[] }> = {}
) {
  return { rrule, startsOn: "2025-01-01", startTime: null, endTime: null, exceptionDates: [], ...extra };
}

test("第2・第4火曜 reads as 毎月第2・第4火曜 with its time, and the next dates are those Tuesdays", () => {
  const s = schedule("FREQ=MONTHLY;BYDAY=2TU,4TU", { startTime: "10:00", endTime: "11:30" });
  expect(describeSchedule(s)).toBe("毎月第2・第4火曜 10:00–11:30");
  expect(nextOccurrences(s, mondayMorning, 3).map((o) => o.label)).toEqual([
    "12月9日(火) 10:00–11:30",
    "12月23日(火) 10:00–11:30",
    "2026年1月13日(火) 10:00–11:30",
  ]);
});

test("a weekly rule reads as 毎週水曜 and gives consecutive Wednesdays", () => {
  const s = schedule("FREQ=WEEKLY;BYDAY=WE", { startTime: "10:00", endTime: "12:00" });
  expect(describeSchedule(s)).toBe("毎週水曜 10:00–12:00");
  expect(nextOccurrences(s, mondayMorning, 3).map((o) => o.date)).toEqual(["2025-12-03", "2025-12-10", "2025-12-17"]);
});

test("once a month on the third Wednesday (月1回)", () => {
  const s = schedule("FREQ=MONTHLY;BYDAY=3WE", { startTime: "13:30", endTime: "15:00" });
  expect(describeSchedule(s)).toBe("毎月第3水曜 13:30–15:00");
  expect(nextOccurrences(s, mondayMorning, 3).map((o) => o.date)).toEqual(["2025-12-17", "2026-01-21", "2026-02-18"]);
});

test("BYSETPOS with a plain weekday means the same as an nth weekday", () => {
  expect(describeSchedule(schedule("FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3"))).toBe("毎月第3水曜");
  expect(describeSchedule(schedule("FREQ=MONTHLY;BYDAY=-1FR"))).toBe("毎月最終金曜");
});

test("a day of the month reads as 毎月15日", () => {
  const s = schedule("FREQ=MONTHLY;BYMONTHDAY=15");
  expect(describeSchedule(s)).toBe("毎月15日");
  expect(nextOccurrences(s, mondayMorning, 2).map((o) => o.label)).toEqual(["12月15日(月)", "2026年1月15日(木)"]);
});

test("an exception date is skipped", () => {
  const s = schedule("FREQ=MONTHLY;BYDAY=2TU,4TU", { exceptionDates: ["2025-12-23"] });
  expect(nextOccurrences(s, mondayMorning, 2).map((o) => o.date)).toEqual(["2025-12-09", "2026-01-13"]);
});

test("every other week (INTERVAL=2) counts from the start date", () => {
  const s = schedule("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", { startsOn: "2025-11-29" });
  expect(describeSchedule(s)).toBe("隔週土曜");
  expect(nextOccurrences(s, mondayMorning, 3).map((o) => o.date)).toEqual(["2025-12-13", "2025-12-27", "2026-01-10"]);
});

test("consecutive weekdays collapse to a range", () => {
  expect(describeSchedule(schedule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", { startTime: "09:00", endTime: "17:00" }))).toBe(
    "月〜金 9:00–17:00"
  );
  expect(describeSchedule(schedule("FREQ=WEEKLY;BYDAY=MO,WE,FR"))).toBe("毎週月・水・金曜");
  expect(formatWeekdayList([0, 1, 2, 4])).toBe("月〜水・金");
  expect(describeSchedule(schedule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU"))).toBe("毎日");
});

test("dates cross a month end and a year end in order", () => {
  const s = schedule("FREQ=WEEKLY;BYDAY=WE");
  const lateDecember = new Date("2025-12-28T03:00:00Z"); // 12:00 on Sunday 28 December in Tokyo
  expect(nextOccurrences(s, lateDecember, 3).map((o) => o.label)).toEqual([
    "12月31日(水)",
    "2026年1月7日(水)",
    "2026年1月14日(水)",
  ]);
});

test("the Tokyo date is used, not the UTC date", () => {
  // 2025-12-02T15:30Z is 00:30 on Wednesday 3 December in Tokyo, still Tuesday in UTC.
  const s = schedule("FREQ=WEEKLY;BYDAY=TU,WE");
  expect(nextOccurrences(s, new Date("2025-12-02T15:30:00Z"), 1)[0].date).toBe("2025-12-03");
});

test("today's session is listed until it has ended", () => {
  const s = schedule("FREQ=WEEKLY;BYDAY=MO", { startTime: "10:00", endTime: "12:00" });
  expect(nextOccurrences(s, new Date("2025-12-01T02:00:00Z"), 1)[0].date).toBe("2025-12-01"); // 11:00 JST
  expect(nextOccurrences(s, new Date("2025-12-01T04:00:00Z"), 1)[0].date).toBe("2025-12-08"); // 13:00 JST
});

test("a rule that starts in the future begins on its start date", () => {
  const s = schedule("FREQ=WEEKLY;BYDAY=FR", { startsOn: "2026-01-09" });
  expect(nextOccurrences(s, mondayMorning, 1)[0].date).toBe("2026-01-09");
});

test("UNTIL ends the series and is shown", () => {
  const s = schedule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20251210");
  expect(describeSchedule(s)).toBe("毎週水曜（2025年12月10日まで）");
  expect(nextOccurrences(s, mondayMorning, 5).map((o) => o.date)).toEqual(["2025-12-03", "2025-12-10"]);
});

test("an unreadable rule gives a polite text and no dates instead of throwing", () => {
  const s = schedule("not a rule");
  expect(describeSchedule(s)).toBe("日程はお問い合わせください");
  expect(nextOccurrences(s, mondayMorning, 3)).toEqual([]);
});

test("sessions of several schedules merge in date order", () => {
  const merged = nextOccurrencesOfAll(
    [schedule("FREQ=WEEKLY;BYDAY=FR"), schedule("FREQ=WEEKLY;BYDAY=TU")],
    mondayMorning,
    3
  );
  expect(merged.map((o) => o.date)).toEqual(["2025-12-02", "2025-12-05", "2025-12-09"]);
});

test("a rule without BYDAY repeats on its start date's weekday or day, as RFC 5545 says", () => {
  expect(describeSchedule(schedule("FREQ=WEEKLY", { startsOn: "2025-12-03" }))).toBe("毎週水曜");
  expect(describeSchedule(schedule("FREQ=MONTHLY", { startsOn: "2025-12-20" }))).toBe("毎月20日");
  expect(nextOccurrences(schedule("FREQ=MONTHLY", { startsOn: "2025-11-20" }), mondayMorning, 1)[0].date).toBe(
    "2025-12-20"
  );
});

test("morning and afternoon sessions on the same day share one entry, in time order", () => {
  const morning = schedule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", { startTime: "9:30", endTime: "12:00" });
  const afternoon = schedule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", { startTime: "13:30", endTime: "16:00" });
  expect(describeSchedules([afternoon, morning])).toBe("月〜金 9:30–12:00・13:30–16:00");
  expect(nextOccurrencesOfAll([afternoon, morning], mondayMorning, 2).map((o) => o.label)).toEqual([
    "12月1日(月) 9:30–12:00・13:30–16:00",
    "12月2日(火) 9:30–12:00・13:30–16:00",
  ]);
  expect(
    describeSchedules([
      schedule("FREQ=WEEKLY;BYDAY=WE", { startTime: "10:00" }),
      schedule("FREQ=MONTHLY;BYMONTHDAY=15"),
    ])
  ).toBe("毎週水曜 10:00〜、毎月15日");
});

test("rules that started long ago give the same dates as if walked from their start", () => {
  // 隔週 from 2019, 3か月ごと from 2018, yearly from 2015 and a monthly day taken from the start date.
  const cases = [
    schedule("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", { startsOn: "2019-01-05" }),
    schedule("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU", { startsOn: "2018-02-01" }),
    schedule("FREQ=MONTHLY", { startsOn: "2016-05-31" }),
    schedule("FREQ=YEARLY", { startsOn: "2015-12-24" }),
    schedule("FREQ=DAILY;INTERVAL=3", { startsOn: "2020-02-29" }),
    schedule("FREQ=WEEKLY;BYDAY=MO;COUNT=400", { startsOn: "2020-01-06" }),
  ];
  const expected = [
    ["2025-12-13", "2025-12-27", "2026-01-10"],
    ["2026-02-10", "2026-05-12", "2026-08-11"],
    ["2025-12-31", "2026-01-31", "2026-03-31"],
    ["2025-12-24", "2026-12-24", "2027-12-24"],
  ];
  expect(cases.slice(0, 4).map((s) => nextOccurrences(s, mondayMorning, 3).map((o) => o.date))).toEqual(expected);
  // Every third day since 2020-02-29: 2025-12-01 is day 2102 = 3 × 700 + 2, so the next is 12-02.
  expect(nextOccurrences(cases[4], mondayMorning, 2).map((o) => o.date)).toEqual(["2025-12-02", "2025-12-05"]);
  // COUNT=400 weekly Mondays from 2020-01-06 end on 2027-08-30; still running in 2025.
  expect(nextOccurrences(cases[5], mondayMorning, 1).map((o) => o.date)).toEqual(["2025-12-01"]);
});

test("remembered next dates are the same as computed ones and follow the clock", () => {
  const schedules = [schedule("FREQ=WEEKLY;BYDAY=MO", { startTime: "10:00", endTime: "12:00" })];
  const before = recentNextOccurrences(schedules, new Date("2025-12-01T02:00:00Z"), 1); // 11:00 JST Monday
  expect(before).toEqual(nextOccurrencesOfAll(schedules, new Date("2025-12-01T02:00:00Z"), 1));
  expect(before[0].date).toBe("2025-12-01");
  // Two hours later the session is over: the remembered answer must not be reused.
  expect(recentNextOccurrences(schedules, new Date("2025-12-01T04:00:00Z"), 1)[0].date).toBe("2025-12-08");
});
