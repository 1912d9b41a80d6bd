// Japanese schedule text → RRULEs: only unambiguous text gives a rule, and every rule parses.
import { expect, test } from "vitest";
import {
  deriveSchedule,
  isValidRRule,
  parseRecurrence,
  parseTime,
  parseWeekdays,
  scheduleFromEventColumns,
  scheduleFromOpeningHours,
} from "../../app/import/schedule-text";

test("毎週水曜 10:00～12:00 is weekly on Wednesday with its times", () => {
  expect(deriveSchedule("毎週水曜 10:00～12:00")).toEqual({ rrule: "FREQ=WEEKLY;BYDAY=WE", startTime: "10:00", endTime: "12:00" });
});

test("第2・第4火曜 is monthly on the 2nd and 4th Tuesday", () => {
  expect(deriveSchedule("第2・第4火曜")).toEqual({ rrule: "FREQ=MONTHLY;BYDAY=2TU,4TU", startTime: null, endTime: null });
  expect(parseRecurrence("毎月第２第４水曜日")?.rrule).toBe("FREQ=MONTHLY;BYDAY=2WE,4WE");
  expect(parseRecurrence("原則第二・第四金曜日")).toEqual({ rrule: "FREQ=MONTHLY;BYDAY=2FR,4FR", weekdays: ["FR"], qualified: true });
  expect(parseRecurrence("第1～3土曜日")?.rrule).toBe("FREQ=MONTHLY;BYDAY=1SA,2SA,3SA");
  expect(parseRecurrence("毎月１回（最終の水曜日）")?.rrule).toBe("FREQ=MONTHLY;BYDAY=-1WE");
  expect(parseRecurrence("毎月第3木曜日第4火曜日")?.rrule).toBe("FREQ=MONTHLY;BYDAY=3TH,4TU");
});

test("月1回 with no weekday, 隔週 and either-or dates give no rule", () => {
  expect(deriveSchedule("月1回")).toBeNull();
  expect(parseRecurrence("月１回")).toBeNull();
  expect(parseRecurrence("月に2回。隔週土曜日")).toBeNull();
  expect(parseRecurrence("第４または第５土曜日")).toBeNull();
  expect(parseRecurrence("月2回\n第2・4火曜日")?.rrule).toBe("FREQ=MONTHLY;BYDAY=2TU,4TU");
  // The count must agree with the days listed.
  expect(parseRecurrence("月1回 第2・4火曜日")).toBeNull();
  expect(parseRecurrence("毎週水曜日、毎月1回日曜日")).toBeNull();
});

test("full-width times and colons, 時/分 and 午前/午後 are read", () => {
  expect(deriveSchedule("毎月第３水曜日　１０：００〜１２：００")).toEqual({
    rrule: "FREQ=MONTHLY;BYDAY=3WE",
    startTime: "10:00",
    endTime: "12:00",
  });
  expect(parseTime("８時３０分")).toBe("08:30");
  expect(parseTime("午後５時")).toBe("17:00");
  expect(parseTime("25:00")).toBeNull();
});

test("weekday runs", () => {
  expect(parseWeekdays("月火水木金")).toEqual(["MO", "TU", "WE", "TH", "FR"]);
  expect(parseWeekdays("月～金曜日")).toEqual(["MO", "TU", "WE", "TH", "FR"]);
  expect(parseWeekdays("土・日曜日")).toEqual(["SA", "SU"]);
  expect(parseWeekdays("土日祝", { allowHolidays: true })).toEqual(["SA", "SU"]);
  expect(parseWeekdays("水曜日、他")).toBeNull();
});

