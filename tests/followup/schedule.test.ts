// 定着支援 rules with a controllable clock: the follow-up plan, due buckets, the settled proposal,
// falling evaluations, missed attendance and the light contacts after 終結.
import { describe, expect, test } from "vitest";
import {
  addMonths,
  dueBucket,
  generateFollowUpPlan,
  isFalling,
  missedAttendance,
  postTerminationContacts,
  shouldProposeSettled,
  type Evaluation,
} from "../../app/followup/schedule";

describe("follow-up plan", () => {
  test("default: 1 week, 2 weeks, 1, 2, 3 months, then every 3 months; each date with the person and the host", () => {
    const plan = generateFollowUpPlan("2026-12-01", { horizonMonths: 12 });
    const dates = [...new Set(plan.map((c) => c.dueOn))];
    expect(dates).toEqual(["2026-12-08", "2026-12-15", "2027-01-01", "2027-02-01", "2027-03-01", "2027-06-01", "2027-09-01", "2027-12-01"]);
    for (const date of dates) {
      expect(plan.filter((c) => c.dueOn === date).map((c) => c.side)).toEqual(["person", "host"]);
    }
  });

  test("editable per placement: custom offsets and no repetition", () => {
    const plan = generateFollowUpPlan("2026-01-31", { offsets: [{ months: 1 }, { weeks: 6 }], repeatEveryMonths: 0 });
    expect([...new Set(plan.map((c) => c.dueOn))]).toEqual(["2026-02-28", "2026-03-14"]);
  });

  test("month arithmetic clamps to the month's end", () => {
    expect(addMonths("2027-01-31", 1)).toBe("2027-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-11-30", -12)).toBe("2025-11-30");
  });

  test.each([
    ["2026-12-07", "overdue"],
    ["2026-12-08", "today"],
    ["2026-12-15", "this_week"],
    ["2026-12-16", "later"],
  ])("due %s seen on 2026-12-08 → %s", (due, bucket) => {
    expect(dueBucket(due, "2026-12-08")).toBe(bucket);
  });
});

const good = (on: string): Evaluation => ({ on, attendance: 4, relationships: 3, feeling: 3, hostView: 4 });
const poor = (on: string): Evaluation => ({ on, attendance: 2, relationships: 2, feeling: 3, hostView: 2 });

describe("settled proposal", () => {
  test("good evaluations for 3 months → proposed; not before", () => {
    const evaluations = [good("2026-01-10"), good("2026-02-10"), good("2026-03-10"), good("2026-04-10")];
    expect(shouldProposeSettled(evaluations, "2026-04-09")).toBe(false);
    expect(shouldProposeSettled(evaluations, "2026-04-10")).toBe(true);
  });

  test("a poor evaluation restarts the period", () => {
    const evaluations = [good("2026-01-10"), poor("2026-02-10"), good("2026-03-10"), good("2026-04-10")];
    expect(shouldProposeSettled(evaluations, "2026-05-01")).toBe(false);
    expect(shouldProposeSettled(evaluations, "2026-06-10")).toBe(true);
  });

  test("threshold and period are settings; no evaluation → never", () => {
    const evaluations = [poor("2026-01-10"), poor("2026-04-10")];
    expect(shouldProposeSettled(evaluations, "2026-05-01", { threshold: 2, months: 3 })).toBe(true);
    expect(shouldProposeSettled([], "2027-01-01")).toBe(false);
    expect(shouldProposeSettled([{ on: "2026-01-01" }], "2027-01-01")).toBe(false);
  });
});

describe("falling connection and missed attendance", () => {
  test("two consecutive lower scores → falling; one drop or a recovery → not", () => {
    const s = (on: string, v: number): Evaluation => ({ on, attendance: v, relationships: v });
    expect(isFalling([s("2026-01-01", 4), s("2026-02-01", 3), s("2026-03-01", 2)])).toBe(true);
    expect(isFalling([s("2026-01-01", 4), s("2026-02-01", 3), s("2026-03-01", 3)])).toBe(false);
    expect(isFalling([s("2026-03-01", 2), s("2026-01-01", 4), s("2026-02-01", 3)])).toBe(true);
    expect(isFalling([s("2026-01-01", 4), s("2026-02-01", 3)])).toBe(false);
  });

  test("an expected date in the past without attendance is missed", () => {
    expect(missedAttendance(["2026-12-01", "2026-12-08", "2026-12-15"], ["2026-12-01"], "2026-12-10")).toEqual(["2026-12-08"]);
    expect(missedAttendance(["2026-12-08"], [], "2026-12-10", 3)).toEqual([]);
  });
});

test("after 終結: a light contact every 3 months for a year", () => {
  expect(postTerminationContacts("2027-03-31")).toEqual(["2027-06-30", "2027-09-30", "2027-12-31", "2028-03-31"]);
});