test("Yaizu 【開館時間】…【休館日】… becomes weekly on the open days", () => {
  expect(scheduleFromOpeningHours({ note: "【開館時間】9:00～17:00 【休館日】火曜日(火曜日が祝日の場合は翌日)、年末年始" })).toEqual([
    { rrule: "FREQ=WEEKLY;BYDAY=MO,WE,TH,FR,SA,SU", startTime: "09:00", endTime: "17:00" },
  ]);
  expect(scheduleFromOpeningHours({ note: "【開館時間】9:30～12:00、13:00～15:30【休館日】土日祝、年末年始" })).toEqual([
    { rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", startTime: "09:30", endTime: "12:00" },
    { rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", startTime: "13:00", endTime: "15:30" },
  ]);
  expect(
    scheduleFromOpeningHours({ note: "【開館時間】平日：12:00～18:30　　土曜日：7:30～16:30 長期休暇：7:30～18:30 【休館日】日曜日、祝祭日" }),
  ).toEqual([
    { rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", startTime: "12:00", endTime: "18:30" },
    { rrule: "FREQ=WEEKLY;BYDAY=SA", startTime: "07:30", endTime: "16:30" },
  ]);
});

test("a facility closed on the 3rd Sunday is open on the other Sundays", () => {
  expect(scheduleFromOpeningHours({ note: "【開館時間】９：００～２１：３０ 【休館日】月の第3日曜日、祝日" })).toEqual([
    { rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA", startTime: "09:00", endTime: "21:30" },
    { rrule: "FREQ=MONTHLY;BYDAY=1SU,2SU,4SU,5SU", startTime: "09:00", endTime: "21:30" },
  ]);
});

test("opening hours that are not clear give no rule", () => {
  expect(scheduleFromOpeningHours({ note: "【開館時間】8:30～１7:15（不定期）" })).toBeNull();
  expect(scheduleFromOpeningHours({ note: "【開館時間】24時間" })).toBeNull();
  // No 【休館日】: the open days are unknown.
  expect(scheduleFromOpeningHours({ note: "【開館時間】8:30～17:15" })).toBeNull();
  expect(scheduleFromOpeningHours({ note: "【開館時間】9:00～17:00、14:00～17:00 【休館日】毎年9月上旬～翌年6月末、8/13" })).toBeNull();
});

test("利用可能曜日 and 開始/終了時間 columns win over the note", () => {
  expect(scheduleFromOpeningHours({ days: "月火水木金", startTime: "09:00", endTime: "17:00", note: "【開館時間】24時間" })).toEqual([
    { rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", startTime: "09:00", endTime: "17:00" },
  ]);
});

test("Tokyo columns: 毎週 + 開催曜日, 開催日 when 開催頻度 is a code, conflicts give nothing", () => {
  expect(scheduleFromEventColumns({ frequency: "毎週", weekdays: "水日", startTime: "17:00", endTime: "19:00" })?.schedule).toEqual({
    rrule: "FREQ=WEEKLY;BYDAY=WE,SU",
    startTime: "17:00",
    endTime: "19:00",
  });
  expect(scheduleFromEventColumns({ frequency: "5", weekdays: "土", dates: "第３土曜日", startTime: "10:30", endTime: "13:30" })?.schedule.rrule).toBe(
    "FREQ=MONTHLY;BYDAY=3SA",
  );
  expect(scheduleFromEventColumns({ frequency: "月1回", weekdays: "土", startTime: "12:00" })).toBeNull();
  expect(scheduleFromEventColumns({ frequency: "1", weekdays: "土", startTime: "12:00" })).toBeNull();
  expect(scheduleFromEventColumns({ frequency: "毎週水曜日", weekdays: "土" })).toBeNull();
  expect(scheduleFromEventColumns({ dates: "第2金曜日 17時~19時" })?.schedule).toEqual({
    rrule: "FREQ=MONTHLY;BYDAY=2FR",
    startTime: "17:00",
    endTime: "19:00",
  });
});

test("every emitted rule parses with the rrule package; junk does not", () => {
  for (const rule of ["FREQ=WEEKLY;BYDAY=WE", "FREQ=MONTHLY;BYDAY=2TU,4TU", "FREQ=MONTHLY;BYDAY=-1WE", "FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=12"]) {
    expect(isValidRRule(rule)).toBe(true);
  }
  expect(isValidRRule("FREQ=WEEKLY;BYDAY=XX")).toBe(false);
  expect(isValidRRule("毎週水曜")).toBe(false);
});
